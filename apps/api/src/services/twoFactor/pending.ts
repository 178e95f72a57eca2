import { createHash, randomBytes } from 'node:crypto';
import {
  appendAudit,
  countPasswordAttempt,
  countUnusedRecoveryCodes,
  type Database,
  deleteLoginChallenge,
  getFacility,
  getLoginChallenge,
  getUser,
  insertLoginChallenge,
  type LoginChallengeKind,
  lockAfterFailure,
  recordLoginSuccess,
  secondFactorsOf,
  type Tx,
} from '@karte/db';
import type { Role } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config';
import { lockedMessage } from '../auth/login';
import { LoginGuard } from '../auth/loginGuard';
import type { SessionService } from '../auth/sessions';
import { checkRecoveryCode, checkTotp, fieldError, secondFactorRequired } from './totp';

/** The browser's token of a sign-in in progress (password accepted, second factor awaited). */
export const PENDING_COOKIE = 'karte_pending';
export const PENDING_MS = 5 * 60_000;
export const PENDING_EXPIRED = 'ログインの途中で時間が経ちすぎました。最初からやり直してください';

const flags = (secure: boolean) => `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
export const pendingCookie = (token: string, secure = false) =>
  `${PENDING_COOKIE}=${token}; ${flags(secure)}; Max-Age=${PENDING_MS / 1000}`;
export const clearedPendingCookie = (secure = false) => `${PENDING_COOKIE}=; ${flags(secure)}; Max-Age=0`;

export const challengeIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function beginPending(
  db: Tx,
  facilityId: string,
  userId: string | null,
  kind: LoginChallengeKind,
  challenge: string | null = null,
) {
  const token = randomBytes(32).toString('base64url');
  await insertLoginChallenge(db, {
    id: challengeIdOf(token),
    facilityId,
    userId,
    kind,
    challenge,
    ttlMs: PENDING_MS,
  });
  return token;
}

/** What comes after a right password: nothing, the second factor, or enrolment forced by policy. */
export async function nextStepAfterPassword(
  db: Tx,
  config: Config,
  facilityId: string,
  user: { id: string; role: Role },
): Promise<{ next: 'second-factor'; methods: SecondFactorMethods } | { next: 'enrol' } | null> {
  const factors = await secondFactorsOf(db, facilityId, user.id);
  if (factors.totp || factors.passkeys > 0)
    return {
      next: 'second-factor',
      methods: { totp: factors.totp, passkey: factors.passkeys > 0, recovery: factors.recoveryCodes > 0 },
    };
  if (await secondFactorRequired(db, config, facilityId, user.role)) return { next: 'enrol' };
  return null;
}
export interface SecondFactorMethods {
  totp: boolean;
  passkey: boolean;
  recovery: boolean;
}

/** The pending sign-in of a cookie token, with its user and facility; UNAUTHORIZED when gone or of another kind. */
export async function pendingSignIn(
  db: Database,
  token: string | null | undefined,
  kind: LoginChallengeKind,
) {
  const row = token ? await getLoginChallenge(db, challengeIdOf(token)) : null;
  if (!row || row.kind !== kind || !row.userId)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: PENDING_EXPIRED });
  const user = await getUser(db, row.facilityId, row.userId);
  const facility = await getFacility(db, row.facilityId);
  if (!user?.active || !facility) throw new TRPCError({ code: 'UNAUTHORIZED', message: PENDING_EXPIRED });
  return {
    row,
    user,
    facility,
    userKey: LoginGuard.userKey(facility.institutionCode, user.username),
  };
}
export type PendingSignIn = Awaited<ReturnType<typeof pendingSignIn>>;

/**
 * Ends a pending sign-in with a full session: the lockout counter resets, the state is deleted, the
 * browser's previous session ends, and the login is audited with how the second factor was given.
 */
export async function completeSignIn(
  db: Database,
  sessions: SessionService,
  pending: PendingSignIn,
  procedure: string,
  detail: Record<string, unknown>,
  currentSessionId: string | null,
) {
  await db.transaction(async (tx) => {
    await recordLoginSuccess(tx, pending.user.id);
    await deleteLoginChallenge(tx, pending.row.id);
    await appendAudit(tx, {
      facilityId: pending.facility.id,
      userId: pending.user.id,
      patientId: null,
      action: 'login',
      procedure,
      outcome: 'ok',
      detail,
    });
  });
  if (currentSessionId) await sessions.end(currentSessionId, 'relogin');
  return sessions.create(pending.user.id, pending.facility.id);
}

/**
 * Counts a second-factor attempt against the same lockout as passwords (before checking it, like login),
 * runs `check`, and on failure records it, locking at the limit. Returns when the check passed.
 */
export async function countedSecondFactor(
  db: Database,
  config: Config,
  guard: LoginGuard,
  pending: PendingSignIn,
  clientAddress: string,
  procedure: string,
  method: string,
  check: () => Promise<'ok' | 'wrong' | 'replay' | 'none'>,
) {
  guard.admit(clientAddress, pending.userKey);
  const { maxFailures: max, lockMs } = config.lockout;
  const counted = await countPasswordAttempt(db, pending.user.id, max, lockMs);
  const attempt = counted?.attempt ?? max + 1;
  const lockedUntil = counted?.lockedUntil ?? null;
  const audit = (detail: Record<string, unknown>) =>
    appendAudit(db, {
      facilityId: pending.facility.id,
      userId: pending.user.id,
      patientId: null,
      action: 'login',
      procedure,
      outcome: 'denied',
      detail: { ...detail, method, attempt, address: clientAddress },
    });
  if (attempt > max || (lockedUntil !== null && lockedUntil.getTime() > Date.now())) {
    guard.failed(pending.userKey);
    await deleteLoginChallenge(db, pending.row.id);
    await audit({ reason: 'locked' });
    throw new TRPCError({ code: 'FORBIDDEN', message: lockedMessage(lockedUntil) });
  }
  const result = await check();
  if (result === 'ok') return;
  guard.failed(pending.userKey);
  let lockUntil: Date | null = null;
  if (attempt >= max) lockUntil = await lockAfterFailure(db, pending.user.id, lockMs);
  await audit({ reason: result === 'replay' ? 'replayed-code' : 'wrong-code' });
  if (attempt >= max) {
    await deleteLoginChallenge(db, pending.row.id);
    throw new TRPCError({ code: 'FORBIDDEN', message: lockedMessage(lockUntil) });
  }
  if (method === 'passkey')
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'パスキーを確認できませんでした' });
  if (result === 'replay')
    throw fieldError(
      'code',
      'この確認コードはすでに使われています。次のコードが表示されてから入力してください',
    );
  throw fieldError(
    'code',
    method === 'recovery' ? '回復コードが正しくないか、すでに使われています' : '確認コードが正しくありません',
  );
}

/** The second step with a code from the app or a recovery code. */
export async function verifySecondFactorCode(
  db: Database,
  sessions: SessionService,
  config: Config,
  guard: LoginGuard,
  req: {
    pendingToken: string | null | undefined;
    clientAddress: string;
    currentSessionId: string | null;
    method: 'totp' | 'recovery';
    code: string;
  },
) {
  const pending = await pendingSignIn(db, req.pendingToken, 'second-factor');
  const procedure = 'auth.verifySecondFactor';
  await countedSecondFactor(
    db,
    config,
    guard,
    pending,
    req.clientAddress,
    procedure,
    req.method,
    async () => {
      if (req.method === 'totp') return checkTotp(db, config, pending.facility.id, pending.user.id, req.code);
      // Spending the code and recording it are one transaction.
      return db.transaction(async (tx) => {
        if (!(await checkRecoveryCode(tx, config, pending.facility.id, pending.user.id, req.code)))
          return 'wrong';
        const left = await countUnusedRecoveryCodes(tx, pending.facility.id, pending.user.id);
        await appendAudit(tx, {
          facilityId: pending.facility.id,
          userId: pending.user.id,
          patientId: null,
          action: 'two-factor-recovery-used',
          procedure,
          outcome: 'ok',
          detail: { left },
        });
        return 'ok';
      });
    },
  );
  guard.succeeded(req.clientAddress);
  const token = await completeSignIn(
    db,
    sessions,
    pending,
    procedure,
    { address: req.clientAddress, method: req.method },
    req.currentSessionId,
  );
  return { token, userKey: pending.userKey };
}
