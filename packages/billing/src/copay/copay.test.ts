import { describe, expect, it } from 'vitest';
import { BillingInputError, type PublicSubsidyInput } from '../types';
import { type CopayContext, type CopayVisit, copayForVisits } from './index';
import { round10 } from './rounding';

const adult = '1980-04-10';
const ctxOf = (over: Partial<CopayContext> = {}): CopayContext => ({
  birthDate: adult,
  publicSubsidies: [],
  ...over,
});
const visit = (date: string, points: number, publicSubsidies: string[] = []): CopayVisit => ({
  date,
  points,
  publicSubsidies,
});
const labels = (steps: { label: string }[]) => steps.map((s) => s.label);

describe('10円 rounding (健康保険法75条: 5円以上切上げ)', () => {
  it('rounds the 1-yen remainder at 5', () => {
    expect([0, 4, 5, 554, 555, 1004, 1005, 1009].map(round10)).toEqual([
      0, 0, 10, 550, 560, 1000, 1010, 1010,
    ]);
    expect(round10(-5)).toBe(-10);
  });

  it('charges the window amount and keeps the 1-yen value', () => {
    const [a, b, c] = copayForVisits(ctxOf({ ratio: 3 }), [
      visit('2025-05-01', 185),
      visit('2025-06-01', 218),
      visit('2025-07-01', 1),
    ]);
    expect([a?.patientRawYen, a?.patientYen]).toEqual([555, 560]);
    expect([b?.patientRawYen, b?.patientYen]).toEqual([654, 650]);
    expect([c?.patientRawYen, c?.patientYen]).toEqual([3, 0]);
  });

  it('charges round10 of each visit part of the month cumulative (the 1-yen month total kept apart)', () => {
    // 3 × 185点 at 3割: 555 each; cumulative 555 / 1110 / 1665 → 560, 560, 560 (555 rounded each time).
    const r = copayForVisits(ctxOf({ ratio: 3 }), [
      visit('2025-05-01', 185),
      visit('2025-05-02', 185),
      visit('2025-05-03', 185),
    ]);
    expect(r.map((v) => v.patientRawYen)).toEqual([555, 555, 555]);
    expect(r.map((v) => v.patientYen)).toEqual([560, 560, 560]);
    expect(r.map((v) => v.insurerYen)).toEqual([1295, 1295, 1295]);
  });
});

describe('負担割合', () => {
  it('uses the recorded ratio, else the age rule of @karte/domain', () => {
    const [given] = copayForVisits(ctxOf({ ratio: 1 }), [visit('2025-05-01', 100)]);
    expect([given?.ratio, given?.ratioReason, given?.patientYen]).toEqual([1, '登録された負担割合', 100]);
    const [child] = copayForVisits(ctxOf({ birthDate: '2022-05-10' }), [visit('2025-05-01', 100)]);
    expect([child?.ratio, child?.ratioReason, child?.patientYen]).toEqual([2, '未就学児', 200]);
    const [adultAge] = copayForVisits(ctxOf(), [visit('2025-05-01', 100)]);
    expect(adultAge?.ratio).toBe(3);
    // A known 区分 tells the age rule what it cannot know: 後期 一般Ⅱ is 2割.
    const [late] = copayForVisits(ctxOf({ birthDate: '1945-05-10', kubun: 'B09' }), [
      visit('2025-11-01', 100),
    ]);
    expect([late?.ratio, late?.patientYen]).toEqual([2, 200]);
    expect(labels(late?.steps ?? [])[0]).toBe('負担割合 2割');
  });
});

describe('高額療養費', () => {
  it('applies a limit only when the 区分 is known under 70 (online code or label)', () => {
    const none = copayForVisits(ctxOf({ ratio: 3 }), [visit('2025-05-01', 100_000)]);
    expect(none[0]?.patientYen).toBe(300_000);
    const known = copayForVisits(ctxOf({ ratio: 3, kubun: 'A03' }), [visit('2025-05-01', 100_000)]);
    expect(known[0]?.patientYen).toBe(87_430);
    expect(labels(known[0]?.steps ?? [])).toContain('高額療養費 限度額（ウ）80,100円+1% に到達');
    expect(known[0]?.insurerYen).toBe(1_000_000 - 87_430);
  });

  it('applies the 外来特例 at 70+ without a 区分, and starts again on the 1st of the month', () => {
    const elderly = ctxOf({ birthDate: '1953-05-10' });
    const r = copayForVisits(elderly, [
      visit('2025-10-20', 6_000),
      visit('2025-10-30', 5_000),
      visit('2025-11-02', 5_000),
      visit('2025-11-20', 5_000),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([12_000, 6_000, 10_000, 8_000]);
    expect(labels(r[1]?.steps ?? [])).toContain('高額療養費 限度額（一般）18,000円 に到達');
    expect(r[2]?.steps.some((s) => s.label.startsWith('高額療養費'))).toBe(false);
  });

  it('halves the limits in the 75歳到達月, not for a birth on the 1st', () => {
    const turning = copayForVisits(ctxOf({ birthDate: '1950-11-15', kubun: '一般' }), [
      visit('2025-11-20', 10_000),
    ]);
    expect(turning[0]?.patientYen).toBe(9_000); // 1割 10,000 → 18,000 / 2
    const first = copayForVisits(ctxOf({ birthDate: '1950-11-01', kubun: '一般' }), [
      visit('2025-11-20', 10_000),
    ]);
    expect(first[0]?.patientYen).toBe(10_000);
  });

  it('uses the 配慮措置 for 後期 一般Ⅱ only until 2025-09-30', () => {
    const ctx = ctxOf({ birthDate: '1945-05-10', kubun: '一般Ⅱ' });
    const [before, after] = copayForVisits(ctx, [visit('2025-09-10', 8_000), visit('2025-10-10', 8_000)]);
    expect(before?.patientYen).toBe(11_000); // 6,000 + (80,000 − 30,000) × 10%
    expect(after?.patientYen).toBe(16_000); // plain 2割, below the 18,000 外来特例
  });

  it('says when a limit is past the planned 2026-08 revision', () => {
    const [v] = copayForVisits(ctxOf({ ratio: 3, kubun: 'ウ' }), [visit('2026-09-01', 100_000)]);
    expect(v?.steps.some((s) => s.label.includes('改定額は未確認'))).toBe(true);
  });

  it('caps at the マル長 amount', () => {
    const [v] = copayForVisits(ctxOf({ ratio: 3, maruchoCapYen: 10_000 }), [visit('2025-05-01', 30_000)]);
    expect(v?.patientYen).toBe(10_000);
  });
});

describe('公費', () => {
  const nanbyou: PublicSubsidyInput = { payerNumber: '54136015', monthlyCapYen: 5_000 };

  it('難病: 2割 for a 3割 insured, then the monthly cap reached over several visits', () => {
    const r = copayForVisits(ctxOf({ ratio: 3, publicSubsidies: [nanbyou] }), [
      visit('2025-05-01', 1_000, ['54136015']),
      visit('2025-05-08', 1_000, ['54136015']),
      visit('2025-05-15', 1_000, ['54136015']),
      visit('2025-05-22', 1_000, ['54136015']),
      visit('2025-06-01', 1_000, ['54136015']),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([2_000, 2_000, 1_000, 0, 2_000]);
    expect(r.map((v) => v.publicYen)).toEqual([1_000, 1_000, 2_000, 3_000, 1_000]);
    expect(r.map((v) => v.insurerYen)).toEqual([7_000, 7_000, 7_000, 7_000, 7_000]);
    expect(r[0]?.publicByPayer).toEqual([{ payerNumber: '54136015', yen: 1_000 }]);
    expect(labels(r[0]?.steps ?? [])).toContain('難病 2割負担');
    expect(labels(r[2]?.steps ?? [])).toContain('難病 自己負担上限月額 5,000円 に到達');
  });

  it('難病: counts what the 上限額管理票 shows as paid elsewhere this month', () => {
    const p = { ...nanbyou, paidElsewhereYen: 3_500 };
    const r = copayForVisits(ctxOf({ ratio: 3, publicSubsidies: [p] }), [
      visit('2025-05-01', 1_000, ['54136015']),
      visit('2025-05-08', 1_000, ['54136015']),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([1_500, 0]);
    expect(labels(r[0]?.steps ?? [])).toContain(
      '難病 自己負担上限月額 5,000円 に到達（他機関支払済 3,500円）',
    );
  });

  it('生活保護単独 (ratio 0): the 公費 pays everything', () => {
    const [v] = copayForVisits(ctxOf({ ratio: 0, publicSubsidies: [{ payerNumber: '12136015' }] }), [
      visit('2025-05-01', 1_234, ['12136015']),
    ]);
    expect([v?.patientYen, v?.insurerYen, v?.publicYen]).toEqual([0, 0, 12_340]);
    expect(labels(v?.steps ?? [])).toEqual([
      '保険給付なし（10割）',
      '生活保護 全額公費',
      '窓口負担（10円未満四捨五入）',
    ]);
  });

  it('子ども医療費助成 1回 200円: the smaller amount when the share is below 200円', () => {
    const maruko: PublicSubsidyInput = { payerNumber: '88136015', local: { kind: 'perVisit', yen: 200 } };
    const r = copayForVisits(ctxOf({ birthDate: '2015-05-10', publicSubsidies: [maruko] }), [
      visit('2025-05-01', 50, ['88136015']),
      visit('2025-05-08', 198, ['88136015']),
      visit('2025-05-09', 198, []),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([150, 200, 590]);
    expect(r.map((v) => v.publicYen)).toEqual([0, 390, 0]);
    expect(r[1]?.steps).toContainEqual({ label: '子ども医療費助成 1回 200円', yen: 390 });
  });

  it('地方単独 月 N円 and 全額', () => {
    const month: PublicSubsidyInput = { payerNumber: '89136015', local: { kind: 'perMonth', yen: 500 } };
    const r = copayForVisits(ctxOf({ ratio: 3, publicSubsidies: [month] }), [
      visit('2025-05-01', 300, ['89136015']),
      visit('2025-05-02', 300, ['89136015']),
      visit('2025-06-02', 100, ['89136015']),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([500, 0, 300]);
    const full: PublicSubsidyInput = { payerNumber: '88136015', local: { kind: 'full' } };
    const [f] = copayForVisits(ctxOf({ ratio: 2, publicSubsidies: [full] }), [
      visit('2025-05-01', 217, ['88136015']),
    ]);
    expect([f?.patientYen, f?.publicYen]).toEqual([0, 430]); // the 一部負担金 434 as collected: 430
  });

  it('applies national 公費 before 地方単独, and 生活保護 last', () => {
    const subsidies: PublicSubsidyInput[] = [
      { payerNumber: '12136015' },
      { payerNumber: '88136015', local: { kind: 'perVisit', yen: 200 } },
      { payerNumber: '21136015', monthlyCapYen: 2_500 },
    ];
    const [v] = copayForVisits(ctxOf({ ratio: 3, publicSubsidies: subsidies }), [
      visit('2025-05-01', 1_000, ['12136015', '88136015', '21136015']),
    ]);
    // 3割 3,000 → 精神通院 1割 1,000 → マル子 200 → 生活保護 0.
    expect(v?.publicByPayer).toEqual([
      { payerNumber: '21136015', yen: 2_000 },
      { payerNumber: '88136015', yen: 800 },
      { payerNumber: '12136015', yen: 200 },
    ]);
    expect(v?.patientYen).toBe(0);
  });

  it('combines a 公費 bill with the insurance-only visits of the month (70+ 一般)', () => {
    const r = copayForVisits(ctxOf({ birthDate: '1953-05-10', kubun: '一般', publicSubsidies: [nanbyou] }), [
      visit('2025-05-01', 10_000),
      visit('2025-05-08', 5_500, ['54136015']),
    ]);
    // Insurance-only 20,000 → 18,000; the 難病 bill's patient 5,000 then leaves 13,000 to the insurance bill.
    expect(r.map((v) => v.patientYen)).toEqual([18_000, 0]);
    expect(r[1]?.publicYen).toBe(6_000);
    expect(r.every((v) => v.patientRawYen >= 0)).toBe(true);
  });

  it('keeps patient + insurer + national 公費 equal to the 医療費 for every visit', () => {
    const subsidies: PublicSubsidyInput[] = [nanbyou, { payerNumber: '15136015', monthlyCapYen: 10_000 }];
    const visits = [
      visit('2025-05-01', 3_333, ['54136015']),
      visit('2025-05-03', 7_777),
      visit('2025-05-05', 12_345, ['15136015']),
      visit('2025-05-07', 999, ['54136015']),
    ];
    const r = copayForVisits(ctxOf({ ratio: 3, kubun: 'イ', publicSubsidies: subsidies }), visits);
    r.forEach((v, i) => {
      expect(v.patientRawYen + v.insurerYen + v.publicYen).toBe((visits[i]?.points ?? 0) * 10);
    });
  });

  it('returns results in the order given, accumulating in date order', () => {
    const r = copayForVisits(ctxOf({ birthDate: '1953-05-10' }), [
      visit('2025-05-20', 5_000),
      visit('2025-05-01', 5_000),
    ]);
    expect(r.map((v) => v.patientYen)).toEqual([8_000, 10_000]);
  });

  it('refuses a 公費 the patient has not recorded, a bad point total and a bad date', () => {
    expect(() => copayForVisits(ctxOf(), [visit('2025-05-01', 100, ['54999999'])])).toThrow(
      BillingInputError,
    );
    expect(() => copayForVisits(ctxOf(), [visit('2025-05-01', -1)])).toThrow(BillingInputError);
    expect(() => copayForVisits(ctxOf(), [visit('2025/05/01', 100)])).toThrow(BillingInputError);
  });
});
