import { randomBytes } from 'node:crypto';
import {
  acceptTotpStep,
  appendAudit,
  countPasswordAttempt,
  type Database,
  deleteRecoveryCodes,
  deleteTotpFactor,
  deleteUserLoginChallenges,
  deleteUserPasskeys,
  getTotpFactor,
  getTwoFactorPolicy,
  getUser,
  lockAfterFailure,
  recordLoginSuccess,
  replaceRecoveryCodes,
  secondFactorsOf,
  setTwoFactorPolicy,
  type TwoFactorPolicy,
  type Tx,
  twoFactorOverview,
  upsertPendingTotp,
  useRecoveryCode,
} from '@karte/db';
import type { Role } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Actor } from '../audit';
import { lockedMessage } from '../auth/login';
import type { LoginGuard } from '../auth/loginGuard';
import { verifyPassword } from '../auth/password';
import { TwoFactorKeys } from './keys';

const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;

const keysByFile = new Map<string, TwoFactorKeys>();
/** One key holder per key file (read once per process). */
export function keysOf(config: Config): TwoFactorKeys {
  let keys = keysByFile.get(config.twoFactor.keyFile);
  if (!keys) {
    keys = new TwoFactorKeys(config.twoFactor.keyFile);
    keysByFile.set(config.twoFactor.keyFile, keys);
  }
  return keys;
}

/** A BAD_REQUEST whose message shows beside `field`, like a contract's own check. */
export function fieldError(field: string, message: string): TRPCError {
  const cause = z
    .object({ [field]: z.string().refine(() => false, message) })
    .safeParse({ [field]: '' }).error;
  return new TRPCError({ code: 'BAD_REQUEST', message, cause });
}

const totpOf = (secretBase32: string, label = 'Karte') =>
  new TOTP({
    issuer: 'Karte',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });

/** The 30-second step of the code if it matches now (one step either side for clock drift), else null. */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** Ten one-time codes of 10 base32 characters (50 bits each), shown as xxxxx-xxxxx. */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
    return chars;
  });
}
export const showRecoveryCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

function audit(
  tx: Tx,
  actor: Actor,
  action: string,
  outcome: 'ok' | 'denied' | 'invalid',
  detail: Record<string, unknown> = {},
) {
  return appendAudit(tx, {
    facilityId: actor.facilityId,
    userId: actor.userId,
    patientId: null,
    action,
    procedure: actor.procedure,
    outcome,
    detail,
  });
}

/** Who must have a second factor: administrators (unless relaxed, as in demo mode), and everyone under a 'required' policy. */
export async function secondFactorRequired(db: Tx, config: Config, facilityId: string, role: Role) {
  if (role === 'admin' && config.twoFactor.adminRequired) return true;
  return (await getTwoFactorPolicy(db, facilityId)) === 'required';
}

export async function twoFactorStatus(
  db: Database,
  config: Config,
  facilityId: string,
  userId: string,
  role: Role,
) {
  const factors = await secondFactorsOf(db, facilityId, userId);
  const totp = await getTotpFactor(db, facilityId, userId);
  return {
    ...factors,
    totpPending: !!totp && !totp.confirmedAt,
    required: await secondFactorRequired(db, config, facilityId, role),
  };
}

/** Step 1 of enrolment: a new secret (unconfirmed), as a QR code and as text. */
export async function startTotpEnrolment(
  db: Database,
  config: Config,
  actor: Actor,
  facilityCode: string,
  username: string,
) {
  const secret = new Secret({ size: 20 }).base32;
  const sealed = keysOf(config).encrypt(secret, actor.userId);
  const uri = totpOf(secret, `${facilityCode}:${username}`).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  await db.transaction(async (tx) => {
    const row = await upsertPendingTotp(tx, actor.facilityId, actor.userId, sealed);
    if (!row)
      throw new TRPCError({
        code: 'CONFLICT',
        message: '確認コードの認証はすでに設定されています。設定し直すには先に解除してください',
      });
    await audit(tx, actor, 'two-factor-enrol', 'ok', { method: 'totp', step: 'start' });
  });
  return { secret, uri, qrSvg, issuer: 'Karte', account: `${facilityCode}:${username}` };
}

/** Step 2: a code from the app confirms the secret; the recovery codes are made and returned once. */
export async function confirmTotpEnrolment(db: Database, config: Config, actor: Actor, code: string) {
  const row = await getTotpFactor(db, actor.facilityId, actor.userId);
  if (!row || row.confirmedAt)
    throw new TRPCError({ code: 'CONFLICT', message: '設定を最初からやり直してください' });
  const step = matchingStep(keysOf(config).decrypt(row.secret, actor.userId), code);
  if (step === null) {
    await audit(db, actor, 'two-factor-confirm', 'invalid', { method: 'totp' });
    throw fieldError(
      'code',
      '確認コードが正しくありません。アプリに表示されている最新のコードを入力してください',
    );
  }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    if (!(await acceptTotpStep(tx, actor.facilityId, actor.userId, step, true)))
      throw new TRPCError({ code: 'CONFLICT', message: '設定を最初からやり直してください' });
    const keys = keysOf(config);
    await replaceRecoveryCodes(
      tx,
      actor.facilityId,
      actor.userId,
      codes.map((c) => keys.codeHash(c, actor.userId)),
    );
    await audit(tx, actor, 'two-factor-confirm', 'ok', { method: 'totp', recoveryCodes: codes.length });
  });
  return { recoveryCodes: codes.map(showRecoveryCode) };
}

/**
 * Checks a TOTP code of a confirmed factor and spends its step (a code is good once). 'replay': right
 * code, already used.
 */
export async function checkTotp(
  tx: Tx,
  config: Config,
  facilityId: string,
  userId: string,
  code: string,
): Promise<'ok' | 'wrong' | 'replay' | 'none'> {
  const row = await getTotpFactor(tx, facilityId, userId);
  if (!row?.confirmedAt) return 'none';
  const step = matchingStep(keysOf(config).decrypt(row.secret, userId), code);
  if (step === null) return 'wrong';
  return (await acceptTotpStep(tx, facilityId, userId, step, false)) ? 'ok' : 'replay';
}

export async function checkRecoveryCode(
  tx: Tx,
  config: Config,
  facilityId: string,
  userId: string,
  code: string,
) {
  return useRecoveryCode(tx, facilityId, userId, keysOf(config).codeHash(code, userId));
}

/** Removes the TOTP factor and the recovery codes (passkeys stay). */
export async function removeTotp(tx: Tx, facilityId: string, userId: string) {
  await deleteTotpFactor(tx, facilityId, userId);
  await deleteRecoveryCodes(tx, facilityId, userId);
}

// ── administrator ──

export async function policyOf(db: Database, config: Config, facilityId: string) {
  return { others: await getTwoFactorPolicy(db, facilityId), adminRequired: config.twoFactor.adminRequired };
}

export async function changePolicy(db: Database, actor: Actor, others: TwoFactorPolicy) {
  await db.transaction(async (tx) => {
    const before = await getTwoFactorPolicy(tx, actor.facilityId);
    await setTwoFactorPolicy(tx, actor.facilityId, actor.userId, others);
    await audit(tx, actor, 'two-factor-policy', 'ok', { before, after: others });
  });
}

export async function overview(db: Database, facilityId: string) {
  return twoFactorOverview(db, facilityId);
}

/** The administrator resets a user's second factors (lost phone): TOTP, recovery codes and passkeys go. */
export async function resetUserFactors(db: Database, actor: Actor, userId: string) {
  return db.transaction(async (tx) => {
    const user = await getUser(tx, actor.facilityId, userId);
    if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
    const before = await secondFactorsOf(tx, actor.facilityId, userId);
    await removeTotp(tx, actor.facilityId, userId);
    const removed = await deleteUserPasskeys(tx, actor.facilityId, userId);
    await deleteUserLoginChallenges(tx, actor.facilityId, userId);
    await audit(tx, actor, 'two-factor-reset', 'ok', {
      targetUserId: userId,
      totp: before.totp,
      passkeys: removed.length,
    });
    return { ok: true as const };
  });
}

/**
 * Turning TOTP off (to remove it or enrol again) takes the password and a current code; both count
 * against the lockout like a login.
 */
export async function disableTotp(
  db: Database,
  config: Config,
  guard: LoginGuard,
  actor: Actor,
  clientAddress: string,
  password: string,
  code: string,
) {
  const user = await getUser(db, actor.facilityId, actor.userId);
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'ログインしてください' });
  const { maxFailures: max, lockMs } = config.lockout;
  const counted = await guard.hashes.run(clientAddress, true, async () => {
    const c = await countPasswordAttempt(db, user.id, max, lockMs);
    const attempt = c?.attempt ?? max + 1;
    if (attempt > max || (c?.lockedUntil && c.lockedUntil.getTime() > Date.now()))
      return { attempt, lockedUntil: c?.lockedUntil ?? null, ok: false, locked: true };
    return {
      attempt,
      lockedUntil: null,
      ok: await verifyPassword(password, user.passwordHash),
      locked: false,
    };
  });
  const fail = async (field: 'password' | 'code', message: string, reason: string) => {
    await audit(db, actor, 'two-factor-disable', 'denied', { reason, attempt: counted.attempt });
    if (!counted.locked && counted.attempt >= max) await lockAfterFailure(db, user.id, lockMs);
    if (counted.locked || counted.attempt >= max)
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: lockedMessage(counted.lockedUntil) });
    return fieldError(field, message);
  };
  if (!counted.ok) throw await fail('password', 'パスワードが正しくありません', 'password');
  const result = await checkTotp(db, config, actor.facilityId, actor.userId, code);
  if (result === 'none') {
    await recordLoginSuccess(db, user.id);
    throw new TRPCError({ code: 'CONFLICT', message: '確認コードの認証は設定されていません' });
  }
  if (result !== 'ok')
    throw await fail(
      'code',
      result === 'replay' ? 'この確認コードはすでに使われています' : '確認コードが正しくありません',
      result === 'replay' ? 'replayed-code' : 'wrong-code',
    );
  await db.transaction(async (tx) => {
    await recordLoginSuccess(tx, user.id);
    await removeTotp(tx, actor.facilityId, actor.userId);
    await audit(tx, actor, 'two-factor-disable', 'ok', { method: 'totp' });
  });
  return { ok: true as const };
}
