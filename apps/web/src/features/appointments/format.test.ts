import { describe, expect, it } from 'vitest';
import { addDays, mondayOf, shortDate, warekiWithWeekday } from './format';
import { firstFreeSlot } from './slots';

describe('予約 dates', () => {
  it('writes dates in 和暦 with the weekday, and finds the week’s Monday', () => {
    expect(warekiWithWeekday('2026-12-15')).toBe('令和8年12月15日（火）');
    expect(shortDate('2026-12-06')).toBe('12/6（日）');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('proposes the same time when free, else the first free slot of the day', () => {
    const slots = ['09:00', '09:15', '09:30', '09:45'];
    const taken = [{ startTime: '09:00', durationMinutes: 30, state: 'booked' as const }];
    expect(firstFreeSlot(slots, taken, 15, '09:30')).toBe('09:30');
    expect(firstFreeSlot(slots, taken, 15, '09:15')).toBe('09:30');
    expect(firstFreeSlot(slots, taken, 15, '12:00')).toBe('09:30');
    expect(
      firstFreeSlot(
        slots,
        [...taken, { startTime: '09:30', durationMinutes: 30, state: 'booked' }],
        15,
        null,
      ),
    ).toBe(null);
    // A cancelled appointment frees its slot.
    expect(firstFreeSlot(slots, [{ ...taken[0]!, state: 'cancelled' }], 15, '09:00')).toBe('09:00');
  });
});
