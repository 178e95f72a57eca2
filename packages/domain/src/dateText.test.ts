import { describe, expect, it } from 'vitest';
import { parseDateText } from './dateText';

describe('parseDateText', () => {
  it('reads western and 和暦 notations in any width', () => {
    expect(parseDateText('1975-04-01')).toBe('1975-04-01');
    expect(parseDateText('1975/4/1')).toBe('1975-04-01');
    expect(parseDateText('19750401')).toBe('1975-04-01');
    expect(parseDateText('S50.4.1')).toBe('1975-04-01');
    expect(parseDateText('ｓ５０．４．１')).toBe('1975-04-01');
    expect(parseDateText('H1/1/8')).toBe('1989-01-08');
    expect(parseDateText('R7.4.1')).toBe('2025-04-01');
  });
  it('refuses impossible dates and other text', () => {
    expect(parseDateText('2025-02-30')).toBeNull();
    expect(parseDateText('ヤマダ')).toBeNull();
    expect(parseDateText('12345678')).toBeNull();
  });
});
