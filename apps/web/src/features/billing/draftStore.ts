import { type BillDraft, billDraft } from '@karte/domain';
import { z } from 'zod';

// An unsaved 会計 kept in this tab's sessionStorage (never localStorage: patient data on a shared PC), keyed by
// visit, so a reload or a slip of the back button does not lose the clerk's edits and reasons.

const PREFIX = 'karte-bill-draft';
export const billDraftKey = (visitId: string) => `${PREFIX}:${visitId}`;

export interface StoredBillDraft {
  /** The bill version the edits started from (0: none yet): edits on an older version are not restored. */
  baseVersion: number;
  draft: BillDraft;
  /** 訂正の理由 while a correction is under way. */
  correcting: string | null;
}

const stored = z.object({
  baseVersion: z.number().int().min(0),
  draft: billDraft,
  correcting: z.string().max(200).nullable(),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The edits worth keeping: something differs from what the server proposed or holds. */
export const isEdited = (draft: BillDraft, server: BillDraft, correcting: string | null) =>
  correcting !== null || !same(draft, server);

/** What was kept for this visit and version, or null (none, another version, or unreadable). */
export function loadBillDraft(
  store: Storage | null,
  visitId: string,
  version: number,
): StoredBillDraft | null {
  try {
    const raw = store?.getItem(billDraftKey(visitId));
    if (!raw) return null;
    const parsed = stored.safeParse(JSON.parse(raw));
    if (!parsed.success || parsed.data.baseVersion !== version) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

/** Keeps the edits while they differ from the server's; forgets them once they do not. */
export function keepBillDraft(
  store: Storage | null,
  visitId: string,
  server: BillDraft,
  value: StoredBillDraft,
): void {
  try {
    if (isEdited(value.draft, server, value.correcting))
      store?.setItem(billDraftKey(visitId), JSON.stringify(value));
    else store?.removeItem(billDraftKey(visitId));
  } catch {
    // storage full or disabled: the screen still works, only the tab copy is missing
  }
}

export function forgetBillDraft(store: Storage | null, visitId: string): void {
  try {
    store?.removeItem(billDraftKey(visitId));
  } catch {
    // nothing to forget
  }
}

export function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
