import { z } from 'zod';
import { facilityCode } from './admin';
import { line } from './input';

/** A 6-digit code of an authenticator app (spaces typed while copying are dropped). */
export const totpCode = line(20, { error: '確認コードを入力してください' })
  .transform((v) => v.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, '確認コードは6桁の数字です'));

/** A recovery code as shown (xxxxx-xxxxx); case, spaces and hyphens do not matter. */
export const recoveryCode = line(40, { error: '回復コードを入力してください' })
  .transform((v) => v.replace(/[\s-]/g, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z2-7]{10}$/, '回復コードは10文字（英小文字と数字2〜7）です'));

export const twoFactorPolicyValues = ['optional', 'required'] as const;
export type TwoFactorPolicyValue = (typeof twoFactorPolicyValues)[number];
export const twoFactorPolicyLabels: Record<TwoFactorPolicyValue, string> = {
  optional: '任意（各自が設定）',
  required: '必須（次回ログイン時に設定を求める）',
};

export const totpConfirmInput = z.strictObject({ code: totpCode });

/** Turning TOTP off (or starting over) takes the password and a current code. */
export const totpDisableInput = z.strictObject({
  password: line().min(1, 'パスワードを入力してください').max(200),
  code: totpCode,
});

/** The second step of a sign-in: a code from the app or a recovery code. */
export const secondFactorInput = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('totp'), code: totpCode }),
  z.strictObject({ method: z.literal('recovery'), code: recoveryCode }),
]);

export const twoFactorPolicyInput = z.strictObject({
  others: z.enum(twoFactorPolicyValues, { error: '方針を選択してください' }),
});

export const twoFactorResetInput = z.strictObject({ userId: z.uuid() });

export const passkeyName = line(40, { error: '名前を入力してください' })
  .trim()
  .min(1, '名前を入力してください')
  .max(40, '名前は40文字以内です');

/**
 * What a browser's WebAuthn call returns (simplewebauthn's JSON form). Checked loosely in shape and size
 * here; the signature and every field are verified by @simplewebauthn/server.
 */
const b64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, '形式が正しくありません');
const clientExtensionResults = z.record(z.string().max(64), z.unknown()).default({});
export const registrationResponse = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
    authenticatorData: b64url.optional(),
    publicKey: b64url.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults,
});
export const authenticationResponse = z.object({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults,
});

export const passkeyRegisterInput = z.strictObject({ name: passkeyName, response: registrationResponse });
export const passkeyRemoveInput = z.strictObject({ id: z.uuid() });
export const passkeySecondFactorInput = z.strictObject({ response: authenticationResponse });
export const passkeyLoginOptionsInput = z.strictObject({ facilityCode });
export const passkeyLoginInput = z.strictObject({ response: authenticationResponse });
