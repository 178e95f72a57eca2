import type { BillDraft, BillSet } from '@karte/domain';

/**
 * Adds a 会計セット's lines to a draft, each marked as from the セット. A line the draft already carries (the
 * same code) is left as it is: choosing a セット twice, or one overlapping the proposal, bills it once.
 */
export function addSet(draft: BillDraft, set: Pick<BillSet, 'items'>): BillDraft {
  const has = new Set(draft.items.map((i) => `${i.kind}:${i.code}`));
  const added = set.items
    .filter((i) => !has.has(`${i.kind}:${i.code}`))
    .map((i) => ({ ...i, source: 'set' as const }));
  return added.length ? { ...draft, items: [...draft.items, ...added] } : draft;
}
