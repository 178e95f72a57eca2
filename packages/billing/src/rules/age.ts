import type { ProcedureItem } from '../types';

/** Age in full years on a date (the birthday itself counts as reached). */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function daysOld(birthDate: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${birthDate}T00:00:00Z`)) / 86_400_000);
}

/**
 * The master's age window (下限年齢 col 40 / 上限年齢 col 41): two digits = years, 下限 "以上", 上限 "未満"
 * (乳幼児加算 00–06 = 6歳未満); `AA` = 生後28日 (新生児). `00` = no bound. Other letter codes (B6, BK, MG …:
 * school-year and month-end rules of the spec) are not decided here: the caller gets a warning instead.
 */
export function ageWindow(
  item: ProcedureItem,
  birthDate: string,
  date: string,
): { ok: true } | { ok: false; why: string } | { ok: 'unknown'; code: string } {
  if ((item.ageMin === '00' || item.ageMin === '') && (item.ageMax === '00' || item.ageMax === ''))
    return { ok: true };
  const age = ageOn(birthDate, date);
  const bound = (code: string, lower: boolean): { ok: boolean; text: string } | 'unknown' | null => {
    if (code === '' || code === '00') return null;
    if (/^\d\d$/.test(code)) {
      const n = Number(code);
      return lower ? { ok: age >= n, text: `${n}歳以上` } : { ok: age < n, text: `${n}歳未満` };
    }
    if (code === 'AA') {
      const days = daysOld(birthDate, date);
      return lower ? { ok: days >= 28, text: '生後28日以上' } : { ok: days < 28, text: '生後28日未満' };
    }
    return 'unknown';
  };
  const lo = bound(item.ageMin, true);
  const hi = bound(item.ageMax, false);
  if (lo === 'unknown') return { ok: 'unknown', code: item.ageMin };
  if (hi === 'unknown') return { ok: 'unknown', code: item.ageMax };
  const failed = [lo, hi].filter((b) => b && !b.ok) as { text: string }[];
  if (failed.length === 0) return { ok: true };
  const window = [lo, hi].filter(Boolean).map((b) => (b as { text: string }).text);
  return { ok: false, why: `${window.join('・')}に限る（患者 ${age}歳）` };
}
