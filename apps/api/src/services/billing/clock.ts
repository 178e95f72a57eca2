import holidayJp from '@holiday-jp/holiday_jp';
import type { BillingSettings } from '@karte/domain';

// When a patient came, as the 初診/再診 time add-ons see it. The clinic's posted hours (標榜時間) decide first:
// inside them no 時間外/休日/深夜 加算 applies, only the 夜間・早朝等加算 (診療所) for 夜間・早朝・休日;
// outside them 深夜 (22–6), else 休日, else 時間外 (../shared/billing-data/NOTES.md §2.2, ../shared/domain/NOTES.md §2.1).

/** 休日 / 深夜 / 時間外 / 夜間・早朝等 (inside the posted hours) / none. */
export type TimeBand = 'holiday' | 'lateNight' | 'afterHours' | 'nightEarly' | null;

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

/** Why a time inside the posted hours is 夜間・早朝等 (休日, 18時以降 / 土曜12時以降, 8時前), or null. */
function nightEarlyReason(date: string, time: string, holiday: string | null): string | null {
  if (holiday) return `休日（${holiday}）`;
  if (time >= '18:00') return `夜間（18時以降）${time}`;
  if (weekdayOf(date) === 6 && time >= '12:00') return `土曜12時以降 ${time}`;
  if (time < '08:00') return `早朝（8時前）${time}`;
  return null;
}

/** The band of a check-in at `time` (HH:MM, Japan) on `date`, with the reason in Japanese. */
export function timeBandOf(
  date: string,
  time: string,
  settings: Pick<BillingSettings, 'hours' | 'closedDays'>,
): { band: TimeBand; reason: string } {
  const holiday = holidayName(date);
  // The hours table is per weekday; Sundays have their own row, but national holidays and 年末年始 have none,
  // so the clinic counts as closed on them (BillingSettings: "national holidays are known").
  const closed = settings.closedDays.includes(date) || (holiday !== null && weekdayOf(date) !== 0);
  const periods = settings.hours[weekdayOf(date)] ?? [];
  const within = !closed && periods.some(([open, close]) => time >= open && time < close);
  if (within) {
    const why = nightEarlyReason(date, time, holiday);
    return why
      ? { band: 'nightEarly', reason: `診療時間内の${why}の受付（時間外・休日・深夜加算は診療時間外のみ）` }
      : { band: null, reason: '' };
  }
  if (time >= '22:00' || time < '06:00')
    return { band: 'lateNight', reason: `深夜（22時〜6時）の受付 ${time}` };
  if (holiday) return { band: 'holiday', reason: `休日（${holiday}）の受付` };
  if (settings.closedDays.includes(date)) return { band: 'afterHours', reason: `休診日（${date}）の受付` };
  const posted = periods.map(([o, c]) => `${o}〜${c}`).join('・') || 'なし';
  return { band: 'afterHours', reason: `診療時間外の受付 ${time}（この曜日の診療時間: ${posted}）` };
}
