import { describe, expect, it } from 'vitest';
import { sectionLabels, sectionOf, setReasons } from './totals';

describe('領収証 区分 of a line', () => {
  it('follows the 区分番号 letter when the master gives one', () => {
    expect(sectionOf('12', 'A001')).toBe('初・再診料');
    expect(sectionOf('13', 'B001-3')).toBe('医学管理等');
    expect(sectionOf('80', 'H001')).toBe('リハビリテーション'); // 集計先 その他, but 第7部
    expect(sectionOf('80', 'I002')).toBe('精神科専門療法');
    expect(sectionOf('80', 'N000')).toBe('病理診断');
    expect(sectionOf('60', 'D007')).toBe('検査');
  });
  it('falls back on the 2-digit 集計先 (drugs and materials have no 区分番号)', () => {
    expect(sectionOf('21', '')).toBe('投薬');
    expect(sectionOf('23', '')).toBe('投薬');
    expect(sectionOf('32', '')).toBe('注射');
    expect(sectionOf('40', '')).toBe('処置');
    expect(sectionOf('70', '')).toBe('画像診断');
    expect(sectionOf('99', '')).toBe('その他');
  });
  it('prints the fifteen sections in the customary order', () => {
    expect(sectionLabels[0]).toBe('初・再診料');
    expect(sectionLabels.at(-1)).toBe('その他');
    expect(sectionLabels).toHaveLength(15);
  });
});

describe('reason of a line added from a 会計セット', () => {
  const sets = [
    { id: 'a', name: '採血', items: [{ kind: 'procedure' as const, code: '160095710', count: 1 }] },
    { id: 'b', name: '血算', items: [{ kind: 'procedure' as const, code: '160008010', count: 1 }] },
  ];
  const draft = (items: { code: string; source: 'manual' | 'set' }[]) => ({
    visitKind: 'revisit' as const,
    visitKindReason: '',
    items: items.map((i) => ({ kind: 'procedure' as const, count: 1, ...i })),
    removed: [],
    selfPay: [],
    publicSubsidyIds: [],
    elsewhere: [],
  });
  it('names the セット that holds the code; manual lines get none', () => {
    const reasons = setReasons(
      { sets },
      draft([
        { code: '160095710', source: 'set' },
        { code: '160008010', source: 'set' },
        { code: '112007410', source: 'manual' },
      ]),
    );
    expect([...reasons]).toEqual([
      ['160095710', 'セット「採血」から追加'],
      ['160008010', 'セット「血算」から追加'],
    ]);
  });
  it('says only セットから追加 when the セット has since been deleted', () => {
    expect(setReasons({ sets: [] }, draft([{ code: '160095710', source: 'set' }])).get('160095710')).toBe(
      'セットから追加',
    );
  });
});
