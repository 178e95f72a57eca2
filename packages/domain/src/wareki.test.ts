import { describe, expect, it } from 'vitest';
import { ageOn, formatBirthDate, todayInJapan, toWareki } from './wareki';

describe('和暦', () => {
  it('formats dates in the era of the day', () => {
    expect(toWareki('1975-04-01')).toBe('昭和50年4月1日');
    expect(toWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(toWareki('1989-01-08')).toBe('平成元年1月8日');
    expect(toWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(toWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(toWareki('1926-12-25')).toBe('昭和元年12月25日');
    expect(toWareki('1912-07-30')).toBe('大正元年7月30日');
    expect(toWareki('2026-11-25')).toBe('令和8年11月25日');
  });
  it('counts age from the birthday itself', () => {
    expect(ageOn('1975-04-01', '2026-03-31')).toBe(50);
    expect(ageOn('1975-04-01', '2026-04-01')).toBe(51);
    expect(formatBirthDate('1975-04-01', '2026-11-25')).toBe('昭和50年4月1日 (51歳)');
  });
  it('takes today in Japan time', () => {
    expect(todayInJapan(new Date('2026-03-31T15:30:00Z'))).toBe('2026-04-01');
  });
});
