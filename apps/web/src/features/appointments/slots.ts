import { minutesOf } from './format';

interface Taken {
  startTime: string;
  durationMinutes: number;
  state: 'booked' | 'checked_in' | 'no_show' | 'cancelled';
}

/** Whether [start, start + minutes) is free of live appointments. */
export function isFree(start: string, minutes: number, taken: readonly Taken[]): boolean {
  const s = minutesOf(start);
  return taken.every(
    (t) =>
      t.state === 'cancelled' ||
      t.state === 'no_show' ||
      minutesOf(t.startTime) >= s + minutes ||
      minutesOf(t.startTime) + t.durationMinutes <= s,
  );
}

/**
 * 次回予約's proposal: the wanted time (the time of now) if that slot is free, otherwise the first free slot of
 * the day; null when the day is full.
 */
export function firstFreeSlot(
  slots: readonly string[],
  taken: readonly Taken[],
  minutes: number,
  wanted: string | null,
): string | null {
  if (wanted && slots.includes(wanted) && isFree(wanted, minutes, taken)) return wanted;
  return slots.find((s) => isFree(s, minutes, taken)) ?? null;
}
