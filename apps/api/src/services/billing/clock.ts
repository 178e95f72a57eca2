import holidayJp from '@holiday-jp/holiday_jp';
import type { BillingSettings } from '@karte/domain';

// When a patient came, as the 初診/再診 time add-ons see it: 休日, 深夜, 時間外 or within hours.

export type TimeBand = 'holiday' | 'lateNight' | 'afterHours' | null; // 休日 / 深夜 / 時間外 / 診療時間内

/** Day of week (0 = 日) of an ISO date, independent of the server's time zone. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** 休日 in the sense of the 休日加算: 日曜, 国民の祝日 (incl. 振替休日) and 12/29–1/3. */
export function holidayName(date: string): string | null {
  if (weekdayOf(date) === 0) return '日曜日';
  const md = date.slice(5);
  if (md >= '12-29' || md <= '01-03') return '年末年始（12/29〜1/3）';
  const holidays = holidayJp.holidays as Record<string, { name: string } | undefined>;
  return Object.hasOwn(holidays, date) ? (holidays[date]?.name ?? '祝日') : null;
}

/** The band of a check-in at `time` (HH:MM, Japan) on `date`, with the reason in Japanese. */
export function timeBandOf(
  date: string,
  time: string,
  settings: Pick<BillingSettings, 'hours' | 'closedDays'>,
): { band: TimeBand; reason: string } {
  const holiday = holidayName(date);
  if (holiday) return { band: 'holiday', reason: `休日（${holiday}）の受付` };
  if (time >= '22:00' || time < '06:00')
    return { band: 'lateNight', reason: `深夜（22時〜6時）の受付 ${time}` };
  if (settings.closedDays.includes(date)) return { band: 'afterHours', reason: `休診日（${date}）の受付` };
  const periods = settings.hours[weekdayOf(date)] ?? [];
  const within = periods.some(([open, close]) => time >= open && time < close);
  if (within) return { band: null, reason: '' };
  const posted = periods.map(([o, c]) => `${o}〜${c}`).join('・') || 'なし';
  return { band: 'afterHours', reason: `診療時間外の受付 ${time}（この曜日の診療時間: ${posted}）` };
}
