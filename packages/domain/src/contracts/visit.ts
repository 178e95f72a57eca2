import { z } from 'zod';
import { checkInsurerNumber, checkPublicPayerNumber, isLocalScheme, limitCategoryLabels } from '../insurance';
import { int32, line, multiline } from './input';
import { typedDate } from './patient';

/** 保険 (one version of a patient's coverage); serves the API input and the form alike. */
export const coverageFields = z
  .strictObject({
    insurerNumber: line()
      .trim()
      .superRefine((v, ctx) => {
        const problem = checkInsurerNumber(v.normalize('NFKC'));
        if (problem === 'format')
          ctx.addIssue({ code: 'custom', message: '保険者番号は8桁（国保は6桁）の数字で入力してください' });
        if (problem === 'checkDigit')
          ctx.addIssue({ code: 'custom', message: '保険者番号の検証番号（末尾）が一致しません' });
      }),
    symbol: line().trim().max(38, '記号が長すぎます'), // 被保険者証記号: kana, kanji or full-width allowed
    number: line().trim().min(1, '番号を入力してください').max(20, '番号が長すぎます'), // 被保険者証番号
    branch: line()
      .trim()
      .refine(
        (v) => v === '' || /^[0-9]{2}$/.test(v.normalize('NFKC')),
        '枝番は2桁の数字で入力してください（ない場合は空欄）',
      ),
    relationship: z.enum(['self', 'family'], { error: '本人・家族を選択してください' }),
    acquiredOn: typedDate, // 資格取得日 (和暦 as on the card, or 西暦)
    validUntil: typedDate, // 有効期限
    limitCategory: line().refine(
      (v) => v === '' || Object.hasOwn(limitCategoryLabels, v),
      '限度額適用区分が正しくありません',
    ),
    /** 70–74 現役並み or the 後期高齢 ratio, when the clerk knows it (the eligibility check tells otherwise). */
    wariOverride: z.enum(['', '1', '2', '3']),
  })
  .refine((v) => !v.acquiredOn || !v.validUntil || v.acquiredOn <= v.validUntil, {
    message: '有効期限が資格取得日より前です',
    path: ['validUntil'],
  });
export type CoverageFields = z.infer<typeof coverageFields>;

export const emptyCoverageFields: CoverageFields = {
  insurerNumber: '',
  symbol: '',
  number: '',
  branch: '',
  relationship: 'self',
  acquiredOn: '',
  validUntil: '',
  limitCategory: '',
  wariOverride: '',
};

export const relationshipLabels = { self: '本人', family: '家族' } as const;

/** 公費 (up to four, in priority order). */
export const publicSubsidyFields = z
  .strictObject({
    priority: int32().min(1).max(4),
    payerNumber: line()
      .trim()
      .superRefine((v, ctx) => {
        const problem = checkPublicPayerNumber(v.normalize('NFKC'));
        if (problem === 'format')
          ctx.addIssue({ code: 'custom', message: '公費負担者番号は8桁の数字で入力してください' });
        if (problem === 'checkDigit')
          ctx.addIssue({ code: 'custom', message: '公費負担者番号の検証番号（末尾）が一致しません' });
      }),
    recipientNumber: line().trim().max(30, '受給者番号は30文字以内です'),
    validFrom: typedDate,
    validUntil: typedDate,
    monthlyCap: z.union([int32().min(0).max(1_000_000), z.null()]),
  })
  .superRefine((v, ctx) => {
    const national = !isLocalScheme(v.payerNumber);
    if (national && v.recipientNumber !== '' && !/^[0-9]{7}$/.test(v.recipientNumber.normalize('NFKC'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipientNumber'],
        message: '受給者番号は7桁の数字です（地方単独を除く）',
      });
    }
    if (v.validFrom && v.validUntil && v.validFrom > v.validUntil) {
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '有効期限が開始日より前です' });
    }
  });
export type PublicSubsidyFields = z.infer<typeof publicSubsidyFields>;

/** 受付 states. */
export const visitStates = [
  'received',
  'waiting',
  'in_consult',
  'billing',
  'done',
  'on_hold',
  'cancelled',
  'absent',
] as const;
export type VisitState = (typeof visitStates)[number];
export const visitStateLabels: Record<VisitState, string> = {
  received: '受付済',
  waiting: '診察待',
  in_consult: '診察中',
  billing: '会計待',
  done: '完了',
  on_hold: '保留',
  cancelled: '取消',
  absent: '呼出不在',
};

export const checkInInput = z.strictObject({
  patientId: z.uuid(),
  purpose: line().trim().min(1, '来院目的を入力してください').max(100, '来院目的は100文字以内です'),
  // One of the clinic's 診療科 (クリニック設定); the service checks it against the facility's list.
  department: line(40, { error: '診療科を選択してください' })
    .trim()
    .min(1, '診療科を選択してください')
    .max(20, '診療科名は20文字以内です'),
  memo: multiline().trim().max(500, 'メモは500文字以内です'),
});
export type CheckInInput = z.infer<typeof checkInInput>;

export const visitTransitionInput = z.strictObject({
  visitId: z.uuid(),
  to: z.enum(visitStates),
  version: int32().positive(),
});
