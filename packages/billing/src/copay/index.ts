import { elderlyStartDay, isLocalScheme, lateElderlyStartDay } from '@karte/domain';
import { BillingInputError, type CopayStep, type PublicSubsidyInput } from '../types';
import { normalizeKubun } from './kubun';
import { type MonthContext, type MonthShare, type MonthVisit, monthlyShare } from './month';
import { visitRatio } from './ratio';
import { round10 } from './rounding';

/** Who pays: the patient's insurance facts for 窓口負担. */
export interface CopayContext {
  birthDate: string;
  ratio?: 0 | 1 | 2 | 3;
  kubun?: string;
  manyTimes?: boolean;
  maruchoCapYen?: number;
  publicSubsidies: PublicSubsidyInput[];
}

/** One visit's insured total and the 公費 that apply to it. */
export interface CopayVisit {
  date: string;
  points: number;
  publicSubsidies: string[]; // payerNumbers (of the context's) that apply
  /** The ratio this visit was billed at (an earlier visit of the month under another insurer); absent = the context's. */
  ratio?: 0 | 1 | 2 | 3;
  /** The insurer (保険者番号) the visit was billed to: each insurer has its own limit in the month. */
  insurer?: string;
}

export interface VisitCopay {
  patientYen: number; // window amount, 10円 rounded
  patientRawYen: number;
  insurerYen: number;
  publicYen: number;
  publicByPayer: { payerNumber: string; yen: number }[];
  ratio: number;
  ratioReason: string;
  steps: CopayStep[];
}

/** The facts of one calendar month (YYYY-MM) for the month function. */
function monthContext(ctx: CopayContext, month: string): MonthContext {
  const first = `${month}-01`;
  const turns75 = lateElderlyStartDay(ctx.birthDate);
  return {
    date: first,
    kubun: ctx.kubun,
    elderly: first >= elderlyStartDay(ctx.birthDate),
    // 75歳到達月特例: the month of the 75th birthday, unless born on the 1st (then the whole month is 後期).
    turning75: turns75.slice(0, 7) === month && ctx.birthDate.slice(8, 10) !== '01',
    manyTimes: ctx.manyTimes,
    maruchoCapYen: ctx.maruchoCapYen,
    inpatient: false, // the API prices outpatient visits
    publicSubsidies: ctx.publicSubsidies,
  };
}

/** One visit's part of the month: the differences of the cumulative values, and the steps that changed. */
function visitPart(
  now: MonthShare,
  before: MonthShare,
  visit: MonthVisit,
  reason: string,
  localPayers: Set<string>,
): VisitCopay {
  const raw = now.patientYen - before.patientYen;
  const patientYen = round10(raw);
  const flow = (m: MonthShare, n: string) =>
    m.chain.find((p) => p.payerNumber === n) ?? { inYen: 0, outYen: 0 };
  const earlier = new Map(before.steps.map((s) => [s.key, s.yen]));
  const share = visit.ratio > 0 ? Math.round((visit.medicalYen * visit.ratio) / 10) : visit.medicalYen;
  const steps: CopayStep[] = [
    { label: visit.ratio > 0 ? `負担割合 ${visit.ratio}割` : '保険給付なし（10割）', yen: share },
  ];
  const publicByPayer = now.chain
    .map((c) => {
      const b = flow(before, c.payerNumber);
      const inYen = c.inYen - b.inYen;
      const outYen = c.outYen - b.outYen;
      // A 地方単独 助成 replaces the 一部負担金 as the window collects it (10円 rounded): マル子 594円 → 590 − 200 = 390
      // (NOTES §3.5). National 公費 pay in 1-yen units as on the レセプト.
      const yen = localPayers.has(c.payerNumber) ? round10(inYen) - round10(outYen) : inYen - outYen;
      return { payerNumber: c.payerNumber, yen };
    })
    .filter((p) => visit.payers.includes(p.payerNumber) || p.yen !== 0);
  for (const s of now.steps) {
    if (s.key.startsWith('ratio:')) continue;
    // A 公費's step shows what it pays for this visit (for 地方単独, on the rounded 一部負担金 as above).
    const payer = s.key.startsWith('public:')
      ? publicByPayer.find((p) => `public:${p.payerNumber}` === s.key)
      : undefined;
    const yen = payer ? payer.yen : s.yen - (earlier.get(s.key) ?? 0);
    if (yen !== 0) steps.push({ label: s.label, yen });
  }
  steps.push({ label: '窓口負担（10円未満四捨五入）', yen: patientYen });
  return {
    patientYen,
    patientRawYen: raw,
    insurerYen: now.insurerYen - before.insurerYen,
    publicYen: publicByPayer.reduce((a, p) => a + p.yen, 0),
    publicByPayer,
    ratio: visit.ratio,
    ratioReason: reason,
    steps,
  };
}

/**
 * 窓口負担 per visit for one patient's visits in date order: the month's cumulative share (1-yen units:
 * ratio, 公費 chain, 高額療養費) charged as round10(cum_n − cum_(n−1)) (NOTES §3.1, §3.7).
 */
export function copayForVisits(ctx: CopayContext, visits: CopayVisit[]): VisitCopay[] {
  const kubun = normalizeKubun(ctx.kubun);
  const localPayers = new Set(
    ctx.publicSubsidies.filter((p) => p.local || isLocalScheme(p.payerNumber)).map((p) => p.payerNumber),
  );
  const out: VisitCopay[] = new Array(visits.length);
  // Date order (stable), then one calendar month at a time: caps and limits start again on the 1st.
  const order = visits
    .map((_, i) => i)
    .sort((a, b) => (visits[a]?.date ?? '').localeCompare(visits[b]?.date ?? ''));
  const months = new Map<string, number[]>();
  for (const i of order) {
    const v = visits[i] as CopayVisit;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) throw new BillingInputError(`診療日が不正です（${v.date}）`);
    if (!Number.isFinite(v.points) || v.points < 0) {
      throw new BillingInputError(`${v.date} の点数が不正です（${v.points}）`);
    }
    const month = v.date.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), i]);
  }
  for (const [month, indices] of months) {
    const mctx = monthContext(ctx, month);
    const soFar: MonthVisit[] = [];
    let before = monthlyShare(mctx, []);
    for (const i of indices) {
      const v = visits[i] as CopayVisit;
      const r = visitRatio(ctx.birthDate, v.date, v.ratio ?? ctx.ratio, kubun);
      const mv: MonthVisit = {
        medicalYen: v.points * 10,
        ratio: r.ratio,
        payers: v.publicSubsidies,
        ...(v.insurer ? { insurer: v.insurer } : {}),
      };
      soFar.push(mv);
      const now = monthlyShare(mctx, soFar);
      out[i] = visitPart(now, before, mv, r.reason, localPayers);
      before = now;
    }
  }
  return out;
}

export type { MonthContext, MonthShare, MonthVisit } from './month';
export { monthlyShare } from './month';
