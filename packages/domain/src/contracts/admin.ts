import { z } from 'zod';
import { int32, isoDate, line } from './input';

export const roleValues = ['doctor', 'nurse', 'clerk', 'admin'] as const;
export type Role = (typeof roleValues)[number];
export const roleLabels: Record<Role, string> = {
  doctor: '医師',
  nurse: '看護師',
  clerk: '医事',
  admin: '管理者',
};

export const PASSWORD_MIN = 10;
export const password = line(200, { error: 'パスワードを入力してください' })
  .min(PASSWORD_MIN, `パスワードは${PASSWORD_MIN}文字以上にしてください`)
  .max(200, 'パスワードが長すぎます');

export const username = line(64, { error: 'ログインIDを入力してください' })
  .trim()
  .regex(/^[a-z0-9._-]{3,32}$/, 'ログインIDは半角英小文字・数字・._- の3〜32文字です');

export const loginInput = z.strictObject({
  username: line().trim().min(1, 'ログインIDを入力してください').max(64),
  password: line().min(1, 'パスワードを入力してください').max(200),
});

export const changePasswordInput = z
  .strictObject({
    currentPassword: line().min(1, '現在のパスワードを入力してください').max(200),
    newPassword: password,
    confirmPassword: line(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    message: '確認用パスワードが一致しません',
    path: ['confirmPassword'],
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    message: '現在と異なるパスワードにしてください',
    path: ['newPassword'],
  });

export const userCreateInput = z.strictObject({
  username,
  displayName: line().trim().min(1, '氏名を入力してください').max(40, '氏名は40文字以内です'),
  role: z.enum(roleValues, { error: '役割を選択してください' }),
  initialPassword: password,
});
export type UserCreateInput = z.infer<typeof userCreateInput>;

export const userSetActiveInput = z.strictObject({ id: z.uuid(), active: z.boolean() });

export const auditSearchInput = z.strictObject({
  patientId: z.uuid().optional(),
  userId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: int32().min(1).max(500).default(100),
  /** Paging backwards: only events older than this sequence number. */
  cursor: z.number().int().positive().nullish(), // audit seq is a bigint column
  /** Sent by TanStack infinite queries along with the cursor; pages always go backwards in time. */
  direction: z.enum(['forward', 'backward']).optional(),
});
