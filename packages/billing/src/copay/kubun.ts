import { limitCategoryLabel } from '@karte/domain';

/**
 * 限度額適用区分 (NOTES §3.3; ../shared/domain/NOTES.md §1.4–1.5). One spelling per 区分; the online codes
 * (A01…B10) and their labels come from `limitCategoryLabels` in @karte/domain.
 */
export const under70Kubun = ['ア', 'イ', 'ウ', 'エ', 'オ'] as const;
export const over70Kubun = [
  '現役並みⅢ',
  '現役並みⅡ',
  '現役並みⅠ',
  '一般',
  '一般Ⅰ',
  '一般Ⅱ',
  '低所得Ⅱ',
  '低所得Ⅰ',
] as const;
export type Under70Kubun = (typeof under70Kubun)[number];
export type Over70Kubun = (typeof over70Kubun)[number];
export type Kubun = Under70Kubun | Over70Kubun;

const romans: [RegExp, string][] = [
  [/III$/, 'Ⅲ'],
  [/II$/, 'Ⅱ'],
  [/I$/, 'Ⅰ'],
];

/**
 * A 区分 as entered (label, online code, or with a note such as 'オ（境）', '低所得Ⅰ（老福）', '一般Ⅱ(後期)')
 * to its 区分; undefined when it is none of them (then no 区分 is known).
 */
export function normalizeKubun(raw: string | undefined): Kubun | undefined {
  if (!raw) return undefined;
  let text = raw.trim();
  text = limitCategoryLabel(text) || text;
  text = text.replace(/[（(].*[）)]$/, '').trim();
  for (const [pattern, numeral] of romans) text = text.replace(pattern, numeral);
  return (under70Kubun as readonly string[]).includes(text) ||
    (over70Kubun as readonly string[]).includes(text)
    ? (text as Kubun)
    : undefined;
}

export const isOver70Kubun = (kubun: Kubun): kubun is Over70Kubun =>
  (over70Kubun as readonly string[]).includes(kubun);
