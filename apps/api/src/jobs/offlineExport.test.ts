import { describe, expect, it } from 'vitest';
import { dueSlot, tokyoSlot } from './offlineExport';

describe('offline export schedule (Asia/Tokyo hours)', () => {
  it('reads the Tokyo day and hour', () => {
    expect(tokyoSlot(new Date('2026-11-30T20:30:00Z'))).toEqual({ date: '2026-12-01', hour: 5 });
    expect(tokyoSlot(new Date('2026-12-01T15:00:00Z'))).toEqual({ date: '2026-12-02', hour: 0 });
  });

  it('is due at the last scheduled hour passed today, not before the first', () => {
    const hours = [5, 8, 9, 12];
    expect(dueSlot(hours, new Date('2026-11-30T19:59:00Z'))).toBeNull(); // 04:59 JST
    expect(dueSlot(hours, new Date('2026-11-30T20:00:00Z'))).toBe('2026-12-01T05');
    expect(dueSlot(hours, new Date('2026-11-30T22:30:00Z'))).toBe('2026-12-01T05'); // 07:30
    expect(dueSlot(hours, new Date('2026-12-01T01:10:00Z'))).toBe('2026-12-01T09'); // 10:10
    expect(dueSlot(hours, new Date('2026-12-01T14:59:00Z'))).toBe('2026-12-01T12'); // 23:59
    expect(dueSlot([], new Date())).toBeNull();
  });
});
