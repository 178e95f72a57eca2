import { toWareki } from '@karte/domain';

const weekdays = ['日', '月', '火', '水', '木', '金', '土'];

/** 曜日 of an ISO date, independent of the browser's time zone. */
export const weekdayOf = (date: string) => weekdays[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '';

/** e.g. 令和8年12月15日（火） */
export const warekiWithWeekday = (date: string) => `${toWareki(date)}（${weekdayOf(date)}）`;

/** e.g. 12/15（火） */
export const shortDate = (date: string) =>
  `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}（${weekdayOf(date)}）`;

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week of a date (予約表's week starts on Monday). */
export function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, day === 0 ? -6 : 1 - day);
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Now in Japan as minutes after midnight. */
export function nowMinutesInJapan(now = new Date()): number {
  const t = now.toLocaleTimeString('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });
  return minutesOf(t);
}
