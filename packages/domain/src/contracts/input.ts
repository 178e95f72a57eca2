import { z } from 'zod';

/**
 * The input rules every contract shares (issue #12 item 10): text that PostgreSQL can store as it came,
 * whole numbers that fit an `integer` column, and dates a clinic can mean. What the database would refuse
 * (NUL, broken UTF-16, overflow) is refused here first, with a message at the field instead of a 500.
 */

/** Largest value of a PostgreSQL `integer` (versions, counts, 患者番号). */
export const INT32_MAX = 2_147_483_647;
/** Upper bound of any single-line text when the field names none. */
export const LINE_MAX = 1_000;
/** Upper bound of any multi-line text (SOAP, documents) when the field names none. */
export const TEXT_MAX = 20_000;

// C0 controls and DEL; a multi-line text may hold tab, newline and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_LINE = /[\u0000-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Well-formed UTF-16: no lone surrogate halves (PostgreSQL cannot store them). */
export const isWellFormedText = (v: string) => !LONE_SURROGATE.test(v);
export const hasControlChars = (v: string, multiline = false) =>
  (multiline ? CONTROL_TEXT : CONTROL_LINE).test(v);

function safe(multiline: boolean, max: number, params?: { error?: string }, label?: string) {
  return z
    .string(params)
    .max(max, `${label ? `${label}は` : ''}${max}文字以内で入力してください`)
    .refine((v) => !hasControlChars(v, multiline), {
      message: multiline
        ? '使用できない制御文字が含まれています'
        : '使用できない文字（改行・タブ・制御文字）が含まれています',
    })
    .refine(isWellFormedText, { message: '文字化けした文字（不正なUTF-16）が含まれています' });
}

/** One line of text: no control characters, well-formed, at most `max` characters (chain .trim/.min/.max). */
export const line = (max: number = LINE_MAX, params?: { error?: string }, label?: string) =>
  safe(false, max, params, label);
/** Multi-line text (tab and newline allowed), otherwise as line(). */
export const multiline = (max: number = TEXT_MAX, params?: { error?: string }) => safe(true, max, params);

/** A whole number that fits an `integer` column (chain .min/.positive for the lower bound). */
export const int32 = (params?: { error?: string }) =>
  z
    .number(params)
    .int('整数で入力してください')
    .min(-INT32_MAX - 1, '数値が小さすぎます')
    .max(INT32_MAX, '数値が大きすぎます');

/** Years a clinic's dates can have: 明治 onwards, and nothing past 2200 (a typo such as 9999 is refused). */
export const MIN_YEAR = 1868;
export const MAX_YEAR = 2200;

/** YYYY-MM-DD that exists on the calendar, year 1868..2200. */
export const isoDate = z
  .string({ error: '日付を入力してください' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日付はYYYY-MM-DDの形式で入力してください')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, '存在しない日付です')
  .refine((v) => {
    const year = Number(v.slice(0, 4));
    return year >= MIN_YEAR && year <= MAX_YEAR;
  }, `日付の年は${MIN_YEAR}年から${MAX_YEAR}年までです`);

/** A lab number fits numeric(14,4): at most 10 digits before the point (|x| < 1e10). */
export const LAB_NUMBER_LIMIT = 1e10;
