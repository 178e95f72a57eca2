import { z } from 'zod';
import { passwordProblem } from '../auth/passwordRule';
import { isoDate, line } from './input';

/** The offline export's passphrase: longer than a login password (it guards a file that can be copied). */
export const OFFLINE_PASSPHRASE_MIN = 12;

/** Why a passphrase is not acceptable (Japanese, for the field), or null. */
export function offlinePassphraseProblem(value: string): string | null {
  if (value.length < OFFLINE_PASSPHRASE_MIN)
    return `パスフレーズは${OFFLINE_PASSPHRASE_MIN}文字以上にしてください`;
  const problem = passwordProblem(value);
  return problem ? problem.replace('パスワード', 'パスフレーズ') : null;
}

export const offlinePassphraseInput = z
  .strictObject({
    passphrase: line(200, { error: 'パスフレーズを入力してください' })
      .max(200, 'パスフレーズが長すぎます')
      .superRefine((value, ctx) => {
        const problem = offlinePassphraseProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    confirm: line(200, { error: '確認用パスフレーズを入力してください' }),
  })
  .refine((v) => v.passphrase === v.confirm, {
    message: '確認用パスフレーズが一致しません',
    path: ['confirm'],
  });
export type OfflinePassphraseInput = z.infer<typeof offlinePassphraseInput>;

/** One export file, named by its day (Asia/Tokyo). */
export const offlineFileInput = z.strictObject({ date: isoDate });
