import { z } from 'zod';
import { int32, isoDate, line } from './input';

// 会計 (billing at reception): what the API takes and returns. The calculator itself is @karte/billing.

/** 入金方法. */
export const paymentMethods = {
  cash: '現金',
  card: 'クレジットカード',
  qr: 'QR決済',
  transfer: '振込',
  other: 'その他',
} as const;
export type PaymentMethod = keyof typeof paymentMethods;

/** 初診 / 再診 / なし (e.g. a 処方のみ visit), as proposed from history or switched by the clerk. */
export const visitKinds = { first: '初診', revisit: '再診', none: '診察料なし' } as const;
export type VisitKind = keyof typeof visitKinds;

const yen = z
  .number()
  .int('円は整数です')
  .min(0, '0円以上にしてください')
  .max(99_999_999, '金額が大きすぎます');
const masterCode = line().regex(/^[0-9A-Z]{9,12}$/, 'コードが正しくありません');

/** One insured line of a 会計 as the clerk leaves it (what the calculator is given). */
export const billItemInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('procedure'), // 診療行為 (s_)
    code: masterCode,
    count: int32().min(1, '回数は1以上です').max(99, '回数が大きすぎます'),
    /** proposed: Karte proposed it; manual: searched and added; set: from a セット. */
    source: z.enum(['proposed', 'manual', 'set']),
  }),
  z.strictObject({
    kind: z.literal('drug'), // 院内の薬剤
    code: masterCode,
    amount: z.number().gt(0, '数量は0より大きくしてください').max(10_000, '数量が大きすぎます'),
    days: int32().min(1).max(365),
    rp: int32().min(1).max(99),
    source: z.enum(['proposed', 'manual', 'set']),
  }),
  z.strictObject({
    kind: z.literal('material'), // 特定器材
    code: masterCode,
    amount: z.number().gt(0).max(10_000),
    source: z.enum(['proposed', 'manual', 'set']),
  }),
]);
export type BillItemInput = z.infer<typeof billItemInput>;

/** A 会計 as edited on the screen. */
export const billDraft = z.strictObject({
  visitKind: z.enum(['first', 'revisit', 'none']),
  /** Why the clerk chose otherwise than proposed ('' when as proposed). */
  visitKindReason: line().trim().max(200),
  items: z.array(billItemInput).max(200, '行が多すぎます'),
  /** Proposed lines the clerk removed, each with the reason. */
  removed: z
    .array(
      z.strictObject({
        code: masterCode,
        reason: line().trim().min(1, '削除の理由を入力してください').max(200),
      }),
    )
    .max(100),
  /** 保険外 (自費) lines from the facility price list. */
  selfPay: z.array(z.strictObject({ itemId: line().min(1).max(40), count: int32().min(1).max(99) })).max(50),
  /** Which of the patient's current 公費 apply (public_subsidies ids). */
  publicSubsidyIds: z.array(z.uuid()).max(4, '公費は4つまでです'),
  /**
   * 上限額管理票: per capped 公費 (one of the patient's current ones), what the patient already paid this month at
   * other institutions, as the 管理票 shows it.
   */
  elsewhere: z
    .array(z.strictObject({ subsidyId: z.uuid(), yen: int32().min(0).max(1_000_000) }))
    .max(4)
    .default([]),
});
export type BillDraft = z.infer<typeof billDraft>;

export const paymentInput = z.strictObject({
  amountYen: yen,
  method: z.enum(['cash', 'card', 'qr', 'transfer', 'other']),
  /** Cash handed over (お預かり), for the change shown on screen and the 領収証. */
  tenderedYen: yen.optional(),
});
export type PaymentInput = z.infer<typeof paymentInput>;

export const billOpenInput = z.strictObject({ visitId: z.uuid() });
export const billPreviewInput = z.strictObject({ visitId: z.uuid(), draft: billDraft });
export const billConfirmInput = z.strictObject({
  visitId: z.uuid(),
  /** The bill version the screen showed (0: none yet). A stale version is a conflict. */
  expectedVersion: int32().min(0),
  draft: billDraft,
  /** Required for a correction (訂正) of a settled 会計. */
  reason: line().trim().max(200),
  /** 入金 taken with the 会計 (absent: nothing paid now → 未収). */
  payment: paymentInput.optional(),
});
export const billPayInput = z.strictObject({ billId: z.uuid(), payment: paymentInput });
export const billPrintInput = z.strictObject({
  billId: z.uuid(),
  version: int32().min(1).optional(),
  kind: z.enum(['receipt', 'statement']), // 領収証 / 診療明細書
  /** 発行: record the print (印刷 pressed). Absent/false is a preview and records nothing. */
  issue: z.boolean().optional(),
});
export const billSearchInput = z.strictObject({
  q: line().trim().min(1).max(40),
  date: isoDate,
  kinds: z
    .array(z.enum(['procedure', 'drug', 'material', 'selfPay']))
    .max(4)
    .optional(),
});
export const dailyReportInput = z.strictObject({ date: isoDate });

/** A 地方単独 公費 rule the clinic configures per 公費負担者番号 (e.g. 子ども医療費助成). */
export const localSchemeFields = z.strictObject({
  payerNumber: line().regex(/^[0-9]{8}$/, '公費負担者番号は8桁の数字です'),
  name: line().trim().min(1, '名称を入力してください').max(60),
  kind: z.enum(['full', 'perVisit', 'perMonth']), // 全額助成 / 1回 N円 / 月 N円
  yen: yen,
});
export const localSchemeKinds = { full: '全額助成', perVisit: '1回あたり', perMonth: '1か月あたり' } as const;

/** 保険外 price list item (文書料 …). */
export const selfPayItemFields = z.strictObject({
  id: line().regex(/^[a-z0-9-]{1,40}$/, 'IDは英小文字・数字・-で40文字以内です'),
  name: line().trim().min(1, '名称を入力してください').max(60),
  priceYen: yen,
  taxable: z.boolean(), // 消費税 10% (外税ではなく内税: price includes tax)
});

/** An item of a 会計セット: a 会計 line without its source (added to a 会計 it becomes 'set'). */
export const billSetItem = z.discriminatedUnion('kind', [
  billItemInput.options[0].omit({ source: true }),
  billItemInput.options[1].omit({ source: true }),
  billItemInput.options[2].omit({ source: true }),
]);
export type BillSetItem = z.infer<typeof billSetItem>;

/** 会計セット: lines the clinic adds together (採血 and its 検査 …), chosen by name on the 会計 screen. */
export const billSetFields = z.strictObject({
  id: line().regex(/^[a-z0-9-]{1,40}$/, 'IDは英小文字・数字・-で40文字以内です'),
  name: line().trim().min(1, 'セット名を入力してください').max(60),
  items: z.array(billSetItem).min(1, 'セットに項目を追加してください').max(30, 'セットの項目は30までです'),
});
export type BillSet = z.infer<typeof billSetFields>;

const hhmm = line().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, '時刻は HH:MM で入力してください');
/** 診療時間: per weekday (0 = 日 … 6 = 土), zero or more [open, close] periods. */
export const clinicHours = z.array(z.array(z.tuple([hhmm, hhmm])).max(3)).length(7);

export const billingSettingsFields = z.strictObject({
  /** 届出 施設基準 (codes as the master's 施設基準コード) and the add-ons they enable. */
  standards: z.array(line().regex(/^[0-9]{1,4}$/)).max(100),
  /** 医療DX推進体制整備加算 etc.: codes of facility add-ons proposed on every eligible visit. */
  facilityAddOns: z.array(masterCode).max(30),
  hours: clinicHours,
  /** 休診日 (年末年始 other than 12/29–1/3, 臨時休診); national holidays are known. */
  closedDays: z.array(isoDate).max(100),
  localSchemes: z.array(localSchemeFields).max(50),
  selfPayItems: z.array(selfPayItemFields).max(100),
  /** 会計セット (settings saved before sets existed read as none). */
  sets: z.array(billSetFields).max(50, 'セットは50までです').default([]),
});
export type BillingSettings = z.infer<typeof billingSettingsFields>;
export type LocalScheme = z.infer<typeof localSchemeFields>;
export type SelfPayItem = z.infer<typeof selfPayItemFields>;

// ---- Outputs (what the API returns; the web reads these types) -----------------------------------

export interface BillLineView {
  kind: 'procedure' | 'drug' | 'material';
  code: string;
  name: string;
  points: number;
  count: number;
  section: string;
  reason: string;
  status: 'billed' | 'added' | 'dropped';
  warning?: string;
}

/** 領収証 区分 in print order (ORCA's 14 sections + その他): the API sums lines into them, the prints show them. */
export const receiptSections = [
  '初・再診料',
  '医学管理等',
  '在宅医療',
  '投薬',
  '注射',
  '処置',
  '手術',
  '麻酔',
  '検査',
  '画像診断',
  'リハビリテーション',
  '精神科専門療法',
  '放射線治療',
  '病理診断',
  'その他',
] as const;
export type ReceiptSection = (typeof receiptSections)[number];

/** 領収証 区分 (ORCA's 14 sections + その他). */
export interface SectionPoints {
  label: string; // 初・再診料, 医学管理等, 在宅医療, 投薬, 注射, 処置, 手術, 麻酔, 検査, 画像診断, リハビリテーション, 精神科専門療法, 放射線治療, 病理診断, その他
  points: number;
}

export interface BillTotals {
  points: number;
  sections: SectionPoints[];
  lines: BillLineView[];
  ratio: number;
  ratioReason: string;
  patientYen: number; // 保険分の窓口負担 (10円)
  insurerYen: number;
  publicYen: number;
  publicByPayer: { payerNumber: string; label: string; yen: number }[];
  selfPay: { itemId: string; name: string; priceYen: number; count: number; taxYen: number }[];
  selfPayYen: number;
  chargeYen: number; // 請求額 = patientYen + selfPayYen
  steps: { label: string; yen: number }[];
  warnings: string[];
}

export interface BillingView {
  visit: {
    id: string;
    visitDate: string;
    state: string;
    checkedInAt: string;
    department: string;
    receptionNumber: number;
  };
  patient: { id: string; patientNumber: number; name: string; kana: string; birthDate: string; sex: string };
  coverage: { label: string; insurerNumber: string; kubun: string } | null;
  publicSubsidies: { id: string; payerNumber: string; label: string; monthlyCapYen: number | null }[];
  /** The confirmed 会計, or null while only proposed. */
  bill: {
    id: string;
    version: number;
    settled: boolean;
    createdAt: string;
    createdBy: string;
    reason: string;
  } | null;
  draft: BillDraft;
  /** Why 初診/再診 was proposed. */
  visitKindProposal: { kind: VisitKind; reason: string };
  totals: BillTotals;
  month: {
    points: number;
    patientYen: number;
    publicCapUsed: { payerNumber: string; yen: number; capYen: number | null }[];
  };
  payments: { id: string; amountYen: number; method: PaymentMethod; at: string; by: string }[];
  paidYen: number;
  unpaidYen: number; // this bill
  otherUnpaidYen: number; // the patient's other bills (未収)
  versions: { version: number; createdAt: string; createdBy: string; reason: string; chargeYen: number }[];
  /** Set when the visit date is after the newest loaded master: say so, and how to load the official files. */
  masterNotice: string | null;
}

/** 領収証 / 診療明細書: what the print view shows. */
export interface BillPrint {
  kind: 'receipt' | 'statement';
  /** 再発行: this bill, kind and version was issued before (the print says so). */
  reissue: boolean;
  /** 訂正: for a version ≥ 2, the previous version's 請求 and the difference (＋追加徴収 / −返金). */
  correction: { previousVersion: number; previousChargeYen: number; differenceYen: number } | null;
  issuedAt: string;
  facility: { name: string; address: string; phone: string; institutionCode: string };
  patient: { patientNumber: number; name: string; kana: string; birthDate: string; sex: string };
  visitDate: string;
  billId: string;
  version: number;
  /** 負担割合 and 保険 shown on the 領収証. */
  ratio: number;
  totals: BillTotals;
  paidYen: number;
  unpaidYen: number;
}

/** 日計表: one day's 会計 at the window. */
export interface DailyReport {
  date: string;
  rows: {
    billId: string;
    visitId: string;
    patientNumber: number;
    name: string;
    points: number;
    chargeYen: number; // 請求 (the current version)
    paidYen: number; // 入金 today for this bill (refunds negative)
    unpaidYen: number;
    corrected: boolean;
  }[];
  totals: {
    visits: number;
    points: number;
    chargeYen: number;
    paidYen: number; // net (入金 − 返金)
    unpaidYen: number;
    /** 入金 gross and 返金 (a positive amount) that day, so refunds are not netted away. */
    receivedYen: number;
    refundYen: number;
    byMethod: { method: PaymentMethod; label: string; yen: number; receivedYen: number; refundYen: number }[];
  };
}
