import { isOver70Kubun, type Kubun } from './kubun';
import {
  considerationLimits,
  inForce,
  type KubunLimit,
  type LimitAmount,
  over70Limits,
  publicLimits,
  revisionPendingFrom,
  under70Limits,
} from './limitTables';
import { round1, yenText } from './rounding';

/** Which 公費 a bill carries, for the choice of its 高額療養費 limit (NOTES §3.3). */
export type PublicKind = 'none' | 'welfare' | 'intractable' | 'other';

export interface LimitQuery {
  date: string; // a day of the month (dated tables)
  kubun?: Kubun;
  elderly: boolean; // 70歳以上 this month (used when no 区分 is known)
  ratio: number; // the insurance 負担割合 (3 with no 区分 at 70+ → 現役並みⅢ)
  inpatient: boolean;
  manyTimes: boolean;
  turning75: boolean; // 75歳到達月特例 (not for births on the 1st; decided by the caller)
  maruchoCapYen?: number;
  publicKind: PublicKind;
  medicalYen: number; // 総医療費 (10割) of the bill(s) the limit covers
}

export interface Limit {
  yen: number;
  label: string; // e.g. '（ウ）80,100円+1%'
  /** The amounts are the last confirmed ones, past a planned revision. */
  unconfirmed: boolean;
}

function amountOf(a: LimitAmount, medicalYen: number, halve: boolean): { yen: number; text: string } {
  const k = halve ? 0.5 : 1;
  if (a.kind === 'fixed') return { yen: round1(a.yen * k), text: `${yenText(a.yen * k)}円` };
  const base = a.baseYen * k;
  const offset = a.offsetYen * k;
  return { yen: round1(base + Math.max(0, medicalYen - offset) * 0.01), text: `${yenText(base)}円+1%` };
}

/** A 区分's limit; 多数回 only where the table allows it (and not with 難病 outpatient). */
function kubunLimit(row: KubunLimit, q: LimitQuery, allowManyTimes: boolean, name: string) {
  const halve = q.turning75;
  const amount = q.inpatient ? row.inpatient : row.outpatient;
  const many =
    allowManyTimes &&
    q.manyTimes &&
    row.manyTimesYen !== undefined &&
    (q.inpatient || row.manyTimesOutpatient);
  if (many && row.manyTimesYen !== undefined) {
    const yen = round1(row.manyTimesYen * (halve ? 0.5 : 1));
    return { yen, label: `（${name}・多数回）${yenText(yen)}円` };
  }
  const { yen, text } = amountOf(amount, q.medicalYen, halve);
  return { yen, label: `（${name}）${text}` };
}

/** 配慮措置 (後期 一般Ⅱ, outpatient, 2022-10..2025-09): the lower of the 外来特例 and 1割 + 3,000円. */
function consideration(q: LimitQuery, current: { yen: number; label: string }) {
  const c = inForce(considerationLimits, q.date);
  if (!c || q.inpatient || q.kubun !== '一般Ⅱ') return current;
  const cap = c.capYen * (q.turning75 ? 0.5 : 1);
  const yen = round1(Math.min(cap, c.baseYen + Math.max(0, q.medicalYen - c.offsetYen) * c.rate));
  return yen < current.yen ? { yen, label: `（一般Ⅱ・配慮措置）${yenText(yen)}円` } : current;
}

function baseLimit(q: LimitQuery): { yen: number; label: string } | null {
  const over70 = q.kubun ? isOver70Kubun(q.kubun) : q.elderly;
  // At 70+ the 外来特例 applies at the window without a certificate: 3割 → 現役並みⅢ, otherwise 一般 (NOTES §3.3).
  const kubun: Kubun | undefined = q.kubun ?? (over70 ? (q.ratio === 3 ? '現役並みⅢ' : '一般') : undefined);
  const under = inForce(under70Limits, q.date);
  const over = inForce(over70Limits, q.date);
  const pub = inForce(publicLimits, q.date);
  const halve = q.turning75;
  const row = (k: Kubun): KubunLimit | undefined => (isOver70Kubun(k) ? over?.[k] : under?.[k]);

  if (q.publicKind === 'welfare' && pub) {
    const a = over70
      ? q.inpatient
        ? pub.over70Welfare.inpatient
        : pub.over70Welfare.outpatient
      : pub.under70Welfare;
    const { yen, text } = amountOf(a, q.medicalYen, halve);
    return { yen, label: `（生活保護併用）${text}` };
  }
  if (q.publicKind === 'other' && pub) {
    const a = over70
      ? q.inpatient
        ? pub.over70Other.inpatient
        : pub.over70Other.outpatient
      : pub.under70Other;
    const { yen, text } = amountOf(a, q.medicalYen, halve);
    return { yen, label: `（公費併用）${text}` };
  }
  if (q.publicKind === 'intractable') {
    // 難病・小慢: the patient's 区分, without 多数回 for the outpatient month; no 区分 → as other 公費.
    const k: Kubun = kubun ?? 'ウ';
    const r = row(k);
    if (!r) return null;
    return consideration({ ...q, kubun: k }, kubunLimit(r, q, q.inpatient, k));
  }
  if (!kubun) return null; // under 70 without 限度額 information: the patient pays the 割合 and claims a refund
  const r = row(kubun);
  if (!r) return null;
  return consideration({ ...q, kubun }, kubunLimit(r, q, true, kubun));
}

/** The month's 高額療養費 limit for a bill, or null when none applies at the window. */
export function chooseLimit(q: LimitQuery): Limit | null {
  if (q.ratio === 0) return null; // no insurance share: nothing for 高額療養費 to limit
  let limit = baseLimit(q);
  if (q.maruchoCapYen !== undefined) {
    // 特定疾病療養受療証 (マル長): 10,000 / 20,000; halved in the 75歳到達月 like the other limits [unconfirmed].
    const yen = round1(q.maruchoCapYen * (q.turning75 ? 0.5 : 1));
    if (!limit || yen < limit.yen) limit = { yen, label: `（特定疾病）${yenText(yen)}円` };
  }
  if (!limit) return null;
  const label = q.turning75 ? `${limit.label}（75歳到達月）` : limit.label;
  return { yen: limit.yen, label, unconfirmed: q.date >= revisionPendingFrom };
}
