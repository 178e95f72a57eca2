import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../auth/passwordRule';
import { int32, isoDate, line } from './input';

export type { CommonPasswordCheck } from '../auth/passwordRule';
export { PASSWORD_MIN, passwordProblem };

export const roleValues = ['doctor', 'nurse', 'clerk', 'admin'] as const;
export type Role = (typeof roleValues)[number];
export const roleLabels: Record<Role, string> = {
  doctor: '医師',
  nurse: '看護師',
  clerk: '医事',
  admin: '管理者',
};

/** A new password: length, not one repeated character or a plain sequence, not a common password. */
export const password = line(PASSWORD_MAX, { error: 'パスワードを入力してください' })
  .max(PASSWORD_MAX, 'パスワードが長すぎます')
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const username = line(64, { error: 'ログインIDを入力してください' })
  .trim()
  .regex(/^[a-z0-9._-]{3,32}$/, 'ログインIDは半角英小文字・数字・._- の3〜32文字です');

/** 医療機関コード: user names are unique per facility, so login names the facility. */
export const facilityCode = z
  .string({ error: '医療機関コードを入力してください' })
  .trim()
  .regex(/^\d{10}$/, '医療機関コードは10桁の数字です');

export const loginInput = z.strictObject({
  facilityCode,
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

export const userCreateInput = z
  .strictObject({
    username,
    displayName: line().trim().min(1, '氏名を入力してください').max(40, '氏名は40文字以内です'),
    role: z.enum(roleValues, { error: '役割を選択してください' }),
    initialPassword: password,
  })
  .superRefine((v, ctx) => {
    // The ログインID inside the password is checked here, where both are known.
    const problem = passwordProblem(v.initialPassword, v.username);
    if (problem && passwordProblem(v.initialPassword) === null)
      ctx.addIssue({ code: 'custom', message: problem, path: ['initialPassword'] });
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
  /** Leave out the polled list reads (受付一覧, 共有送信, 未承認一覧); they stay recorded. */
  excludeListReads: z.boolean().optional(),
  /** Sent by TanStack infinite queries along with the cursor; pages always go backwards in time. */
  direction: z.enum(['forward', 'backward']).optional(),
});

export const displayName = line().trim().min(1, '氏名を入力してください').max(40, '氏名は40文字以内です');

/** An administrator edits a user's name and role. */
export const userUpdateInput = z.strictObject({
  id: z.uuid(),
  displayName,
  role: z.enum(roleValues, { error: '役割を選択してください' }),
});
export type UserUpdateInput = z.infer<typeof userUpdateInput>;

/**
 * An administrator resets a user's password: to one typed here, or (`password` null) to one the server
 * generates and shows once. Either way the user must change it at the next login.
 */
export const userResetPasswordInput = z.strictObject({
  id: z.uuid(),
  password: password.nullable(),
});
export type UserResetPasswordInput = z.infer<typeof userResetPasswordInput>;

/** A session named by its reference (never by its token or the token's hash). */
export const sessionRefInput = z.strictObject({ ref: z.uuid() });
