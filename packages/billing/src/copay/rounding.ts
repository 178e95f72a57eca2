/**
 * Yen rounding for 窓口負担.
 * The window amount is rounded to 10円: below 5円 dropped, 5円 and above rounded up (健康保険法75条, 国保法42条の2;
 * ../shared/domain/NOTES.md §1.2). Month totals, limits and 公費 caps stay in 1-yen units (NOTES §3.1).
 */

/** 10円未満四捨五入, symmetric for a negative correction. */
export function round10(yen: number): number {
  const whole = Math.round(yen);
  const rounded = Math.floor((Math.abs(whole) + 5) / 10) * 10;
  return whole < 0 ? -rounded : rounded;
}

/** 1円未満四捨五入 of a computed amount (limit formulas, 割合 of 医療費), e.g. 253,637.6 → 253,638. */
export const round1 = (yen: number): number => Math.round(yen);

/** 12,345 → '12,345' for step labels. */
export const yenText = (yen: number): string => Math.round(yen).toLocaleString('en-US');
