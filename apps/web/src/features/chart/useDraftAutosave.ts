import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Draft persistence shared by the SOAP and prescription editors:
 * - autosave shortly after typing stops, with the draft's revision (conflicts are the editor's to show);
 * - a save still pending when the editor goes away (route change, session end) is sent on unmount,
 *   and leaving the page while one is pending asks first;
 * - until the server has it, the text is kept in this tab's sessionStorage (never localStorage: patient
 *   data on a shared PC), keyed by facility, user and entry, so it comes back after logging in again.
 */

export interface DraftScope {
  facilityId: string;
  userId: string;
  encounterId: string;
  kind: 'soap' | 'rx';
}

export type SaveResult =
  | { status: 'saved'; entryId: string; rev: number }
  | { status: 'conflict' }
  | { status: 'failed' };

interface Stored<T> {
  content: T;
  baseRev: number;
}

const PREFIX = 'karte-draft';
export const AUTOSAVE_MS = 800;

export const draftKey = (s: DraftScope, entryId: string | null) =>
  [PREFIX, s.facilityId, s.userId, s.encounterId, s.kind, entryId ?? 'new'].join(':');

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// Saves still under way by draft key: an editor opened again at once (back button) waits for the save
// its predecessor sent on unmount, instead of creating a second entry or meeting its own conflict.
const underWay = new Map<string, Promise<SaveResult>>();
// New entries created by an editor that has gone since: its successor saves into that entry, not a new one.
const created = new Map<string, { entryId: string; rev: number }>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: autosave still works, only the tab copy is missing
  }
}

function write(key: string, value: Stored<unknown>) {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // quota: the server copy is what counts
  }
}

function remove(key: string) {
  storage()?.removeItem(key);
}

/** The text this tab kept for an entry, if any and if it still looks like the editor's content. */
export function readStoredDraft<T>(
  scope: DraftScope,
  entryId: string | null,
  valid: (c: unknown) => c is T,
): Stored<T> | null {
  const raw = storage()?.getItem(draftKey(scope, entryId));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Stored<unknown>>;
    if (typeof parsed.baseRev === 'number' && valid(parsed.content)) {
      return { content: parsed.content, baseRev: parsed.baseRev };
    }
  } catch {
    // unreadable: dropped below
  }
  remove(draftKey(scope, entryId));
  return null;
}

/**
 * What this tab kept unsaved for the entry when its editor went away, read once when the editor opens;
 * null when it only repeats the draft the server already has.
 */
export function useKeptDraft<T>(
  scope: DraftScope,
  entryId: string | null,
  serverDraft: T | null | undefined,
  valid: (c: unknown) => c is T,
): Stored<T> | null {
  const [kept] = useState(() => {
    const s = readStoredDraft(scope, entryId, valid);
    return s && !same(s.content, serverDraft ?? null) ? s : null;
  });
  return kept;
}

/** Whether this tab holds unsaved text for a new entry of this kind in the encounter. */
export function hasStoredNewDraft(scope: DraftScope): boolean {
  return !!storage()?.getItem(draftKey(scope, null));
}

export function discardStoredDraft(scope: DraftScope, entryId: string | null) {
  remove(draftKey(scope, entryId));
  if (entryId) remove(draftKey(scope, null));
}

/**
 * On a shared PC the next person may sign in in the same tab: text kept for another user (or another
 * facility) is deleted, since only its author could restore it.
 */
export function purgeDraftsOfOthers(facilityId: string, userId: string) {
  const store = storage();
  if (!store) return;
  const mine = `${PREFIX}:${facilityId}:${userId}:`;
  for (const key of Object.keys(store)) {
    if (key.startsWith(`${PREFIX}:`) && !key.startsWith(mine)) store.removeItem(key);
  }
}

interface Options<T> {
  scope: DraftScope;
  initialEntryId: string | null;
  initialRev: number;
  initiallyDirty: boolean;
  content: T;
  /** While true (a conflict waits for a decision) nothing is saved automatically. */
  paused: boolean;
  /** Content that the server would refuse (e.g. an incomplete prescription) stays in the tab only. */
  canSave?: (c: T) => boolean;
  save: (c: T, entryId: string | null, baseRev: number) => Promise<SaveResult>;
  /** Called after a save that happened when the editor was already gone. */
  onFlushed?: () => void;
}

export function useDraftAutosave<T>(o: Options<T>) {
  const [entryId, setEntryIdState] = useState(o.initialEntryId);
  const [rev, setRevState] = useState(o.initialRev);
  const [dirty, setDirty] = useState(o.initiallyDirty);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const latest = useRef({ ...o, entryId, rev, dirty });
  latest.current = { ...o, entryId: latest.current.entryId, rev: latest.current.rev, dirty };
  const inflight = useRef<Promise<SaveResult> | null>(null);
  const mounted = useRef(true);
  const lastSaved = useRef<string | null>(null);
  // A save that failed (network, refused) or met a conflict is not retried until the text changes or the
  // user settles the conflict.
  const failed = useRef<string | null>(null);

  const setRev = useCallback((r: number) => {
    failed.current = null;
    latest.current.rev = r;
    setRevState(r);
  }, []);

  // The tab copy follows every change until the server has it.
  const text = JSON.stringify(o.content);
  useEffect(() => {
    if (dirty) write(draftKey(o.scope, entryId), { content: JSON.parse(text) as unknown, baseRev: rev });
  }, [dirty, text, o.scope, entryId, rev]);

  /** Saves what is on screen now (after any save already under way). */
  const run = useCallback(async (): Promise<SaveResult> => {
    if (inflight.current) await inflight.current;
    const key = draftKey(latest.current.scope, latest.current.entryId);
    const predecessor = underWay.get(key);
    if (predecessor) {
      const p = await predecessor;
      if (p.status === 'saved' && (latest.current.entryId ?? p.entryId) === p.entryId) {
        latest.current.entryId = p.entryId;
        latest.current.rev = Math.max(latest.current.rev, p.rev);
      }
    }
    const successorOf = !latest.current.entryId && created.get(draftKey(latest.current.scope, null));
    if (successorOf) {
      latest.current.entryId = successorOf.entryId;
      latest.current.rev = Math.max(latest.current.rev, successorOf.rev);
    }
    const l = latest.current;
    const snapshot = l.content;
    if (l.canSave && !l.canSave(snapshot)) return { status: 'failed' };
    if (l.entryId && lastSaved.current === JSON.stringify(snapshot)) {
      return { status: 'saved', entryId: l.entryId, rev: l.rev };
    }
    const before = l.entryId;
    const p = l.save(snapshot, l.entryId, l.rev).catch((): SaveResult => ({ status: 'failed' }));
    inflight.current = p;
    const savingKey = draftKey(l.scope, l.entryId);
    underWay.set(savingKey, p);
    if (mounted.current) setSaving(true);
    const r = await p;
    inflight.current = null;
    if (underWay.get(savingKey) === p) underWay.delete(savingKey);
    if (r.status === 'saved') {
      lastSaved.current = JSON.stringify(snapshot);
      if (!before || created.get(draftKey(l.scope, null))?.entryId === r.entryId) {
        created.set(draftKey(l.scope, null), { entryId: r.entryId, rev: r.rev });
      }
      latest.current.entryId = r.entryId;
      latest.current.rev = r.rev;
      const unchanged = same(snapshot, latest.current.content);
      if (unchanged) {
        remove(draftKey(l.scope, r.entryId));
        remove(draftKey(l.scope, before));
        remove(draftKey(l.scope, null));
      } else if (before !== r.entryId) {
        // A new entry got its id: the tab copy moves to it.
        remove(draftKey(l.scope, before));
        write(draftKey(l.scope, r.entryId), { content: latest.current.content, baseRev: r.rev });
      }
      if (mounted.current) {
        setEntryIdState(r.entryId);
        setRevState(r.rev);
        setSavedAt(new Date());
        if (unchanged) setDirty(false);
      } else {
        l.onFlushed?.();
      }
    }
    failed.current = r.status === 'saved' ? null : JSON.stringify(snapshot);
    if (mounted.current) setSaving(false);
    return r;
  }, []);

  // Autosave shortly after typing stops (keyed on the text, not on the object's identity).
  const saveable = !o.canSave || o.canSave(o.content);
  useEffect(() => {
    if (!dirty || saving || o.paused || !saveable) return;
    if (failed.current === text) return;
    const timer = setTimeout(() => void run(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [dirty, saving, o.paused, saveable, text, run]);

  // Leaving the editor (another page, the session ended): send what is pending now.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // Deferred one tick: React's development double-mount must not save.
      setTimeout(() => {
        const l = latest.current;
        if (mounted.current || !l.dirty || l.paused) return;
        void run();
      }, 0);
    };
  }, [run]);

  // Closing or reloading the page while something is unsaved asks first.
  useEffect(() => {
    if (!dirty && !saving) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty, saving]);

  return {
    entryId,
    rev,
    dirty,
    saving,
    savedAt,
    setRev,
    markDirty: () => setDirty(true),
    /** Marks what is on screen as saved (after a conflict was settled with identical text). */
    markClean: () => {
      latest.current.dirty = false;
      setDirty(false);
      remove(draftKey(o.scope, latest.current.entryId));
    },
    /** Saves now; for 確定 and 閉じる. */
    flush: run,
    /** After 確定: the entry is no longer a draft, so a new editor starts a new one. */
    settled: () => {
      created.delete(draftKey(o.scope, null));
      discardStoredDraft(o.scope, latest.current.entryId);
    },
    /** Forgets the tab copy (the user chose to throw the changes away). */
    discard: () => {
      discardStoredDraft(o.scope, latest.current.entryId);
      latest.current.dirty = false;
      setDirty(false);
    },
  };
}
