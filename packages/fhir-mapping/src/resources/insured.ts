import { checkInsurerNumber } from '@karte/domain';
import type { CoverageRecord } from '../records';

export type InsuredId = { ok: true; value: string } | { ok: false; reason: string };

const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '　');

/**
 * 被保険者個人識別子 "保険者番号(8):記号:番号:枝番" (JP_Patient_eCS, R1013). 記号 and 番号 are either all
 * half-width or, when they hold kana or symbols, all full-width; no spaces; 枝番 two digits or empty.
 */
export function insuredPersonId(c: CoverageRecord | null): InsuredId {
  if (!c) return { ok: false, reason: '保険が登録されていないため被保険者個人識別子を作れません' };
  const insurer = c.insurerNumber.normalize('NFKC').trim();
  if (checkInsurerNumber(insurer))
    return { ok: false, reason: `保険者番号「${c.insurerNumber}」が正しくありません（8桁・検証番号）` };
  const symbol = c.symbol.normalize('NFKC').replace(/\s+/g, '');
  const number = c.number.normalize('NFKC').replace(/\s+/g, '');
  if (!number) return { ok: false, reason: '被保険者番号が登録されていません' };
  const branch = c.branch.normalize('NFKC').trim();
  if (!/^(\d{1,2})?$/.test(branch)) return { ok: false, reason: `枝番「${c.branch}」は2桁の数字です` };
  const ascii = /^[0-9A-Za-z]*$/;
  const [s, n] =
    ascii.test(symbol) && ascii.test(number) ? [symbol, number] : [toFullWidth(symbol), toFullWidth(number)];
  if (/[:：]/.test(s + n)) return { ok: false, reason: '記号・番号にコロンは使えません' };
  return {
    ok: true,
    value: `${insurer.padStart(8, '0')}:${s}:${n}:${branch ? branch.padStart(2, '0') : ''}`,
  };
}
