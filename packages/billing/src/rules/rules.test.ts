import { describe, expect, it } from 'vitest';
import { bundledTariff } from '../bundled';
import {
  type BillingCase,
  BillingInputError,
  type ItemInput,
  type PricedLine,
  type VisitInput,
} from '../types';
import { ageOn } from './age';
import { BUNDLE_STEPS, stepTable } from './bundleSteps';
import { drugFeePoints } from './drugs';
import { priceVisits } from './index';
import { JUDGEMENT_CODES } from './judgement';
import { procedureLine } from './procedures';

// Each rule on real codes of the bundled 2024-06 master (+ changes).
const tariff = bundledTariff();
const ADULT = '1960-04-01';
const price = (items: ItemInput[], extra: Partial<BillingCase> = {}, date = '2024-07-10') =>
  priceVisits(tariff, { birthDate: ADULT, visits: [{ date, items }], ...extra })[0];
const line = (lines: PricedLine[] | undefined, code: string) => lines?.find((l) => l.code === code);
const codes = (...cs: string[]) => cs.map((code) => ({ code }));

describe('points from 点数識別/点数', () => {
  it('点数 as is, with 区分番号 in the reason and section = first 2 digits of 集計先', () => {
    const v = price(codes('111000110'));
    expect(line(v?.lines, '111000110')).toMatchObject({
      name: '初診料',
      points: 291,
      count: 1,
      section: '11',
      status: 'billed',
      reason: '算定（区分 A000、291点）',
    });
    expect(v?.points).toBe(291);
  });

  it('金額 (点数識別 1) → yen ÷ 10 rounded; 点数(−) (8) negative', () => {
    // 入院時食事療養（１）: 670円 (2024-06) → 67点, 690円 (2025-04) → 69点
    const yen = (d: string) => tariff.procedure('197000110', d);
    expect([yen('2024-07-10'), yen('2025-04-01')].map((y) => y && procedureLine(y, 1).points)).toEqual([
      67, 69,
    ]);
    const minus = tariff.procedure('111015370', '2024-07-10'); // 200点減算
    expect(minus && procedureLine(minus, 1).points).toBe(-200);
  });

  it('count multiplies', () => {
    expect(price([{ code: '160022510', count: 2 }])?.points).toBe(2 * 17 + 144);
  });
});

describe('薬剤料', () => {
  it('≤ 15円 → 1点, else ceil((円 − 15) / 10) + 1 (in 1/100 yen)', () => {
    expect([1, 1500, 1501, 2500, 2501, 6060].map(drugFeePoints)).toEqual([1, 1, 2, 2, 3, 6]);
  });

  it('内服: drugs of one rp are one 剤 per day × days; different rp are separate 剤', () => {
    const v = price([
      { drug: '620098801', amount: 1, days: 5, rp: 1 }, // 10.10円 → 1点
      { drug: '620452801', amount: 3, days: 5, rp: 2 }, // 30.30円 → 3点
    ]);
    expect(v?.lines.map((l) => [l.code, l.points, l.count])).toEqual([
      ['620098801', 1, 5],
      ['620452801', 3, 5],
    ]);
    expect(v?.points).toBe(20);
    expect(line(v?.lines, '620452801')?.reason).toContain('(30.3−15)÷10 切上げ+1 = 3点 × 5');
  });

  it('外用: the amount is the whole 調剤, billed once (section 23)', () => {
    const d = tariff.drug('622234201', '2024-07-10');
    const v = price([{ drug: '622234201', amount: 14, rp: 2 }]);
    const cents = Math.round((d?.priceYen ?? 0) * 100 * 14);
    expect(line(v?.lines, '622234201')).toMatchObject({
      count: 1,
      section: '23',
      points: drugFeePoints(cents),
    });
  });

  it('a YJ code and a 一般名コード resolve to a drug', () => {
    const v = price([{ drug: '1149019F1560', amount: 3, days: 7, rp: 1 }]);
    expect(v?.lines[0]?.code).toBe('620098801');
    const g = price([{ drug: '1149019F1ZZZ', amount: 3, days: 7, rp: 1 }]);
    expect(g?.lines[0]?.name).toContain('ロキソプロフェン');
  });
});

describe('特定器材', () => {
  it('材料価格 × 数量 ÷ 10 四捨五入, in the section of the procedure before it', () => {
    const v = price([{ code: '140002210' }, { material: '700060000', amount: 3 }]); // 76円 × 3 = 228円
    expect(line(v?.lines, '700060000')).toMatchObject({ points: 23, count: 1, section: '40' });
  });
});

describe('検体検査 まるめ', () => {
  const chem = (n: number) =>
    codes(
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
    ).slice(0, n);

  it('below 5 items each item keeps its points', () => {
    const v = price(chem(4));
    expect(v?.points).toBe(17 + 17 + 11 + 11 + 144);
  });

  it('5–7 → 93, 8–9 → 99, every item listed with the reason', () => {
    expect(price(chem(5))?.points).toBe(93 + 144);
    const v = price(chem(8));
    expect(v?.points).toBe(99 + 144);
    expect(v?.lines.filter((l) => l.reason.includes('まるめ')).length).toBe(8);
  });

  it('the step table is dated data with its source', () => {
    expect(stepTable(1, '2024-06-01')?.steps[0]).toEqual({ min: 10, points: 103 });
    expect(stepTable(1, '2024-05-31')).toBeUndefined();
    expect(BUNDLE_STEPS.every((t) => t.source.length > 0)).toBe(true);
  });
});

describe('判断料', () => {
  it("each code in the table is that group's 判断料 in the master", () => {
    for (const [group, code] of Object.entries(JUDGEMENT_CODES)) {
      expect(tariff.procedure(code, '2024-07-10')).toMatchObject({ judgeKind: 2, judgeGroup: Number(group) });
    }
  });

  it('added once per group per month, counting earlier visits given as points with billedCodes', () => {
    const visits: VisitInput[] = [
      { date: '2024-07-01', points: 300, billedCodes: [{ code: '160061910', count: 1 }] },
      { date: '2024-07-10', items: codes('160022510', '160008010') },
      { date: '2024-08-01', items: codes('160022510') },
    ];
    const [, july, august] = priceVisits(tariff, { birthDate: ADULT, visits });
    expect(july?.lines.filter((l) => l.status === 'added').map((l) => l.code)).toEqual(['160061810']);
    expect(line(july?.lines, '160061810')?.reason).toContain('月1回');
    expect(august?.lines.filter((l) => l.status === 'added').map((l) => l.code)).toEqual(['160061910']);
  });

  it('not added when the 判断料 is entered by hand on the visit', () => {
    const v = price(codes('160022510', '160061910'));
    expect(v?.lines.filter((l) => l.code === '160061910').map((l) => l.status)).toEqual(['billed']);
  });
});

describe('外来管理加算', () => {
  it('dropped on a day with 消炎鎮痛等処置 (col 55 = 1), the reason naming it', () => {
    const v = price(codes('112007410', '112011010', '140002210'));
    expect(line(v?.lines, '112011010')).toMatchObject({
      status: 'dropped',
      points: 0,
      reason: '外来管理加算: 同日に処置（消炎鎮痛等処置（湿布処置））があるため算定不可',
    });
    expect(v?.points).toBe(75 + 35);
  });

  it('kept with 検体検査 (col 55 = 0)', () => {
    expect(line(price(codes('112007410', '112011010', '160008010'))?.lines, '112011010')?.status).toBe(
      'billed',
    );
  });
});

describe('上限回数 within the month', () => {
  it('特定疾患療養管理料 (月2回): the third in a month is dropped; a new month starts again', () => {
    const visit = (date: string) => ({ date, items: codes('112007410', '113001810') });
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      visits: [visit('2024-07-01'), visit('2024-07-15'), visit('2024-07-29'), visit('2024-08-05')],
    });
    expect(out.map((v) => line(v.lines, '113001810')?.status)).toEqual([
      'billed',
      'billed',
      'dropped',
      'billed',
    ]);
    expect(line(out[2]?.lines, '113001810')?.reason).toBe(
      '特定疾患療養管理料（診療所）: 上限回数 月2回を超えるため算定不可（今月 2回算定済み）',
    );
  });

  it('a count above what is left is reduced', () => {
    const v = price([{ code: '113001810', count: 3 }]);
    expect(line(v?.lines, '113001810')).toMatchObject({ count: 2, status: 'billed' });
  });
});

describe('上限回数 by its unit (countUnits: a month, 3 months, 12 months, or unknown)', () => {
  const visit = (date: string, code: string, count = 1): VisitInput => ({
    date,
    items: [{ code: '112007410' }, { code, count }],
  });
  const statuses = (out: { lines: PricedLine[] }[], code: string) =>
    out.map((v) => line(v.lines, code)?.status);

  it('医療DX推進体制整備加算 (月1回): the second in a month is dropped, saying 月', () => {
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      visits: [
        visit('2024-07-01', '111703370'),
        visit('2024-07-20', '111703370'),
        visit('2024-08-01', '111703370'),
      ],
    });
    expect(statuses(out, '111703370')).toEqual(['billed', 'dropped', 'billed']);
    expect(line(out[1]?.lines, '111703370')?.reason).toBe(
      '医療ＤＸ推進体制整備加算（初診）: 上限回数 月1回を超えるため算定不可（今月 1回算定済み）',
    );
  });

  it('医療情報取得加算（再診）(3月に1回): counted over this month and the two before', () => {
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      visits: [
        visit('2024-12-02', '112708970'),
        visit('2025-01-10', '112708970'),
        visit('2025-02-28', '112708970'),
        visit('2025-03-03', '112708970'),
      ],
    });
    expect(statuses(out, '112708970')).toEqual(['billed', 'dropped', 'dropped', 'billed']);
    expect(line(out[1]?.lines, '112708970')?.reason).toBe(
      '医療情報取得加算（再診）: 上限回数 3月に1回（今月を含む暦月3か月）を超えるため算定不可（この期間に 1回算定済み）',
    );
  });

  it('時間内歩行試験 (年4回): counted over 12 calendar months; a count above what is left is reduced', () => {
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      visits: [
        visit('2024-07-01', '160198710', 3),
        visit('2024-10-01', '160198710', 2),
        visit('2025-06-30', '160198710'),
        visit('2025-07-01', '160198710'),
      ],
    });
    expect(line(out[1]?.lines, '160198710')).toMatchObject({ status: 'billed', count: 1 });
    expect(line(out[1]?.lines, '160198710')?.reason).toContain(
      '上限回数 年4回（今月を含む暦月12か月）のため 2回 → 1回',
    );
    expect(statuses(out, '160198710')).toEqual(['billed', 'billed', 'dropped', 'billed']);
    expect(line(out[2]?.lines, '160198710')?.reason).toContain('（この期間に 4回算定済み）');
  });

  it('a 上限回数 of unknown unit (経頭蓋磁気刺激療法, 一連 30回) is not dropped: a warning when the month exceeds it', () => {
    const facilityStandards = ['3746']; // its 施設基準 届出 (else the line warns of that)
    const within = priceVisits(tariff, {
      birthDate: ADULT,
      facilityStandards,
      visits: [visit('2024-07-01', '180058650', 30)],
    })[0];
    expect(line(within?.lines, '180058650')).toMatchObject({ status: 'billed', count: 30 });
    expect(line(within?.lines, '180058650')?.warning).toBeUndefined();
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      facilityStandards,
      visits: [visit('2024-07-01', '180058650', 30), visit('2024-07-02', '180058650')],
    });
    expect(line(out[1]?.lines, '180058650')).toMatchObject({ status: 'billed', count: 1 });
    const warning = 'マスターの上限回数 30 回（単位は算定回数テーブルで確認が必要）を今月すでに超えています';
    expect(line(out[1]?.lines, '180058650')?.warning).toContain(warning);
    expect(out[1]?.warnings.some((w) => w.includes(warning))).toBe(true);
  });

  it('a unit is known only within its dates: 医療情報取得加算（再診） after 2026-05 only warns', () => {
    const out = priceVisits(tariff, {
      birthDate: ADULT,
      visits: [visit('2026-06-01', '112708970'), visit('2026-06-15', '112708970')],
    });
    expect(statuses(out, '112708970')).toEqual(['billed', 'billed']);
    expect(line(out[1]?.lines, '112708970')?.warning).toContain('マスターの上限回数 1 回');
  });
});

describe('注加算 mutually exclusive (same 注加算コード and 通番)', () => {
  it('乳幼児加算 vs 乳幼児時間外加算 (1101-1): the higher one stays', () => {
    const v = price(codes('111000110', '111000370', '111011970'), { birthDate: '2022-01-01' });
    expect(line(v?.lines, '111011970')?.status).toBe('billed');
    expect(line(v?.lines, '111000370')).toMatchObject({ status: 'dropped', points: 0 });
    expect(line(v?.lines, '111000370')?.reason).toContain('同じ注加算（1101-1）で併算定不可');
    expect(v?.points).toBe(291 + 200);
  });
});

describe('％加算', () => {
  it('乳幼児加算（ギプス） 55% of its base (same 注加算コード 4016, 通番 0), 四捨五入', () => {
    const v = price(codes('140040410', '140050170'), { birthDate: '2022-01-01' });
    expect(line(v?.lines, '140050170')?.points).toBe(Math.round((310 * 55) / 100));
    expect(v?.points).toBe(310 + 171);
  });

  it('without a determinable base it is dropped with a warning, never guessed', () => {
    const v = price(codes('160155390'), { birthDate: '2023-01-01' }); // 乳幼児加算（生体検査）, 注加算 0
    expect(line(v?.lines, '160155390')?.status).toBe('dropped');
    expect(v?.warnings.some((w) => w.includes('160155390'))).toBe(true);
  });
});

describe('age windows', () => {
  it('乳幼児加算（初診） (6歳未満) is dropped for an adult, with the reason', () => {
    const v = price(codes('111000110', '111000370'));
    expect(line(v?.lines, '111000370')).toMatchObject({
      status: 'dropped',
      reason: '乳幼児加算（初診）: 年齢条件（6歳未満に限る（患者 64歳））を満たさないため算定不可',
    });
  });

  it('kept the day before the 6th birthday, dropped on it', () => {
    const at = (date: string) =>
      line(price(codes('111000110', '111000370'), { birthDate: '2018-07-10' }, date)?.lines, '111000370');
    expect(at('2024-07-09')?.status).toBe('billed');
    expect(at('2024-07-10')?.status).toBe('dropped');
    expect(ageOn('2018-07-10', '2024-07-10')).toBe(6);
  });
});

describe('施設基準', () => {
  it('機能強化加算 without its 届出 → a warning on the line, still billed', () => {
    const v = price(codes('111000110', '111013770'));
    const l = line(v?.lines, '111013770');
    expect(l?.status).toBe('billed');
    expect(l?.warning).toContain('施設基準');
    expect(v?.warnings.length).toBe(1);
    const ok = price(codes('111000110', '111013770'), { facilityStandards: ['3522'] });
    expect(line(ok?.lines, '111013770')?.warning).toBeUndefined();
  });
});

describe('errors and pass-through', () => {
  it('an unknown code or one not valid on the date → BillingInputError naming it', () => {
    expect(() => price(codes('999999999'))).toThrow(BillingInputError);
    expect(() => price(codes('111703170'), {}, '2024-12-01')).toThrow(/111703170.*2024-12-01/);
    expect(() => price([{ drug: '000000000', amount: 1 }])).toThrow(/医薬品 000000000/);
  });

  it('入院のみ items → error', () => {
    expect(() => price(codes('112017790'))).toThrow(/入院に限る/);
  });

  it('a visit after the newest loaded master change gets a warning naming the import command', () => {
    const v = price(codes('112007410'), {}, '2026-06-10');
    expect(v?.warnings[0]).toContain('npm run masters:import');
    expect(price(codes('112007410'))?.warnings).toEqual([]);
  });

  it('a visit given as points passes through', () => {
    const out = priceVisits(tariff, { birthDate: ADULT, visits: [{ date: '2024-07-20', points: 4000 }] });
    expect(out).toEqual([{ date: '2024-07-20', points: 4000, lines: [], warnings: [] }]);
  });

  it('every line has a Japanese reason and a 2-digit section', () => {
    const v = price([
      ...codes('112007410', '112011010', '160095710', '160008010', '140002210'),
      { drug: '620098801', amount: 3, days: 7, rp: 1 },
    ]);
    for (const l of v?.lines ?? []) {
      expect(l.reason).toMatch(/[぀-ヿ一-鿿]/);
      expect(l.section).toMatch(/^\d\d$/);
    }
  });
});
