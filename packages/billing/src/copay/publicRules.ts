import { publicSubsidyLabel } from '@karte/domain';
import type { PublicSubsidyInput } from '../types';
import type { PublicKind } from './limits';

/**
 * 公費 in the order they apply (NOTES §3.4, after myclinic-ts `kouhi-order.ts`; mirrors the 公費の優先順位 [unconfirmed]).
 * Each receives what the previous payers left. 法別番号 not listed (地方単独 and unknown) come after these, and
 * 生活保護 (12, 他法優先) after everything.
 */
const legalOrder = [
  '13',
  '14',
  '18',
  '29',
  '30',
  '10',
  '11',
  '20',
  '21',
  '15',
  '16',
  '24',
  '22',
  '28',
  '17',
  '79',
  '19',
  '23',
  '52',
  '54',
  '51',
  '38',
  '53',
  '66',
  '62',
  '25',
];
const welfare = '12';

export const lawNumber = (payerNumber: string): string => payerNumber.slice(0, 2);

export function orderWeight(payerNumber: string): number {
  const law = lawNumber(payerNumber);
  if (law === welfare) return 1000;
  const i = legalOrder.indexOf(law);
  return i >= 0 ? i : 500;
}

/** How much of what is left a 公費 leaves to the patient. */
export type PayerRule =
  | { kind: 'full' } // 全額公費: the patient pays nothing of what is left
  | { kind: 'rate'; rate: number } // the patient pays at most `rate` of the 医療費, then the monthly cap if any
  | { kind: 'cap' } // the patient pays what is left up to the monthly cap (no cap recorded → 全額)
  | { kind: 'perVisit'; yen: number } // 地方単独: at most N円 per visit
  | { kind: 'perMonth'; yen: number }; // 地方単独: at most N円 per month

/** 法別番号 → rule for national 公費 (NOTES §3.4; ../shared/domain/NOTES.md §1.8, pref.gunma.jp/page/3203.html). */
const nationalRules: Record<string, PayerRule> = {
  // 難病 (特定医療費) and 旧特定疾患: 2割 (the 1割 difference when insured at 3割), capped by the 上限額管理票.
  '54': { kind: 'rate', rate: 0.2 },
  '51': { kind: 'rate', rate: 0.2 },
  // 小児慢性特定疾病: 2割 with its own caps (domain NOTES §1.8); with a 未就学 2割 insurance only the cap matters.
  '52': { kind: 'rate', rate: 0.2 },
  // 自立支援医療 (更生・育成・精神通院): 1割, capped by the 受給者証's 上限月額.
  '15': { kind: 'rate', rate: 0.1 },
  '16': { kind: 'rate', rate: 0.1 },
  '21': { kind: 'rate', rate: 0.1 },
  // 結核 適正医療 (37条の2): 5% of the 医療費 (MHLW 計算事例18/19: 850,000 → 42,500).
  '10': { kind: 'rate', rate: 0.05 },
  // 全額公費: 戦傷病者, 原爆, 措置入院, 感染症, 医療観察, 中国残留邦人等, 生活保護 (本人支払額 not modelled).
  '11': { kind: 'full' },
  '13': { kind: 'full' },
  '14': { kind: 'full' },
  '18': { kind: 'full' },
  '19': { kind: 'full' },
  '20': { kind: 'full' },
  '22': { kind: 'full' },
  '25': { kind: 'full' },
  '28': { kind: 'full' },
  '29': { kind: 'full' },
  '30': { kind: 'full' },
  '12': { kind: 'full' },
};

/** The rule of a recorded 公費: the facility's 地方単独 table first, then the 法別番号; otherwise its cap (or 全額). */
export function payerRule(p: PublicSubsidyInput): PayerRule {
  if (p.local) return p.local.kind === 'full' ? { kind: 'full' } : p.local;
  return nationalRules[lawNumber(p.payerNumber)] ?? { kind: 'cap' };
}

const shortNames: Record<string, string> = {
  '54': '難病',
  '51': '特定疾患',
  '52': '小児慢性',
  '15': '更生医療',
  '16': '育成医療',
  '21': '精神通院',
  '10': '結核',
  '12': '生活保護',
  // 東京都 マル乳・マル子 (法別88, NOTES §3.5); other prefectures number their schemes differently.
  '88': '子ども医療費助成',
};

/** The short Japanese name used in steps. */
export function payerName(payerNumber: string): string {
  return shortNames[lawNumber(payerNumber)] ?? publicSubsidyLabel(payerNumber);
}

/** The kind of 公費 on a bill, for its 高額療養費 limit (NOTES §3.3). */
export function publicKindOf(payerNumbers: string[]): PublicKind {
  if (payerNumbers.length === 0) return 'none';
  const laws = payerNumbers.map(lawNumber);
  if (laws.includes(welfare)) return 'welfare';
  if (laws.some((l) => l === '54' || l === '51' || l === '52')) return 'intractable';
  return 'other';
}
