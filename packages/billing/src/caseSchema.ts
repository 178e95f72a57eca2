import { int32, isoDate, line } from '@karte/domain';
import { z } from 'zod';
import type { BillingCase } from './types';

// The billing:calc case (BillingCase in ./types) as it arrives from outside: every field checked, unknown
// fields refused, so a typo ("amout") is an error and not a silently different bill.

const code9 = (what: string) => line(9).regex(/^\d{9}$/, `${what}は9桁の数字です`);

const procedureItem = z.strictObject({
  code: code9('診療行為コード'),
  count: int32().min(1).max(99).optional(),
});
const drugItem = z.strictObject({
  drug: line(12).regex(
    /^(\d{9}|[0-9A-Z]{12})$/,
    '医薬品コードは9桁のレセ電コードか12桁の薬価基準コード・一般名コードです',
  ),
  amount: z.number().positive('数量は正の数です').max(100_000),
  days: int32().min(1).max(365).optional(),
  rp: int32().min(0).max(999).optional(),
});
const materialItem = z.strictObject({
  material: code9('特定器材コード'),
  amount: z.number().positive('数量は正の数です').max(100_000),
});

const visit = z
  .strictObject({
    date: isoDate,
    items: z
      .array(z.union([procedureItem, drugItem, materialItem]))
      .max(500)
      .optional(),
    points: int32().min(0).optional(),
    billedCodes: z
      .array(z.strictObject({ code: code9('診療行為コード'), count: int32().min(1).max(999) }))
      .max(500)
      .optional(),
    publicSubsidies: z.array(line(8)).max(4).optional(),
    ratio: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    insurer: line(8).optional(),
  })
  .refine((v) => (v.items === undefined) !== (v.points === undefined), {
    message: 'items と points はどちらか一方を指定してください',
  });

const publicSubsidy = z.strictObject({
  payerNumber: line(8).regex(/^\d{8}$/, '公費負担者番号は8桁の数字です'),
  recipientNumber: line(7)
    .regex(/^\d{7}$/, '受給者番号は7桁の数字です')
    .optional(),
  monthlyCapYen: int32().min(0).nullable().optional(),
  paidElsewhereYen: int32().min(0).optional(),
  local: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('full') }),
      z.strictObject({ kind: z.literal('perVisit'), yen: int32().min(0) }),
      z.strictObject({ kind: z.literal('perMonth'), yen: int32().min(0) }),
    ])
    .optional(),
});

export const billingCaseSchema = z
  .strictObject({
    birthDate: isoDate,
    ratio: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
    kubun: line(20).optional(),
    manyTimes: z.boolean().optional(),
    maruchoCapYen: z.union([z.literal(10000), z.literal(20000)]).optional(),
    publicSubsidies: z.array(publicSubsidy).max(4).optional(),
    facilityStandards: z.array(line(10)).max(500).optional(),
    visits: z.array(visit).min(1, '受診が1件以上必要です').max(400),
  })
  .refine((c) => c.visits.every((v, i) => i === 0 || (c.visits[i - 1]?.date ?? '') <= v.date), {
    message: '受診は日付順に並べてください',
    path: ['visits'],
  }) satisfies z.ZodType<BillingCase>;

/** The first problem as one line naming where it is, e.g. `visits.0.items.2.code: 診療行為コードは9桁の数字です`. */
export function describeCaseError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '入力が不正です';
  const where = issue.path.map(String).join('.');
  return `入力が不正です: ${where ? `${where}: ` : ''}${issue.message}`;
}
