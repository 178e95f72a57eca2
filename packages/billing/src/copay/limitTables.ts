import type { Over70Kubun, Under70Kubun } from './kubun';

/**
 * 高額療養費 自己負担限度額 as dated data (monthly, per institution, 1-yen units).
 * A limit is fixed, or proportional: base + (医療費 − offset) × 1% (never below base).
 */
export type LimitAmount =
  | { kind: 'fixed'; yen: number }
  | { kind: 'proportional'; baseYen: number; offsetYen: number };

export interface KubunLimit {
  outpatient: LimitAmount;
  inpatient: LimitAmount;
  /** 多数回該当 (4th+ month in 12 with 高額療養費); absent = none. */
  manyTimesYen?: number;
  /** 多数回 also for the outpatient limit (not for the ≥70 外来特例). */
  manyTimesOutpatient: boolean;
}

export interface Dated<T> {
  validFrom: string;
  validTo: string | null; // last day (null = open)
  rows: T;
}

const fixed = (yen: number): LimitAmount => ({ kind: 'fixed', yen });
const proportional = (baseYen: number, offsetYen: number): LimitAmount => ({
  kind: 'proportional',
  baseYen,
  offsetYen,
});
const same = (amount: LimitAmount, manyTimesYen?: number): KubunLimit => ({
  outpatient: amount,
  inpatient: amount,
  manyTimesYen,
  manyTimesOutpatient: true,
});

/**
 * Under 70, from 2015-01 (5 区分). Source: ../shared/domain/NOTES.md §1.4 (d-kenpo.daiei.co.jp/kougakugen_1.html,
 * city.miura.kanagawa.jp …/7075.html); MHLW 「高額療養費の自己負担限度額の見直しに係る計算事例」 H27.1.
 * The 2026-08 revision (ウ 85,800 + 1% …) is unconfirmed (NOTES §3.6): see `revisionPendingFrom`.
 */
export const under70Limits: Dated<Record<Under70Kubun, KubunLimit>>[] = [
  {
    validFrom: '2015-01-01',
    validTo: null,
    rows: {
      ア: same(proportional(252_600, 842_000), 140_100),
      イ: same(proportional(167_400, 558_000), 93_000),
      ウ: same(proportional(80_100, 267_000), 44_400),
      エ: same(fixed(57_600), 44_400),
      オ: same(fixed(35_400), 24_600),
    },
  },
];

const general = (): KubunLimit => ({
  outpatient: fixed(18_000), // 外来特例 (個人)
  inpatient: fixed(57_600),
  manyTimesYen: 44_400,
  manyTimesOutpatient: false, // NOTES §3.3: 多数回 is not applied to the 外来特例
});

/**
 * 70 and over (高齢受給者 and 後期高齢者), from 2018-08. Source: ../shared/domain/NOTES.md §1.5
 * (town.hasami.lg.jp kiji0031248, energia-kenpo.or.jp/jinsei/10_01.html, aomori-kouikirengou.jp/kyufu/kougaku.html);
 * MHLW 「高額療養費計算例（70歳以上）」. 現役並み has no separate outpatient limit. 一般Ⅰ/一般Ⅱ are the 後期 split of 一般.
 */
export const over70Limits: Dated<Record<Over70Kubun, KubunLimit>>[] = [
  {
    validFrom: '2018-08-01',
    validTo: null,
    rows: {
      現役並みⅢ: same(proportional(252_600, 842_000), 140_100),
      現役並みⅡ: same(proportional(167_400, 558_000), 93_000),
      現役並みⅠ: same(proportional(80_100, 267_000), 44_400),
      一般: general(),
      一般Ⅰ: general(),
      一般Ⅱ: general(),
      低所得Ⅱ: { outpatient: fixed(8_000), inpatient: fixed(24_600), manyTimesOutpatient: false },
      低所得Ⅰ: { outpatient: fixed(8_000), inpatient: fixed(15_000), manyTimesOutpatient: false },
    },
  },
];

/**
 * Limits of a bill with 公費 (NOTES §3.3, from myclinic-ts `gendogaku.ts`): under 70, 生活保護 併用 → 35,400 and other
 * 公費 → the ウ formula; 70 and over, 生活保護 → 8,000 外来 / 15,000 入院 and other 公費 → 18,000 / 57,600.
 * (難病・小慢 use the patient's 区分 and are chosen in limits.ts.)
 */
export interface PublicLimits {
  under70Welfare: LimitAmount;
  under70Other: LimitAmount;
  over70Welfare: { outpatient: LimitAmount; inpatient: LimitAmount };
  over70Other: { outpatient: LimitAmount; inpatient: LimitAmount };
}

export const publicLimits: Dated<PublicLimits>[] = [
  {
    validFrom: '2018-08-01',
    validTo: null,
    rows: {
      under70Welfare: fixed(35_400),
      under70Other: proportional(80_100, 267_000),
      over70Welfare: { outpatient: fixed(8_000), inpatient: fixed(15_000) },
      over70Other: { outpatient: fixed(18_000), inpatient: fixed(57_600) },
    },
  },
];

/**
 * 配慮措置 for 後期高齢者 2割 (一般Ⅱ), outpatient only: limit = min(capYen, baseYen + (医療費 − offsetYen) × rate),
 * the second term never below baseYen; in the 75歳到達月 only capYen is halved (hairyosochi 事例5/6: 40,000 → 7,000).
 * Source: ../shared/domain/NOTES.md §1.6 (fukui-kouiki.or.jp/2025/09/post-96.html, kouiki-kyoto.jp hightcost_expenses);
 * 「医療・介護 高額ガイド 令和5年4月版」. Ended 2025-09-30.
 */
export interface ConsiderationLimit {
  capYen: number;
  baseYen: number;
  offsetYen: number;
  rate: number;
}

export const considerationLimits: Dated<ConsiderationLimit>[] = [
  {
    validFrom: '2022-10-01',
    validTo: '2025-09-30',
    rows: { capYen: 18_000, baseYen: 6_000, offsetYen: 30_000, rate: 0.1 },
  },
];

/**
 * From this date the tables above are unconfirmed: a revision was planned for 2026-08 (and 2027-08) but its amounts
 * differ between secondary sources (NOTES §3.6). Amounts keep the last confirmed values and say so in a step.
 */
export const revisionPendingFrom = '2026-08-01';

/** The version of a dated table in force on `date`. */
export function inForce<T>(table: Dated<T>[], date: string): T | undefined {
  return table.find((v) => v.validFrom <= date && (v.validTo === null || date <= v.validTo))?.rows;
}
