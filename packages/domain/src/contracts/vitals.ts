import { z } from 'zod';
import { line, multiline } from './input';

/**
 * バイタル input ranges (README「バイタル・問診」explains them): wide enough for every living patient a clinic
 * sees — a 1 kg 新生児, a 40.5℃ 高熱, a hypertensive crisis — and narrow enough that a typo (368 for 36.8,
 * 1280 for 128) is refused at the field. A value inside the range but outside the usual one is accepted and
 * flagged on display (vitalFlags).
 */
export const VITAL_RANGES = {
  temperature: { min: 30, max: 45, decimals: 1, label: '体温', unit: '℃' },
  systolic: { min: 40, max: 300, decimals: 0, label: '血圧（収縮期）', unit: 'mmHg' },
  diastolic: { min: 20, max: 200, decimals: 0, label: '血圧（拡張期）', unit: 'mmHg' },
  pulse: { min: 20, max: 250, decimals: 0, label: '脈拍', unit: '/分' },
  spo2: { min: 50, max: 100, decimals: 0, label: 'SpO2', unit: '%' },
  heightCm: { min: 20, max: 250, decimals: 1, label: '身長', unit: 'cm' },
  weightKg: { min: 0.2, max: 300, decimals: 2, label: '体重', unit: 'kg' },
} as const;

export type VitalField = keyof typeof VITAL_RANGES;
export const VITAL_FIELDS = Object.keys(VITAL_RANGES) as VitalField[];

const decimalsOf = (n: number) => {
  const text = String(n);
  const dot = text.indexOf('.');
  return dot < 0 || /e/i.test(text) ? (/e-/i.test(text) ? 99 : 0) : text.length - dot - 1;
};

/** One value: null (not measured) or a number in its range with at most its decimals. */
const vital = (field: VitalField) => {
  const r = VITAL_RANGES[field];
  const rangeText = `${r.min}〜${r.max}${r.unit}`;
  return z
    .number({ error: `${r.label}は数値で入力してください` })
    .refine(Number.isFinite, `${r.label}は数値で入力してください`)
    .refine((v) => v >= r.min && v <= r.max, `${r.label}は${rangeText}の範囲で入力してください`)
    .refine(
      (v) => decimalsOf(v) <= r.decimals,
      r.decimals === 0 ? `${r.label}は整数で入力してください` : `${r.label}は小数${r.decimals}桁までです`,
    )
    .nullable();
};

const vitalValues = z.strictObject({
  temperature: vital('temperature'),
  systolic: vital('systolic'),
  diastolic: vital('diastolic'),
  pulse: vital('pulse'),
  spo2: vital('spo2'),
  heightCm: vital('heightCm'),
  weightKg: vital('weightKg'),
});

/** The values of one measurement: any subset, at least one; 血圧 both or neither, 収縮期 > 拡張期. */
export const vitalFields = vitalValues.superRefine((v, ctx) => {
  if (VITAL_FIELDS.every((f) => v[f] === null))
    ctx.addIssue({ code: 'custom', path: ['temperature'], message: 'いずれかの値を入力してください' });
  if (v.systolic === null && v.diastolic !== null)
    ctx.addIssue({ code: 'custom', path: ['systolic'], message: '収縮期血圧を入力してください' });
  if (v.systolic !== null && v.diastolic === null)
    ctx.addIssue({ code: 'custom', path: ['diastolic'], message: '拡張期血圧を入力してください' });
  if (v.systolic !== null && v.diastolic !== null && v.systolic <= v.diastolic)
    ctx.addIssue({
      code: 'custom',
      path: ['diastolic'],
      message: '拡張期血圧は収縮期血圧より低い値を入力してください',
    });
});
export type VitalFields = z.infer<typeof vitalValues>;

/** 修正: the new values and why. */
export const vitalCorrectionFields = z.strictObject({
  values: vitalFields,
  reason: line(200, undefined, '修正理由').trim().min(1, '修正理由を入力してください'),
});

export const ALLERGY_CHOICES = { yes: 'あり', no: 'なし', unknown: '不明' } as const;
export const PREGNANCY_CHOICES = {
  pregnant: '妊娠中',
  nursing: '授乳中',
  possible: '可能性あり',
  no: 'なし',
  na: '該当なし',
} as const;

/** 問診 as filled at reception. */
export const intakeFields = z
  .strictObject({
    chiefComplaint: line(200, undefined, '主訴').trim().min(1, '主訴を入力してください'),
    course: multiline(2000).trim(),
    medication: multiline(2000).trim(),
    allergy: z.enum(['yes', 'no', 'unknown'], { error: 'アレルギーの有無を選択してください' }),
    allergyDetail: line(500, undefined, 'アレルギーの内容').trim(),
    pregnancy: z.enum(['pregnant', 'nursing', 'possible', 'no', 'na'], {
      error: '妊娠・授乳を選択してください',
    }),
  })
  .superRefine((v, ctx) => {
    if (v.allergy === 'yes' && v.allergyDetail === '')
      ctx.addIssue({
        code: 'custom',
        path: ['allergyDetail'],
        message: 'アレルギーの内容を入力してください',
      });
  });
export type IntakeFields = z.infer<typeof intakeFields>;
