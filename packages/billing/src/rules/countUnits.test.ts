import { describe, expect, it } from 'vitest';
import { countUnitOf, limitText, windowMonths } from './countUnits';

describe('countUnits', () => {
  it('knows a unit only within its dates', () => {
    expect(countUnitOf('112708970', '2024-12-01')).toEqual({ months: 3 });
    expect(countUnitOf('112708970', '2026-05-31')).toEqual({ months: 3 });
    expect(countUnitOf('112708970', '2026-06-01')).toBeUndefined(); // abolished by the 2026 revision
    expect(countUnitOf('111704070', '2026-05-31')).toBeUndefined();
    expect(countUnitOf('111704070', '2026-06-01')).toEqual({ months: 1 });
    expect(countUnitOf('160061910', '2025-01-10')).toEqual({ months: 1 });
    expect(countUnitOf('180058650', '2025-01-10')).toBeUndefined(); // 一連: not a calendar window
  });

  it('windows of calendar months end with the visit month, across a year end', () => {
    expect(windowMonths('2025-02-28', 3)).toEqual(['2025-02', '2025-01', '2024-12']);
    expect(windowMonths('2025-06-30', 12).at(-1)).toBe('2024-07');
    expect(windowMonths('2025-06-30', 1)).toEqual(['2025-06']);
  });

  it('names the unit it applies', () => {
    expect(limitText({ months: 1 }, 2)).toBe('月2回');
    expect(limitText({ months: 3 }, 1)).toBe('3月に1回（今月を含む暦月3か月）');
    expect(limitText({ months: 12 }, 4)).toBe('年4回（今月を含む暦月12か月）');
  });
});
