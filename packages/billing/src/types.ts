/**
 * The calculator's contract (共通算定モジュール in miniature): a case in, priced visits out.
 * Pure data; the same shape is the `billing:calc` JSON and what the API's BillingPort speaks.
 */

// ---- Tariff (支払基金 基本マスター, by date) ------------------------------------------------------

/** 医科診療行為 (s_): the columns the rules read (0-based column numbers in NOTES.md §1.2). */
export interface ProcedureItem {
  code: string; // 診療行為コード (9)
  name: string; // 省略漢字名称 (col 4)
  fullName: string; // 基本漢字名称 (col 112)
  kana: string; // カナ名称 (col 6, half-width as published)
  unit: string; // データ規格名 (col 9)
  pointKind: number; // 点数識別 (col 10): 1 円, 3 点数, 4 購入価格, 5 ％加算, 6 減算, 7 減点, 8 点数(−)
  points: number; // 新又は現点数 (col 11)
  inOut: number; // 入外適用区分 (col 12): 0 both, 1 入院のみ, 2 入院外のみ
  section: string; // 点数欄集計先識別（入院外）(col 14), e.g. '120'
  bundleGroup: number; // 包括対象検査 (col 15), 0 = none
  maxCount: number; // 上限回数 (col 35), 0 = none
  addOnCode: string; // 注加算コード (col 37)
  addOnSeq: string; // 注加算通番 (col 38)
  ageMin: string; // 下限年齢 (col 40), '' or '00'…
  ageMax: string; // 上限年齢 (col 41)
  timeAddOn: string; // 時間加算区分 (col 42)
  judgeKind: number; // 検査等実施判断区分 (col 49): 1 実施料, 2 判断料
  judgeGroup: number; // 判断グループ区分 (col 50)
  outpatientMgmt: number; // 外来管理加算区分 (col 55): 1 forbids 外来管理加算 on the day, 2 = the 加算 itself
  standards: string[]; // 施設基準コード 1–10 (cols 71–80), non-empty only
  kubun: string; // 区分番号 as printed, e.g. 'A000', 'D007', 'B001-3'
  ageAddOns: { min: string; max: string; code: string }[]; // 年齢加算 1–4 (cols 99–110)
  validFrom: string; // ISO date this version applies from
  validTo: string | null; // last day it applies (null = open)
}

/** 医薬品 (y_). */
export interface DrugItem {
  code: string; // 医薬品コード (9, レセ電)
  name: string;
  kana: string;
  unit: string; // 単位名称 (錠)
  priceYen: number; // 薬価 (col 11)
  form: number; // 剤形 (col 27): 1 内服, 3 その他, 4 注射, 6 外用 …
  yjCode: string; // 薬価基準収載医薬品コード (12, col 31)
  genericCode: string; // 一般名コード (col 36)
  genericName: string; // 一般名処方の標準的な記載 (col 37)
  genericAddOn: string; // 一般名処方加算対象区分 (col 38)
  validFrom: string;
  validTo: string | null;
}

/** 特定器材 (t_). */
export interface MaterialItem {
  code: string;
  name: string;
  unit: string;
  priceKind: number; // 金額種別 (col 10)
  priceYen: number; // 金額 (col 11)
  validFrom: string;
  validTo: string | null;
}

/** コメント (c_). */
export interface CommentItem {
  code: string; // 区分 + パターン + 番号 (9)
  name: string;
  validFrom: string;
  validTo: string | null;
}

export type TariffKind = 'procedure' | 'drug' | 'material' | 'comment';

/** The tariff as of a date. Implementations: in memory from files (bundled), or from the database. */
export interface Tariff {
  procedure(code: string, date: string): ProcedureItem | undefined;
  drug(code: string, date: string): DrugItem | undefined;
  /** A 薬価基準 (YJ, 12) code or a 一般名コード (…ZZZ) to the レセ電 drug valid on the date (the cheapest for 一般名). */
  drugByYj(yjOrGenericCode: string, date: string): DrugItem | undefined;
  material(code: string, date: string): MaterialItem | undefined;
  comment(code: string, date: string): CommentItem | undefined;
  /** The newest 変更年月日 among loaded rows: a visit after it may be priced with an outdated master. */
  newestChange(): string;
}

// ---- A case (billing:calc input) -----------------------------------------------------------------

/** A 診療行為, drug or material as entered. */
export type ItemInput =
  | { code: string; count?: number } // 診療行為 (s_), billed `count` times
  | {
      drug: string; // 医薬品コード (9) or YJ (12) / 一般名 (…ZZZ)
      amount: number; // per day for 内服 (1剤1日分), the total for 外用, per 回 for 頓服
      days?: number; // 内服 days / 頓服 回数; absent = 1
      rp?: number; // drugs with the same rp form one 剤
    }
  | { material: string; amount: number }; // 特定器材

/** A 公費 as the clinic recorded it. Local schemes (地方単独) take their rule from the facility's table. */
export interface PublicSubsidyInput {
  payerNumber: string; // 公費負担者番号 (8); 法別番号 = first two digits
  recipientNumber?: string;
  monthlyCapYen?: number | null; // 自己負担上限月額 (難病・小慢 …)
  /** 上限額管理票: what the patient has already paid this month at other institutions. */
  paidElsewhereYen?: number;
  /** 地方単独: 全額助成, 1回 N円, 月 N円 (from the facility's scheme table). */
  local?: { kind: 'full' } | { kind: 'perVisit'; yen: number } | { kind: 'perMonth'; yen: number };
}

export interface VisitInput {
  date: string; // ISO
  /** Entered items: the rules add まるめ and 判断料 and drop what they forbid. */
  items?: ItemInput[];
  /** Or a plain total (a visit priced elsewhere, or an earlier visit of the month as billed). */
  points?: number;
  /** With `points`: the codes that visit billed, so month limits and 判断料 count them. */
  billedCodes?: { code: string; count: number }[];
  /** payerNumbers of the case's 公費 that apply to this visit (absent = all). */
  publicSubsidies?: string[];
  /** 負担割合 this visit was billed at (an earlier visit of the month under another insurer); absent = the case's. */
  ratio?: 0 | 1 | 2 | 3;
  /** 保険者番号 of the visit: visits of different insurers in one month (75歳到達月) have separate limits. */
  insurer?: string;
}

export interface BillingCase {
  birthDate: string;
  /** 負担割合 (0–3; 0 = no insurance share, e.g. 生活保護単独); absent = the age rule. */
  ratio?: 0 | 1 | 2 | 3;
  /** 限度額適用区分: ア…オ, 現役並みⅢ…, 一般, 一般Ⅰ/Ⅱ, 低所得Ⅰ/Ⅱ, or its online code (A01…B10). */
  kubun?: string;
  /** 多数回該当 (known from the eligibility answer or the clerk). */
  manyTimes?: boolean;
  /** 特定疾病療養受療証 (マル長): 10000 or 20000. */
  maruchoCapYen?: number;
  publicSubsidies?: PublicSubsidyInput[];
  /** 施設基準 the facility has 届出 (codes as in the master's cols 71–80). */
  facilityStandards?: string[];
  visits: VisitInput[];
}

// ---- Result ---------------------------------------------------------------------------------------

export interface PricedLine {
  code: string;
  name: string;
  points: number; // per unit (0 for a dropped line)
  count: number;
  section: string; // 集計先 (2 digits: 11 初診, 12 再診, 13 医学管理 … 21–27 投薬, 60 検査, 80 その他)
  /** Why this line is as it is, in Japanese (算定, 自動算定, 算定不可 …). */
  reason: string;
  status: 'billed' | 'added' | 'dropped';
  warning?: string; // e.g. 施設基準 not 届出
}

export interface CopayStep {
  label: string; // Japanese: what happened (負担割合 3割, 高額療養費 限度額到達, 難病 上限 …)
  yen: number;
}

export interface PricedVisit {
  date: string;
  points: number; // 総点数
  lines: PricedLine[];
  patientYen: number; // 窓口 (10円 rounded)
  patientRawYen: number; // 1-yen value before window rounding (this visit's part of the month)
  insurerYen: number; // 保険者負担
  publicYen: number; // 公費負担 (sum)
  publicByPayer: { payerNumber: string; yen: number }[];
  ratio: number; // 負担割合 applied
  ratioReason: string;
  steps: CopayStep[];
  warnings: string[];
}

export interface BillingResult {
  visits: PricedVisit[];
}

/** Input the calculator refuses: a one-line message naming the item (Japanese first). */
export class BillingInputError extends Error {
  override name = 'BillingInputError';
}
