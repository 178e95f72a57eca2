import type { BillDraft } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import {
  addProcedure,
  addSelfPay,
  changeYen,
  correctionDifference,
  remainingYen,
  removeItem,
  restoreItem,
  sectionName,
  sectionPoints,
  setCount,
  withElsewhere,
  yen,
} from './money';

const proposal: BillDraft = {
  visitKind: 'revisit',
  visitKindReason: '',
  items: [
    { kind: 'procedure', code: '112007410', count: 1, source: 'proposed' },
    { kind: 'procedure', code: '112011010', count: 1, source: 'proposed' },
  ],
  removed: [],
  selfPay: [],
  publicSubsidyIds: [],
  elsewhere: [],
};

describe('上限額管理票', () => {
  const id = '0b8f3a52-6c1e-4c7a-9d1e-2f6a1b3c4d5e';
  it('sets, replaces and clears the yen paid elsewhere for a 公費', () => {
    const set = withElsewhere(proposal, id, '8000');
    expect(set.elsewhere).toEqual([{ subsidyId: id, yen: 8000 }]);
    expect(withElsewhere(set, id, '9800').elsewhere).toEqual([{ subsidyId: id, yen: 9800 }]);
    expect(withElsewhere(set, id, '').elsewhere).toEqual([]);
    expect(withElsewhere(set, id, '12.5')).toBe(set); // not whole yen: unchanged
  });
});

describe('amounts', () => {
  it('formats yen with separators and sign', () => {
    expect(yen(12345)).toBe('¥12,345');
    expect(yen(-500)).toBe('-¥500');
  });
  it('gives change only when enough cash is handed over', () => {
    expect(changeYen(1230, 2000)).toBe(770);
    expect(changeYen(1230, 1230)).toBe(0);
    expect(changeYen(1230, 1000)).toBeNull();
    expect(changeYen(1230, undefined)).toBeNull();
  });
  it('leaves the unpaid rest of a partial payment', () => {
    expect(remainingYen(1230, 0, 1000)).toBe(230);
    expect(remainingYen(1230, 230, 1000)).toBe(0);
  });
  it('gives the correction difference to pay or refund', () => {
    expect(correctionDifference(1500, 1230)).toBe(270);
    expect(correctionDifference(1000, 1230)).toBe(-230);
  });
});

describe('draft edits', () => {
  it('keeps the reason of a removed proposed line and restores it', () => {
    const removed = removeItem(proposal, '112011010', '患者希望なし');
    expect(removed.items.map((i) => i.code)).toEqual(['112007410']);
    expect(removed.removed).toEqual([{ code: '112011010', reason: '患者希望なし' }]);
    const back = restoreItem(removed, proposal, '112011010');
    expect(back.items.map((i) => i.code)).toEqual(['112007410', '112011010']);
    expect(back.removed).toEqual([]);
  });
  it('removes a manual line without keeping a reason', () => {
    const added = addProcedure(proposal, '160000310');
    expect(added.items.at(-1)).toEqual({ kind: 'procedure', code: '160000310', count: 1, source: 'manual' });
    expect(removeItem(added, '160000310', '').removed).toEqual([]);
  });
  it('counts a procedure or 自費 item added twice', () => {
    const twice = addProcedure(addProcedure(proposal, '160000310'), '160000310');
    expect(twice.items.filter((i) => i.code === '160000310')).toEqual([
      { kind: 'procedure', code: '160000310', count: 2, source: 'manual' },
    ]);
    expect(addSelfPay(addSelfPay(proposal, 'doc'), 'doc').selfPay).toEqual([{ itemId: 'doc', count: 2 }]);
  });
});

describe('receipt sections', () => {
  it('lists every customary 区分 in order and puts unknown labels under その他', () => {
    const rows = sectionPoints({
      sections: [
        { label: '検査', points: 120 },
        { label: 'リハビリ', points: 40 },
        { label: '歯科', points: 5 },
        { label: 'その他', points: 10 },
      ],
    });
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual({ label: '初・再診料', points: 0 });
    expect(rows.find((r) => r.label === '検査')?.points).toBe(120);
    expect(rows.find((r) => r.label === 'リハビリテーション')?.points).toBe(40);
    expect(rows.find((r) => r.label === 'その他')?.points).toBe(15);
  });
});

describe('line sections', () => {
  it('names the 診療識別 of a line and leaves a label as it is', () => {
    expect(sectionName('11')).toBe('初診');
    expect(sectionName('80')).toBe('その他');
    expect(sectionName('21')).toBe('内服');
    expect(sectionName('検査')).toBe('検査');
  });
});

describe('setCount', () => {
  it('sets 回数 of a procedure line (2回 is one line with count 2)', () => {
    const d = addProcedure(proposal, '140000610');
    const next = setCount(d, '140000610', '2');
    expect(next.items.find((i) => i.code === '140000610')).toMatchObject({ count: 2 });
    expect(setCount(d, '140000610', '３')).not.toBe(d);
  });
  it('ignores a count outside 1–99 or not whole', () => {
    const d = addProcedure(proposal, '140000610');
    for (const bad of ['', '0', '100', '1.5', 'x']) expect(setCount(d, '140000610', bad)).toBe(d);
  });
});
