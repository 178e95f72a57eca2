/** 和暦 (Japanese era) formatting of ISO dates (YYYY-MM-DD), and age. */
interface Era {
  name: string;
  start: string; // first day of the era, ISO
}

// Newest first. Start days per the 元号 proclamations.
const ERAS: Era[] = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
  { name: '明治', start: '1868-01-25' },
];

function parts(iso: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function toWareki(iso: string): string {
  const [y, m, d] = parts(iso);
  const era = ERAS.find((e) => iso >= e.start);
  if (!era) return `${y}年${m}月${d}日`;
  const eraYear = y - parts(era.start)[0] + 1;
  return `${era.name}${eraYear === 1 ? '元' : eraYear}年${m}月${d}日`;
}

/** Age in whole years on `on` (ISO); one turns a year older on the birthday itself. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Today in Japan (Asia/Tokyo), ISO. */
export function todayInJapan(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(now);
}

/** e.g. 昭和50年4月1日 (51歳) */
export function formatBirthDate(birthDate: string, today: string = todayInJapan()): string {
  return `${toWareki(birthDate)} (${ageOn(birthDate, today)}歳)`;
}
