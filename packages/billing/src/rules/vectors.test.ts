import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledTariff } from '../bundled';
import type { BillingCase, ItemInput } from '../types';
import { priceVisits } from './index';

// The derived per-visit vectors of test-vectors/copay-test-vectors.json (the in-repo copy of
// ../shared/billing-data/copay-test-vectors.json, checked by copay/vectorsCopy.test.ts; 2024-06..2026-05 tariff):
// each visit is entered as a clerk would, priced by the rules on the bundled master, and the total compared
// with the vector's expected points.
const vectors = JSON.parse(
  readFileSync(new URL('../../test-vectors/copay-test-vectors.json', import.meta.url), 'utf8'),
) as { derived_per_visit: { id: string; expected: { points: number } }[] };
const expected = (id: string) => {
  const v = vectors.derived_per_visit.find((x) => x.id === id);
  if (!v) throw new Error(`vector ${id} missing`);
  return v.expected.points;
};

const tariff = bundledTariff();
const one = (date: string, items: ItemInput[]): BillingCase => ({
  birthDate: '1960-04-01',
  visits: [{ date, items }],
});
const codes = (...cs: string[]) => cs.map((code) => ({ code }));

// 生化学的検査（１）: AST, ALT, γ-GT, TG, HDL, LDL, BUN, クレアチニン, UA, グルコース (10 items, group 1)
const CHEM10 = codes(
  '160022510',
  '160022610',
  '160020410',
  '160020910',
  '160023410',
  '160167250',
  '160019010',
  '160019210',
  '160019310',
  '160019410',
);

describe('derived per-visit vectors through priceVisits', () => {
  it('D03a: 再診 + 外来管理加算 + 特定疾患療養管理料 + 処方箋料 + 特定疾患処方管理加算 + 一般名処方加算2', () => {
    const [v] = priceVisits(
      tariff,
      one('2024-07-10', codes('112007410', '112011010', '113001810', '120002910', '120005710', '120003570')),
    );
    expect(v?.points).toBe(expected('D03a'));
  });

  it('D04: 再診 + 生活習慣病管理料(II) + 処方箋料; an entered 外来管理加算 is dropped with its reason', () => {
    const [v] = priceVisits(
      tariff,
      one('2024-07-10', codes('112007410', '113707110', '112011010', '120002910')),
    );
    expect(v?.points).toBe(expected('D04'));
    const mgmt = v?.lines.find((l) => l.code === '112011010');
    expect(mgmt).toMatchObject({ status: 'dropped', points: 0 });
    expect(mgmt?.reason).toBe('外来管理加算: 同日に医学管理（生活習慣病管理料２）があるため算定不可');
  });

  it('D05a: 再診 + 外来管理加算 + B-V + 末梢血液一般 + HbA1c + D007 10項目 (まるめ 103) + both 判断料', () => {
    const [v] = priceVisits(
      tariff,
      one('2024-07-10', [
        ...codes('112007410', '112011010', '160095710', '160008010', '160010010'),
        ...CHEM10,
      ]),
    );
    expect(v?.points).toBe(expected('D05a'));
    const added = v?.lines.filter((l) => l.status === 'added').map((l) => [l.code, l.points]);
    expect(added).toEqual([
      ['160061810', 125],
      ['160061910', 144],
    ]);
    const chem = v?.lines.filter((l) => CHEM10.some((c) => c.code === l.code)) ?? [];
    expect(chem.map((l) => l.points * l.count).reduce((a, b) => a + b, 0)).toBe(103);
    expect(chem.every((l) => l.reason.includes('まるめ'))).toBe(true);
  });

  it('D05b: the same tests later in the month: no 判断料 again', () => {
    const items = [...codes('112007410', '112011010', '160095710', '160008010', '160010010'), ...CHEM10];
    const [first, later] = priceVisits(tariff, {
      birthDate: '1960-04-01',
      visits: [
        { date: '2024-07-10', items },
        { date: '2024-07-24', items },
      ],
    });
    expect(first?.points).toBe(expected('D05a'));
    expect(later?.points).toBe(75 + 52 + 40 + 21 + 49 + 103);
    expect(later?.lines.some((l) => l.status === 'added')).toBe(false);
  });

  it('D12: 院内処方 再診 + 外来管理加算 + 処方料 + 調剤料 + 薬剤料 6点×7日 (620098801 + 620452801, one 剤)', () => {
    const [v] = priceVisits(
      tariff,
      one('2024-07-10', [
        ...codes('112007410', '112011010', '120001210', '120000710'),
        { drug: '620098801', amount: 3, days: 7, rp: 1 },
        { drug: '620452801', amount: 3, days: 7, rp: 1 },
      ]),
    );
    expect(v?.points).toBe(expected('D12'));
    const drugs = v?.lines.filter((l) => l.code.startsWith('62'));
    expect(drugs?.map((l) => [l.code, l.points, l.count])).toEqual([
      ['620098801', 6, 7],
      ['620452801', 0, 1],
    ]);
  });
});
