import {
  type BillingCase,
  BillingInputError,
  calculate,
  type ItemInput,
  type PublicSubsidyInput,
  type Tariff,
} from '@karte/billing';
import type { PublicSubsidyRow } from '@karte/db';
import {
  type BillDraft,
  type BillItemInput,
  type BillingSettings,
  type BillLineView,
  type BillTotals,
  publicSubsidyLabel,
  type ReceiptSection,
  receiptSections,
  type SectionPoints,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';

// A draft priced: the calculator's lines and 窓口負担 over the month, shaped for the 会計 screen and the 領収証.

/** An earlier 会計 of the month as the calculator takes it (points and billed codes, so caps and 判断料 cumulate). */
export interface MonthVisit {
  visitDate: string;
  points: number;
  patientYen: number;
  codes: { code: string; count: number }[];
  payerNumbers: string[];
  /** The 公費 that visit applied, as they were then (an ended 公費 still prices the month's earlier visits). */
  subsidies: PublicSubsidyInput[];
  /** The ratio it was billed at and its insurer (75歳到達月: the old insurer's visits keep theirs). */
  ratio?: number;
  insurer?: string;
}

export interface PricingInput {
  tariff: Tariff;
  settings: BillingSettings;
  birthDate: string;
  visitDate: string;
  coverage: { wari: number; kubun: string; insurerNumber?: string } | null;
  subsidies: PublicSubsidyRow[]; // the patient's current 公費
  earlier: MonthVisit[];
  /** Why each proposed code is there (from the proposal), shown in place of the calculator's plain 算定. */
  reasons: Record<string, string>;
}

/** 領収証 区分 in print order (the contract's list). */
export const sectionLabels = receiptSections;
type SectionLabel = ReceiptSection;

/** By 区分番号's letter (A 初・再診 … N 病理), else by the 2-digit 集計先. */
const byKubun: Record<string, SectionLabel> = {
  A: '初・再診料',
  B: '医学管理等',
  C: '在宅医療',
  D: '検査',
  E: '画像診断',
  F: '投薬',
  G: '注射',
  H: 'リハビリテーション',
  I: '精神科専門療法',
  J: '処置',
  K: '手術',
  L: '麻酔',
  M: '放射線治療',
  N: '病理診断',
};
export function sectionOf(section: string, kubun: string): SectionLabel {
  const letter = kubun.charAt(0);
  if (Object.hasOwn(byKubun, letter)) return byKubun[letter] as SectionLabel;
  const s = Number(section.slice(0, 2));
  if (s === 11 || s === 12) return '初・再診料';
  if (s === 13) return '医学管理等';
  if (s === 14) return '在宅医療';
  if (s >= 20 && s < 30) return '投薬';
  if (s >= 30 && s < 40) return '注射';
  if (s === 40) return '処置';
  if (s === 50) return '手術';
  if (s === 54) return '麻酔';
  if (s === 60) return '検査';
  if (s === 70) return '画像診断';
  return 'その他';
}

const itemOf = (i: BillItemInput): ItemInput =>
  i.kind === 'procedure'
    ? { code: i.code, count: i.count }
    : i.kind === 'drug'
      ? { drug: i.code, amount: i.amount, days: i.days, rp: i.rp }
      : { material: i.code, amount: i.amount };

const bad = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });

/** The 公費 of the case: 難病/小慢 caps from the row, 地方単独 rules from the facility's table. */
export function subsidyInputOf(row: PublicSubsidyRow, settings: BillingSettings): PublicSubsidyInput {
  const local = settings.localSchemes.find((s) => s.payerNumber === row.payerNumber);
  return {
    payerNumber: row.payerNumber,
    recipientNumber: row.recipientNumber || undefined,
    monthlyCapYen: row.monthlyCap,
    local: local
      ? local.kind === 'full'
        ? { kind: 'full' }
        : { kind: local.kind, yen: local.yen }
      : undefined,
  };
}

export function payerLabel(payerNumber: string, settings: BillingSettings): string {
  return (
    settings.localSchemes.find((s) => s.payerNumber === payerNumber)?.name ?? publicSubsidyLabel(payerNumber)
  );
}

/** The payer numbers of the draft's 公費; an id not among the patient's current 公費 is refused. */
export function payersOf(draft: BillDraft, subsidies: PublicSubsidyRow[]): string[] {
  return draft.publicSubsidyIds.map((id) => {
    const row = subsidies.find((s) => s.id === id);
    if (!row) throw bad('選ばれた公費がこの患者の現在の公費にありません。画面を開き直してください');
    return row.payerNumber;
  });
}

/** 上限額管理票: what the draft says was paid elsewhere this month, per payer; only the patient's current 公費. */
export function elsewhereOf(draft: BillDraft, subsidies: PublicSubsidyRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of draft.elsewhere ?? []) {
    const row = subsidies.find((s) => s.id === e.subsidyId);
    if (!row) throw bad('上限額管理票の公費がこの患者の現在の公費にありません。画面を開き直してください');
    out.set(row.payerNumber, e.yen);
  }
  return out;
}

/** The 公費 this draft applies, as the calculator takes them (with what the 管理票 says was paid elsewhere). */
export function appliedSubsidies(input: PricingInput, draft: BillDraft): PublicSubsidyInput[] {
  const payers = payersOf(draft, input.subsidies);
  const elsewhere = elsewhereOf(draft, input.subsidies);
  return payers.map((n) => {
    const row = input.subsidies.find((s) => s.payerNumber === n) as PublicSubsidyRow;
    const base = subsidyInputOf(row, input.settings);
    // Not entered this time: the 管理票 amount the month's earlier 会計 recorded still holds.
    const before = input.earlier
      .flatMap((e) => e.subsidies)
      .findLast((s) => s.payerNumber === n)?.paidElsewhereYen;
    const paid = elsewhere.get(n) ?? before;
    return paid ? { ...base, paidElsewhereYen: paid } : base;
  });
}

/** A line added from a 会計セット says which セット (the first that holds its code; one since deleted: no name). */
export function setReasons(settings: Pick<BillingSettings, 'sets'>, draft: BillDraft): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of draft.items) {
    if (item.source !== 'set' || out.has(item.code)) continue;
    const set = settings.sets.find((s) => s.items.some((i) => i.code === item.code));
    out.set(item.code, set ? `セット「${set.name}」から追加` : 'セットから追加');
  }
  return out;
}

/** 法別番号 12 (生活保護). */
const isWelfare = (payerNumber: string) => payerNumber.startsWith('12');

export function priceDraft(input: PricingInput, draft: BillDraft): BillTotals {
  const applied = appliedSubsidies(input, draft);
  const payers = applied.map((s) => s.payerNumber);
  // The case's 公費: this visit's, then the earlier visits' as they were (their snapshot).
  const known = new Map<string, PublicSubsidyInput>();
  for (const e of input.earlier) for (const s of e.subsidies) known.set(s.payerNumber, s);
  for (const s of applied) known.set(s.payerNumber, s);
  const warnings: string[] = [];
  const earlierPayers = (e: MonthVisit) => {
    const missing = e.payerNumbers.filter((n) => !known.has(n));
    if (missing.length > 0) {
      warnings.push(
        `${e.visitDate} の会計の公費（${missing.join('、')}）が見つからないため、その公費なしで月の累計を計算しています`,
      );
    }
    return e.payerNumbers.filter((n) => known.has(n));
  };
  // No insurance: 生活保護単独 → the 公費 pays 10割; nothing at all → 全額自己負担 (ratio 0, no 公費).
  const uninsured = !input.coverage && (payers.length === 0 || payers.some(isWelfare));
  const ratio = input.coverage ? (input.coverage.wari as 1 | 2 | 3) : uninsured ? 0 : undefined;
  const insurer = input.coverage?.insurerNumber || undefined;
  const asRatio = (r: number | undefined) =>
    r !== undefined && [0, 1, 2, 3].includes(r) ? { ratio: r as 0 | 1 | 2 | 3 } : {};
  const billingCase: BillingCase = {
    birthDate: input.birthDate,
    ratio,
    kubun: input.coverage?.kubun || undefined,
    publicSubsidies: [...known.values()],
    facilityStandards: input.settings.standards,
    visits: [
      ...input.earlier.map((e) => {
        const visitInsurer = e.insurer || insurer;
        return {
          date: e.visitDate,
          points: e.points,
          billedCodes: e.codes,
          publicSubsidies: earlierPayers(e),
          ...asRatio(e.ratio),
          ...(visitInsurer ? { insurer: visitInsurer } : {}),
        };
      }),
      {
        date: input.visitDate,
        items: draft.items.map(itemOf),
        publicSubsidies: payers,
        ...(insurer ? { insurer } : {}),
      },
    ],
  };
  let visit: ReturnType<typeof calculate>['visits'][number] | undefined;
  try {
    visit = calculate(input.tariff, billingCase).visits.at(-1);
  } catch (error) {
    if (error instanceof BillingInputError) throw bad(error.message);
    throw error;
  }
  if (!visit) throw new Error('the calculator returned no visit');

  const fromSet = setReasons(input.settings, draft);
  const kindOf = (code: string): BillLineView['kind'] =>
    draft.items.find((i) => i.code === code && i.kind !== 'procedure')?.kind ?? 'procedure';
  const lines: BillLineView[] = visit.lines.map((l) => ({
    kind: kindOf(l.code),
    code: l.code,
    name: l.name,
    points: l.points,
    count: l.count,
    section: l.section,
    reason: l.status === 'dropped' ? l.reason : fromSet.get(l.code) || input.reasons[l.code] || l.reason,
    status: l.status,
    ...(l.warning ? { warning: l.warning } : {}),
  }));
  const sums = new Map<SectionLabel, number>();
  for (const l of visit.lines) {
    if (l.status === 'dropped') continue;
    const kubun = input.tariff.procedure(l.code, input.visitDate)?.kubun ?? '';
    const label = sectionOf(l.section, kubun);
    sums.set(label, (sums.get(label) ?? 0) + l.points * l.count);
  }
  const sections: SectionPoints[] = sectionLabels.map((label) => ({ label, points: sums.get(label) ?? 0 }));

  const selfPay = draft.selfPay.map((s) => {
    const item = input.settings.selfPayItems.find((i) => i.id === s.itemId);
    if (!item) throw bad(`自費項目「${s.itemId}」が価格表にありません`);
    const total = item.priceYen * s.count;
    // 内税 10%: the tax contained in the price.
    return {
      itemId: item.id,
      name: item.name,
      priceYen: item.priceYen,
      count: s.count,
      taxYen: item.taxable ? Math.floor((total * 10) / 110) : 0,
    };
  });
  const selfPayYen = selfPay.reduce((n, s) => n + s.priceYen * s.count, 0);
  warnings.unshift(...visit.warnings);
  if (!input.coverage && payers.length === 0) {
    warnings.push('保険が登録されていないため全額自己負担で計算しています');
  } else if (!input.coverage && !uninsured) {
    warnings.push('保険が登録されていません（年齢による負担割合で計算しています）');
  }
  return {
    points: visit.points,
    sections,
    lines,
    ratio: visit.ratio,
    ratioReason: visit.ratioReason,
    patientYen: visit.patientYen,
    insurerYen: visit.insurerYen,
    publicYen: visit.publicYen,
    publicByPayer: visit.publicByPayer.map((p) => ({
      ...p,
      label: payerLabel(p.payerNumber, input.settings),
    })),
    selfPay,
    selfPayYen,
    chargeYen: visit.patientYen + selfPayYen,
    steps: visit.steps,
    warnings,
  };
}
