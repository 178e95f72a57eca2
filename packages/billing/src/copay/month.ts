import { BillingInputError, type PublicSubsidyInput } from '../types';
import { isOver70Kubun, normalizeKubun } from './kubun';
import { chooseLimit, type Limit, type LimitQuery } from './limits';
import { orderWeight, type PayerRule, payerName, payerRule, publicKindOf } from './publicRules';
import { round1, yenText } from './rounding';

/** One visit of the month as the month sees it. */
export interface MonthVisit {
  medicalYen: number; // 総医療費 (10割) = points × 10
  ratio: number; // 負担割合 (0 = no insurance share)
  payers: string[]; // payerNumbers of the 公費 that apply to it
  insurer?: string; // 保険者番号: two insurers in a month (75歳到達月) are separate bills with separate limits
}

/** The patient's facts for one calendar month at this institution. */
export interface MonthContext {
  date: string; // a day of the month (the dated limit tables)
  kubun?: string; // 限度額適用区分 as entered (label or online code)
  elderly: boolean; // 70歳以上 this month
  turning75: boolean; // 75歳到達月 (halved limits; never for a birth on the 1st)
  manyTimes?: boolean;
  maruchoCapYen?: number;
  inpatient?: boolean; // 入院 month (the API prices outpatient visits only)
  publicSubsidies: PublicSubsidyInput[];
}

/** A step's cumulative effect over the month; `yen` is what the step removed from the patient (the ratio: the share). */
export interface MonthStep {
  key: string;
  label: string;
  yen: number;
}

/** One bill of the month (レセプト unit): the visits with the same 公費. */
export interface GroupShare {
  insurer: string; // '' = the case's only insurer
  payers: string[]; // in the order they apply
  medicalYen: number;
  shareYen: number; // the insurance 割合 share (10割 of uninsured visits)
  limit: Limit | null;
  kakariYen: number; // what reaches the 公費 after 高額療養費 (公費対象の一部負担金)
  insurerYen: number;
  patientYen: number;
  publicByPayer: { payerNumber: string; yen: number }[];
}

export interface MonthShare {
  medicalYen: number;
  patientYen: number;
  insurerYen: number;
  publicYen: number;
  publicByPayer: { payerNumber: string; yen: number }[];
  /** Per 公費 over the month: what reached it and what it left to the patient (pays = in − out). */
  chain: { payerNumber: string; inYen: number; outYen: number }[];
  groups: GroupShare[];
  steps: MonthStep[];
}

/** Under 70 a bill joins 世帯合算 only with an 一部負担 of 21,000円 or more (NOTES §3.3 `calcGassan`). */
const under70CombineFloorYen = 21_000;

const ratioShare = (v: MonthVisit): number =>
  v.ratio > 0 ? round1((v.medicalYen * v.ratio) / 10) : v.medicalYen;
const ratioLabel = (ratio: number): string => (ratio > 0 ? `負担割合 ${ratio}割` : '保険給付なし（10割）');
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function rateText(rate: number): string {
  return Number.isInteger(rate * 10) ? `${rate * 10}割` : `${round1(rate * 1000) / 10}%`;
}

interface Grouped {
  key: string;
  insurer: string;
  payers: string[];
  visits: MonthVisit[];
}

function groupVisits(visits: MonthVisit[], known: Map<string, PublicSubsidyInput>): Grouped[] {
  const groups = new Map<string, Grouped>();
  for (const v of visits) {
    for (const n of v.payers) {
      if (!known.has(n)) throw new BillingInputError(`公費負担者番号 ${n} は登録されていません`);
    }
    const payers = [...new Set(v.payers)].sort(
      (a, b) => orderWeight(a) - orderWeight(b) || a.localeCompare(b),
    );
    const insurer = v.insurer ?? '';
    const key = `${insurer}:${payers.join('+')}`;
    const g = groups.get(key) ?? { key, insurer, payers, visits: [] };
    g.visits.push(v);
    groups.set(key, g);
  }
  // Bills with 公費 first (each has its own limit), the insurance-only bill last (it is combined with them).
  return [...groups.values()].sort((a, b) => {
    if (a.payers.length === 0 || b.payers.length === 0) return b.payers.length === 0 ? -1 : 1;
    return (
      orderWeight(a.payers[0] as string) - orderWeight(b.payers[0] as string) || a.key.localeCompare(b.key)
    );
  });
}

class Steps {
  private readonly map = new Map<string, MonthStep>();
  add(key: string, label: string, yen: number, preferLabel = false): void {
    const s = this.map.get(key);
    if (!s) this.map.set(key, { key, label, yen });
    else {
      s.yen += yen;
      if (preferLabel) s.label = label;
    }
  }
  list(): MonthStep[] {
    return [...this.map.values()];
  }
}

/** What the patient pays of `left` under one 公費; `used` is what earlier bills of the month already paid under it. */
function underPayer(
  rule: PayerRule,
  p: PublicSubsidyInput,
  left: number,
  group: Grouped,
  used: number,
): { patient: number; label: string; capReached: boolean } {
  const name = payerName(p.payerNumber);
  const medical = sum(group.visits.map((v) => v.medicalYen));
  const cap = p.monthlyCapYen ?? undefined;
  const elsewhere = p.paidElsewhereYen ?? 0;
  const room = cap === undefined ? undefined : Math.max(0, cap - elsewhere - used);
  const capText = () =>
    `${name} 自己負担上限月額 ${yenText(cap ?? 0)}円 に到達${elsewhere > 0 ? `（他機関支払済 ${yenText(elsewhere)}円）` : ''}`;
  const capped = (patient: number, label: string) =>
    room !== undefined && room < patient
      ? { patient: room, label: capText(), capReached: true }
      : { patient, label, capReached: false };

  switch (rule.kind) {
    case 'full':
      return { patient: 0, label: `${name} 全額公費`, capReached: false };
    case 'rate':
      return capped(Math.min(left, round1(medical * rule.rate)), `${name} ${rateText(rule.rate)}負担`);
    case 'cap':
      if (room === undefined) return { patient: 0, label: `${name} 全額公費`, capReached: false };
      return capped(left, `${name} 自己負担上限月額 ${yenText(cap ?? 0)}円`);
    case 'perVisit':
      // 1回 N円: each visit pays at most N円 of its own share (NOTES §3.5: less when the share is smaller).
      return capped(
        Math.min(left, sum(group.visits.map((v) => Math.min(ratioShare(v), rule.yen)))),
        `${name} 1回 ${yenText(rule.yen)}円`,
      );
    case 'perMonth':
      return capped(Math.min(left, Math.max(0, rule.yen - used)), `${name} 月 ${yenText(rule.yen)}円`);
  }
}

/**
 * The month's patient share in 1-yen units (NOTES §3.7): per bill, the insurance 割合, then the 高額療養費 limit
 * (§3.3; the insurance-only bill combined with the 公費 bills), then the 公費 in legal order (§3.4).
 */
export function monthlyShare(ctx: MonthContext, visits: MonthVisit[]): MonthShare {
  const known = new Map(ctx.publicSubsidies.map((p) => [p.payerNumber, p]));
  const kubun = normalizeKubun(ctx.kubun);
  const over70 = kubun ? isOver70Kubun(kubun) : ctx.elderly;
  const steps = new Steps();
  const usedUnder = new Map<string, number>(); // patient amount so far under each 公費 (its monthly cap spans bills)
  const paidBy = new Map<string, number>();
  const flow = new Map<string, { inYen: number; outYen: number }>();
  const groups: GroupShare[] = [];

  for (const v of visits) steps.add(`ratio:${v.ratio}`, ratioLabel(v.ratio), ratioShare(v));

  for (const g of groupVisits(visits, known)) {
    const insured = g.visits.filter((v) => v.ratio > 0);
    const insuredMedical = sum(insured.map((v) => v.medicalYen));
    const share = sum(insured.map(ratioShare));
    const uninsured = sum(g.visits.filter((v) => v.ratio <= 0).map((v) => v.medicalYen));
    const query = (medicalYen: number, publicKind: LimitQuery['publicKind']): LimitQuery => ({
      date: ctx.date,
      kubun,
      elderly: ctx.elderly,
      ratio: Math.max(0, ...insured.map((v) => v.ratio)),
      inpatient: ctx.inpatient ?? false,
      manyTimes: ctx.manyTimes ?? false,
      turning75: ctx.turning75,
      maruchoCapYen: ctx.maruchoCapYen,
      publicKind,
      medicalYen,
    });

    const limit = chooseLimit(query(insuredMedical, publicKindOf(g.payers)));
    let kakariInsured = limit ? Math.min(share, limit.yen) : share;
    let limitLabel = limit?.label;
    if (g.payers.length === 0 && limit) {
      // 合算: the 公費 bills' own 一部負担 (what their patient paid) counts toward this bill's limit.
      const counted = groups.filter(
        (d) => d.insurer === g.insurer && (over70 || d.patientYen >= under70CombineFloorYen),
      );
      if (counted.length > 0 && (over70 || share >= under70CombineFloorYen)) {
        const combined = chooseLimit(query(insuredMedical + sum(counted.map((d) => d.medicalYen)), 'none'));
        const room = combined ? Math.max(0, combined.yen - sum(counted.map((d) => d.patientYen))) : undefined;
        if (combined && room !== undefined && room < kakariInsured) {
          kakariInsured = room;
          limitLabel = `${combined.label}（公費分と合算）`;
        }
      }
    }
    if (share > kakariInsured) {
      const pending = limit?.unconfirmed ? '［2026年8月以降の改定額は未確認］' : '';
      steps.add(`limit:${g.key}`, `高額療養費 限度額${limitLabel} に到達${pending}`, share - kakariInsured);
    }

    const kakari = kakariInsured + uninsured;
    let left = kakari;
    const publicByPayer: GroupShare['publicByPayer'] = [];
    for (const n of g.payers) {
      const p = known.get(n) as PublicSubsidyInput;
      const used = usedUnder.get(n) ?? 0;
      const r = underPayer(payerRule(p), p, left, g, used);
      const pays = left - r.patient;
      publicByPayer.push({ payerNumber: n, yen: pays });
      paidBy.set(n, (paidBy.get(n) ?? 0) + pays);
      usedUnder.set(n, used + r.patient);
      const f = flow.get(n) ?? { inYen: 0, outYen: 0 };
      flow.set(n, { inYen: f.inYen + left, outYen: f.outYen + r.patient });
      steps.add(`public:${n}`, r.label, pays, r.capReached);
      left = r.patient;
    }
    groups.push({
      insurer: g.insurer,
      payers: g.payers,
      medicalYen: insuredMedical + uninsured,
      shareYen: share + uninsured,
      limit,
      kakariYen: kakari,
      insurerYen: insuredMedical - kakariInsured,
      patientYen: left,
      publicByPayer,
    });
  }

  const order = [...paidBy.keys()].sort((a, b) => orderWeight(a) - orderWeight(b) || a.localeCompare(b));
  return {
    medicalYen: sum(groups.map((g) => g.medicalYen)),
    patientYen: sum(groups.map((g) => g.patientYen)),
    insurerYen: sum(groups.map((g) => g.insurerYen)),
    publicYen: sum([...paidBy.values()]),
    publicByPayer: order.map((payerNumber) => ({ payerNumber, yen: paidBy.get(payerNumber) ?? 0 })),
    chain: order.map((payerNumber) => ({
      payerNumber,
      ...(flow.get(payerNumber) ?? { inYen: 0, outYen: 0 }),
    })),
    groups,
    steps: steps.list(),
  };
}
