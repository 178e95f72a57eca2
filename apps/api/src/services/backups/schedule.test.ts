import { describe, expect, it } from 'vitest';
import { backupFileName, nextRunAfter } from './schedule';

describe('backup schedule', () => {
  it('runs next at HH:MM Japan time: later today, or tomorrow once passed', () => {
    // 2026-12-01 01:00 JST = 2026-11-30 16:00 UTC
    expect(nextRunAfter(new Date('2026-11-30T16:00:00Z'), '03:00').toISOString()).toBe(
      '2026-11-30T18:00:00.000Z',
    );
    // 03:00 JST exactly: the next is tomorrow's
    expect(nextRunAfter(new Date('2026-11-30T18:00:00Z'), '03:00').toISOString()).toBe(
      '2026-12-01T18:00:00.000Z',
    );
    // 23:30 JST on 12-01 (14:30 UTC), backup at 23:45 → 14:45 UTC the same day
    expect(nextRunAfter(new Date('2026-12-01T14:30:00Z'), '23:45').toISOString()).toBe(
      '2026-12-01T14:45:00.000Z',
    );
    // Just after midnight JST with a 00:00 schedule: tomorrow
    expect(nextRunAfter(new Date('2026-11-30T15:00:01Z'), '00:00').toISOString()).toBe(
      '2026-12-01T15:00:00.000Z',
    );
  });

  it('names files by the JST time, so that they sort by age', () => {
    expect(backupFileName(new Date('2026-11-30T18:00:05Z'))).toBe('karte-20261201-030005.kbak');
    expect(backupFileName(new Date('2026-12-31T15:00:00Z'))).toBe('karte-20270101-000000.kbak');
  });
});
