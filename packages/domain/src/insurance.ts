/**
 * 保険者番号, 公費負担者番号, 受給者番号 and the patient's burden ratio (負担割合).
 * Sources: shared/domain/NOTES.md §1.1 (ratios by age), §3.1–3.4 (numbers and check digits).
 */
import { hasValidLuhn } from './checkDigit';

export type NumberProblem = 'format' | 'checkDigit';

/** 保険者番号: 8 digits, or 6 for 国保 (no 法別番号); Luhn check digit either way. */
export function checkInsurerNumber(value: string): NumberProblem | null {
  if (!/^([0-9]{6}|[0-9]{8})$/.test(value)) return 'format';
  return hasValidLuhn(value.padStart(8, '0')) ? null : 'checkDigit';
}

/** 公費負担者番号: 8 digits with the same check digit. */
export function checkPublicPayerNumber(value: string): NumberProblem | null {
  if (!/^[0-9]{8}$/.test(value)) return 'format';
  return hasValidLuhn(value) ? null : 'checkDigit';
}

/**
 * 受給者番号: 7 digits for national schemes; that its last digit is a Luhn check is unconfirmed
 * (NOTES §3.4), so a mismatch is only a warning. Local schemes may use up to 30 characters.
 */
export function recipientNumberWarning(value: string, payerNumber: string): string | null {
  const local = isLocalScheme(payerNumber);
  if (!local && /^[0-9]{7}$/.test(value) && !hasValidLuhn(value)) {
    return '受給者番号の検証番号が一致しません。受給者証をご確認ください（登録はできます）';
  }
  return null;
}

/** 地方単独 (often 8x/9x): numbers and rules set by the municipality. */
export function isLocalScheme(payerNumber: string): boolean {
  return /^[89]/.test(payerNumber);
}

/** A table's own entry only (never one inherited from Object, such as `constructor`). */
const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

const INSURANCE_HOBETSU: Record<string, string> = {
  '01': '協会けんぽ',
  '02': '船員保険',
  '03': '日雇特例（一般）',
  '04': '日雇特例（特別）',
  '06': '組合管掌健康保険',
  '07': '自衛官等',
  '31': '国家公務員共済',
  '32': '地方公務員等共済',
  '33': '警察共済',
  '34': '公立学校・私学共済',
  '39': '後期高齢者医療',
  '63': '特定健保組合（特例退職）',
  '67': '国保退職者医療',
  '72': '特定共済組合',
  '73': '特定共済組合',
  '74': '特定共済組合',
  '75': '特定共済組合',
};

/** The kind of insurance a 保険者番号 belongs to, by its 法別番号 (国保 has none). */
export function insuranceKindLabel(insurerNumber: string): string {
  if (/^[0-9]{6}$/.test(insurerNumber)) return insurerNumber[2] === '3' ? '国民健康保険組合' : '国民健康保険';
  return own(INSURANCE_HOBETSU, insurerNumber.slice(0, 2)) ?? 'その他の保険';
}

const PUBLIC_HOBETSU: Record<string, string> = {
  '10': '結核（一般）',
  '11': '結核（入院）',
  '12': '生活保護',
  '13': '戦傷病者（療養給付）',
  '14': '戦傷病者（更生医療）',
  '15': '自立支援（更生医療）',
  '16': '自立支援（育成医療）',
  '17': '療育給付',
  '18': '原爆（認定疾病）',
  '19': '原爆（一般疾病）',
  '20': '精神保健（措置入院）',
  '21': '自立支援（精神通院）',
  '22': '麻薬（措置入院）',
  '23': '養育医療',
  '24': '療養介護医療',
  '25': '中国残留邦人等',
  '28': '感染症（1・2類）',
  '29': '感染症（新感染症）',
  '30': '心神喪失者等医療観察法',
  '38': '肝炎治療',
  '51': '特定疾患（旧）・血液凝固因子障害',
  '52': '小児慢性特定疾病',
  '53': '児童福祉施設措置',
  '54': '難病（特定医療費）',
  '62': '特定B型肝炎',
  '66': '石綿健康被害',
  '79': '障害児施設医療',
};

export function publicSubsidyLabel(payerNumber: string): string {
  if (isLocalScheme(payerNumber)) return '地方単独';
  return own(PUBLIC_HOBETSU, payerNumber.slice(0, 2)) ?? '公費';
}

/** 限度額適用区分 as the eligibility service codes them (NOTES §1.4, §1.5, §4.1). */
export const limitCategoryLabels: Record<string, string> = {
  A01: 'ア',
  A02: 'イ',
  A03: 'ウ',
  A04: 'エ',
  A05: 'オ',
  A06: 'オ（境）',
  B01: '現役並みⅢ',
  B02: '現役並みⅡ',
  B03: '現役並みⅠ',
  B04: '一般',
  B05: '低所得Ⅱ',
  B06: '低所得Ⅰ',
  B07: '低所得Ⅰ（老福）',
  B08: '低所得Ⅰ（境）',
  B09: '一般Ⅱ',
  B10: '一般Ⅰ',
};

/** The label of a 限度額適用区分 code, '' for anything else (own keys only: not `constructor`). */
export const limitCategoryLabel = (code: string): string => own(limitCategoryLabels, code) ?? '';

// ---- 負担割合 by age -------------------------------------------------------------------------

function parts(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number);
  return [y as number, m as number, d as number];
}
const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The date `years` after `birth`; a 29 February birth turns a year older on 1 March in common years. */
function anniversary(birth: string, years: number): string {
  const [y, m, d] = parts(birth);
  const date = new Date(Date.UTC(y + years, m - 1, d));
  return date.toISOString().slice(0, 10);
}

function dayBefore(date: string): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** 未就学児: until the first 31 March on or after the day before the 6th birthday. */
export function lastPreschoolDay(birthDate: string): string {
  const eve = dayBefore(anniversary(birthDate, 6));
  const [y, m] = parts(eve);
  return m <= 3 ? iso(y, 3, 31) : iso(y + 1, 3, 31);
}

/** 高齢受給者 from the 1st of the month after the 70th birthday (the birthday month itself when born on the 1st). */
export function elderlyStartDay(birthDate: string): string {
  const [y, m] = parts(anniversary(birthDate, 70));
  if (parts(birthDate)[2] === 1) return iso(y, m, 1);
  return m === 12 ? iso(y + 1, 1, 1) : iso(y, m + 1, 1);
}

/** 後期高齢者 from the 75th birthday itself. */
export function lateElderlyStartDay(birthDate: string): string {
  return anniversary(birthDate, 75);
}

export type Wari = 1 | 2 | 3;
export interface BurdenRatio {
  wari: Wari;
  /** Why, for the screen: 未就学児 / 一般 / 高齢受給者 / 現役並み所得 / 後期高齢者 / 資格確認の結果. */
  reason: string;
}

export interface BurdenOptions {
  /** 70–74 with 現役並み所得 (3割). */
  activeIncome?: boolean;
  /** 後期高齢者: 1割 (一般Ⅰ), 2割 (一般Ⅱ) or 3割 (現役並み); 1 when unknown. */
  lateElderlyWari?: Wari;
  /** What the eligibility response said: it wins over the age rule. */
  fromEligibility?: Wari;
}

/** 負担割合 on a visit date (NOTES §1.1). */
export function burdenRatio(birthDate: string, visitDate: string, options: BurdenOptions = {}): BurdenRatio {
  if (options.fromEligibility) return { wari: options.fromEligibility, reason: '資格確認の結果' };
  if (visitDate <= lastPreschoolDay(birthDate)) return { wari: 2, reason: '未就学児' };
  if (visitDate >= lateElderlyStartDay(birthDate)) {
    const wari = options.lateElderlyWari ?? 1;
    return { wari, reason: wari === 3 ? '後期高齢者（現役並み所得）' : `後期高齢者（${wari}割）` };
  }
  if (visitDate >= elderlyStartDay(birthDate)) {
    return options.activeIncome
      ? { wari: 3, reason: '高齢受給者（現役並み所得）' }
      : { wari: 2, reason: '高齢受給者' };
  }
  return { wari: 3, reason: '一般（6〜69歳）' };
}
