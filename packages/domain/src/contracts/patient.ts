import { z } from 'zod';
import { parseDateText } from '../dateText';
import { isKanaOnly, normalizeForSearch, normalizePhone } from '../kana';
import { int32, isoDate, line } from './input';

export { isoDate };

/** 患者 registration and edit form; serves the API input and the form resolver alike. */

const required = (label: string, max: number) =>
  // The field's own bound (with its label) is the text rule's bound too, so an overlong name is told so by name.
  line(max, { error: `${label}を入力してください` }, label)
    .trim()
    .min(1, `${label}を入力してください`)
    .max(max, `${label}は${max}文字以内で入力してください`);

const kana = (label: string) =>
  required(label, 40).refine(isKanaOnly, `${label}はカタカナ（またはひらがな）で入力してください`);

export const sexValues = ['male', 'female', 'other', 'unknown'] as const;
export const sexLabels: Record<(typeof sexValues)[number], string> = {
  male: '男',
  female: '女',
  other: 'その他',
  unknown: '不明',
};

const MIN_BIRTH_DATE = '1868-01-25'; // 明治 onwards

/**
 * A date as reception staff type it, in the notations 生年月日 takes (2020-04-01, 20200401, R2.4.1,
 * M/T/S/H/R, any width), read as YYYY-MM-DD; an empty box stays ''.
 */
export const typedDate = line(40, { error: '日付を入力してください' })
  .trim()
  .transform((v) => (v === '' ? '' : (parseDateText(v) ?? v)))
  .pipe(
    z.string().superRefine((v, ctx) => {
      if (v === '') return;
      const iso = isoDate.safeParse(v);
      if (iso.success) return;
      ctx.addIssue({
        code: 'custom',
        message: /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? (iso.error.issues[0]?.message ?? '存在しない日付です')
          : '日付は 2020-04-01、20200401、R2.4.1 のように入力してください',
      });
    }),
  );

export const patientFields = z.strictObject({
  familyName: required('姓（漢字）', 40), // 氏
  givenName: required('名（漢字）', 40), // 名
  familyNameKana: kana('セイ（カナ）'),
  givenNameKana: kana('メイ（カナ）'),
  sex: z.enum(sexValues, { error: '性別を選択してください' }),
  birthDate: isoDate
    .refine((v) => v >= MIN_BIRTH_DATE, '生年月日が古すぎます')
    .refine((v) => v <= new Date().toISOString().slice(0, 10), '生年月日に未来の日付は入力できません'),
  postalCode: line()
    .trim()
    .refine(
      (v) => v === '' || /^[0-9]{7}$/.test(normalizePhone(v)),
      '郵便番号は7桁の数字で入力してください（例: 100-0001）',
    ),
  address: line().trim().max(200, '住所は200文字以内で入力してください'),
  phone: line()
    .trim()
    .refine((v) => {
      const digits = normalizePhone(v);
      return v === '' || (digits.length >= 10 && digits.length <= 11 && digits.startsWith('0'));
    }, '電話番号は0から始まる10〜11桁で入力してください（例: 03-1234-5678）'),
});
export type PatientFields = z.infer<typeof patientFields>;

export const patientCreateInput = patientFields.extend({
  /** Register even though a likely duplicate exists (the clerk confirmed it is another person). */
  confirmDuplicate: z.boolean().optional(),
});
export type PatientCreateInput = z.infer<typeof patientCreateInput>;

export const patientUpdateInput = patientFields.extend({
  id: z.uuid(),
  /** The version the edit started from: a stale save is a conflict, never an overwrite. */
  version: int32().positive(),
});
export type PatientUpdateInput = z.infer<typeof patientUpdateInput>;

export const patientSearchInput = z.strictObject({
  query: line().trim().max(60, '検索語は60文字以内で入力してください'),
  limit: int32().min(1).max(100).default(20),
});

/** A blank registration form. No 性別: a preset one is saved by whoever tabs past the field. */
export const emptyPatientFields: Omit<PatientFields, 'sex'> = {
  familyName: '',
  givenName: '',
  familyNameKana: '',
  givenNameKana: '',
  birthDate: '',
  postalCode: '',
  address: '',
  phone: '',
};

/** Store kana as full-width katakana with single spaces, whatever the clerk typed. */
export function canonicalKana(text: string): string {
  return normalizeForSearch(text);
}

/** 123-4567 */
export function canonicalPostalCode(text: string): string {
  const d = normalizePhone(text);
  return d ? `${d.slice(0, 3)}-${d.slice(3)}` : '';
}
