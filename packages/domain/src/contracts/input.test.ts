import { describe, expect, it } from 'vitest';
import { loginInput } from './admin';
import { int32, isoDate, line, multiline } from './input';
import { patientUpdateInput } from './patient';

const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.error?.issues[0]?.message;

describe('the shared input rules', () => {
  it('refuse NUL and control characters, in the unauthenticated login too', () => {
    expect(messageOf(line().safeParse('a\u0000b'))).toContain('制御文字');
    expect(loginInput.safeParse({ username: 'doctor\u0000', password: 'x' }).success).toBe(false);
    expect(loginInput.safeParse({ username: 'doctor', password: 'pass\u0000word' }).success).toBe(false);
    expect(line().safeParse('一行\n二行').success).toBe(false);
    // Multi-line text keeps its tabs and line breaks, but not NUL or escape sequences.
    expect(multiline().safeParse('S: 頭痛\n\tO: 発熱\r\n').success).toBe(true);
    expect(multiline().safeParse('\u001B[31m').success).toBe(false);
  });

  it('refuse lone surrogates but keep characters outside the BMP', () => {
    expect(messageOf(line().safeParse('山\uD800'))).toContain('UTF-16');
    expect(line().safeParse('\uDC00x').success).toBe(false);
    expect(line().safeParse('𠮷野家').success).toBe(true);
  });

  it('bound length when the field names no bound', () => {
    expect(line().safeParse('a'.repeat(1_000)).success).toBe(true);
    expect(messageOf(line().safeParse('a'.repeat(1_001)))).toBe('1000文字以内で入力してください');
    expect(multiline().safeParse('あ'.repeat(20_001)).success).toBe(false);
  });

  it('bound whole numbers to a PostgreSQL integer', () => {
    expect(int32().safeParse(2 ** 31 - 1).success).toBe(true);
    expect(messageOf(int32().safeParse(2 ** 31))).toBe('数値が大きすぎます');
    expect(
      patientUpdateInput.shape.version.safeParse(2 ** 31).success,
      'a version past 2³¹−1 was a 500 in the database',
    ).toBe(false);
  });

  it('take only real dates from 1868 to 2200', () => {
    expect(isoDate.safeParse('2026-11-20').success).toBe(true);
    expect(messageOf(isoDate.safeParse('0000-01-01'))).toBe('日付の年は1868年から2200年までです');
    expect(messageOf(isoDate.safeParse('0001-01-01'))).toBe('日付の年は1868年から2200年までです');
    expect(isoDate.safeParse('9999-12-31').success).toBe(false);
    expect(isoDate.safeParse('2026-02-30').success).toBe(false);
  });
});
