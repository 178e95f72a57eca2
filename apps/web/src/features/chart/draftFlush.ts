import { createContext, useContext, useEffect, useRef } from 'react';
import type { SaveResult } from './useDraftAutosave';

/**
 * The chart's open editors, so that one action (前回Do, 確定 together) can first send what each has pending:
 * every SOAP and prescription editor registers how to save itself now.
 */
export type Flush = () => Promise<SaveResult>;
export const DraftFlushContext = createContext<Set<{ current: Flush }> | null>(null);

/** Registers an editor's "save now, if anything is pending" with the chart around it. */
export function useRegisterFlush(pending: boolean, flush: Flush) {
  const set = useContext(DraftFlushContext);
  const ref = useRef<Flush>(flush);
  // Nothing pending: nothing to send (a clean editor must not save its text again).
  ref.current = pending ? flush : async () => ({ status: 'saved', entryId: '', rev: 0 });
  useEffect(() => {
    if (!set) return;
    set.add(ref);
    return () => {
      set.delete(ref);
    };
  }, [set]);
}

/** Sends what every open editor has pending; false if one could not be saved (incomplete, conflict, offline). */
export async function flushAll(set: Set<{ current: Flush }>): Promise<boolean> {
  const results = await Promise.all([...set].map((r) => r.current()));
  return results.every((r) => r.status === 'saved');
}
