import { type BillingSettings, type CalendarDay, hhmmOf, minutesOf, SLOT_MINUTES } from '@karte/domain';
import { holidayName, weekdayOf } from '../billing/clock';

// 予約枠: the clinic's 診療時間 per weekday cut into SLOT_MINUTES slots; none on 休診日 (the clinic's own),
// national holidays and 年末年始 (as the billing clock knows them), nor on weekdays without hours.

/** Why the clinic is closed on a date, or null when it has hours that day. */
export function closedReason(
  date: string,
  settings: Pick<BillingSettings, 'hours' | 'closedDays'>,
): string | null {
  if (settings.closedDays.includes(date)) return '休診日';
  const holiday = holidayName(date);
  // Sundays have their own row of hours; 祝日 and 年末年始 have none (the billing clock counts them closed).
  if (holiday && weekdayOf(date) !== 0) return holiday;
  if ((settings.hours[weekdayOf(date)] ?? []).length === 0) return weekdayOf(date) === 0 ? '日曜日' : '休診';
  return null;
}

/** The slots (HH:MM) of a date, from the periods of its weekday. */
export function calendarDay(
  date: string,
  settings: Pick<BillingSettings, 'hours' | 'closedDays'>,
): CalendarDay {
  const closed = closedReason(date, settings);
  if (closed) return { date, closed, slots: [] };
  const slots: string[] = [];
  for (const [open, close] of settings.hours[weekdayOf(date)] ?? []) {
    for (let m = minutesOf(open); m + SLOT_MINUTES <= minutesOf(close); m += SLOT_MINUTES)
      slots.push(hhmmOf(m));
  }
  return { date, closed: null, slots };
}

/** Whether [start, start + duration) lies inside one period of the day's hours. */
export function withinHours(
  date: string,
  startMinute: number,
  durationMinutes: number,
  settings: Pick<BillingSettings, 'hours' | 'closedDays'>,
): boolean {
  if (closedReason(date, settings)) return false;
  return (settings.hours[weekdayOf(date)] ?? []).some(
    ([open, close]) => startMinute >= minutesOf(open) && startMinute + durationMinutes <= minutesOf(close),
  );
}

/** ISO date plus n days (time-zone independent). */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
