import type { BillDraft } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { addSet } from './sets';

const draft: BillDraft = {
  visitKind: 'revisit',
  visitKindReason: '',
  items: [{ kind: 'procedure', code: '112007410', count: 1, source: 'proposed' }],
  removed: [],
  selfPay: [],
  publicSubsidyIds: [],
  elsewhere: [],
};
const blood = {
  items: [
    { kind: 'procedure' as const, code: '160095710', count: 1 },
    { kind: 'procedure' as const, code: '160008010', count: 2 },
  ],
};

describe('adding a 会計セット to a draft', () => {
  it('appends its lines marked as from the セット, keeping their counts', () => {
    expect(addSet(draft, blood).items).toEqual([
      draft.items[0],
      { kind: 'procedure', code: '160095710', count: 1, source: 'set' },
      { kind: 'procedure', code: '160008010', count: 2, source: 'set' },
    ]);
  });
  it('bills a line already there once (the same セット chosen twice)', () => {
    const once = addSet(draft, blood);
    expect(addSet(once, blood)).toBe(once);
    const overlapping = addSet(draft, { items: [{ kind: 'procedure', code: '112007410', count: 1 }] });
    expect(overlapping.items).toEqual(draft.items);
  });
});
