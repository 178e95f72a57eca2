import { createHash } from 'node:crypto';
import {
  appendAudit,
  countPasswordAttempt,
  type Database,
  endUserSessions,
  findLoginUser,
  getUser,
  lockAfterFailure,
  recordLoginSuccess,
  setPassword,
  type Tx,
  uncountPasswordAttempt,
} from '@karte/db';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { beginPending, nextStepAfterPassword } from '../twoFactor/pending';
import { assertPasswordAcceptable } from './commonPasswords';
import { LoginGuard } from './loginGuard';
import { dummyHash, hashPassword, verifyPassword } from './password';
import type { Auth, SessionService } from './sessions';

// One message for every failure: it must not tell whether the facility or the user exists.
export const LOGIN_FAILED =
  'ログインIDまたはパスワードが正しくありません。続けて誤るとしばらくログインできなくなります';

const hhmm = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });

/** Said only to someone who typed the right password: the account exists and they are its user. */
export const lockedMessage = (until: Date | null) =>
  `続けて誤ったため、このアカウントはロックされています。${until ? `${hhmm.format(until)}以降に` : 'しばらくしてから'}再度お試しください`;

export const deviceIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

type NextStep = Awaited<ReturnType<typeof nextStepAfterPassword>>;

export interface LoginRequest {
  facilityCode: string;
  username: string;
  password: string;
  clientAddress: string;
  /** The browser's device cookie: set after a successful login, it lets this browser skip the queue. */
  deviceToken: string | null;
  /** The session this browser still holds, if any: logging in again ends it. */
  currentSessionId: string | null;
  /** The browser's User-Agent, shown on the sessions pages. */
  userAgent?: string;
}

/**
 * Order matters: rate limits (cheap, in memory) → find the user → a place in the bounded hashing
 * queue → count the attempt in the database (one UPDATE … RETURNING, so parallel attempts each get
 * their own number) → only then check the password. Every path runs exactly one hash.
 */
export async function login(
  db: Database,
  sessions: SessionService,
  config: Config,
  guard: LoginGuard,
  log: Logger,
  req: LoginRequest,
): Promise<
  | { token: string; userKey: string; pending: null }
  | { token: string; userKey: string; pending: Exclude<NextStep, null> }
> {
  const userKey = LoginGuard.userKey(req.facilityCode, req.username);
  guard.admit(req.clientAddress, userKey);
  const preferred = guard.devices.knows(req.deviceToken ? deviceIdOf(req.deviceToken) : null, userKey);
  // A full hashing queue refuses before any database work: a flood must cost us next to nothing.
  guard.hashes.precheck(preferred);
  const fail = () => {
    guard.failed(userKey);
    return new TRPCError({ code: 'UNAUTHORIZED', message: LOGIN_FAILED });
  };

  const found = await findLoginUser(db, req.facilityCode, req.username);
  const facility = found?.facility ?? null;
  const user = found?.user ?? null;
  const { max, lockMs } = { max: config.lockout.maxFailures, lockMs: config.lockout.lockMs };

  const outcome = await guard.hashes.run(req.clientAddress, preferred, async () => {
    if (!user?.active) {
      await verifyPassword(req.password, user?.passwordHash ?? (await dummyHash()));
      return { kind: user ? ('disabled' as const) : ('unknown' as const) };
    }
    const counted = await countPasswordAttempt(db, user.id, max, lockMs);
    const attempt = counted?.attempt ?? max + 1;
    const lockedUntil = counted?.lockedUntil ?? null;
    const locked = attempt > max || (lockedUntil !== null && lockedUntil.getTime() > Date.now());
    const ok = await verifyPassword(req.password, user.passwordHash);
    return { kind: 'counted' as const, attempt, lockedUntil, locked, ok };
  });

  if (!facility) {
    // No facility to file it under: the log keeps the code and the address, nothing typed.
    log.warn(
      { facilityCode: req.facilityCode, address: req.clientAddress },
      'login failed: unknown facility code',
    );
    throw fail();
  }
  const audit = (outcome: 'ok' | 'denied', detail: Record<string, unknown>) =>
    appendAudit(db, {
      facilityId: facility.id,
      userId: user?.id ?? null,
      patientId: null,
      action: 'login',
      procedure: 'auth.login',
      outcome,
      detail,
    });
  if (outcome.kind === 'unknown') {
    // Recorded in the chain of the facility named at login, with the name that was tried.
    await audit('denied', {
      reason: 'unknown-user',
      username: req.username.slice(0, 64),
      address: req.clientAddress,
    });
    throw fail();
  }
  if (outcome.kind !== 'counted' || !user) {
    await audit('denied', { reason: 'disabled', address: req.clientAddress });
    throw fail();
  }
  if (outcome.locked) {
    await audit('denied', { reason: 'locked', attempt: outcome.attempt, address: req.clientAddress });
    // The right password from a browser that has signed in as this user before: tell its owner the
    // account is locked and until when. Anyone else gets the generic message whatever the password, so
    // a locked account does not become an oracle for guesses.
    if (!outcome.ok || !preferred) throw fail();
    guard.failed(userKey);
    throw new TRPCError({ code: 'FORBIDDEN', message: lockedMessage(outcome.lockedUntil) });
  }
  if (!outcome.ok) {
    if (outcome.attempt >= max) await lockAfterFailure(db, user.id, lockMs);
    await audit('denied', { reason: 'password', attempt: outcome.attempt, address: req.clientAddress });
    throw fail();
  }
  // A second factor to give, or one to enrol (policy): no session yet, a 5-minute pending state instead.
  // The right password does not count as a failure, but earlier failures stay counted until the second
  // factor is given, so wrong codes and passwords share the one lockout.
  const next = await nextStepAfterPassword(db, config, facility.id, user);
  if (next) {
    await uncountPasswordAttempt(db, user.id);
    const token = await beginPending(db, facility.id, user.id, next.next);
    await appendAudit(db, {
      facilityId: facility.id,
      userId: user.id,
      patientId: null,
      action: 'login-password',
      procedure: 'auth.login',
      outcome: 'ok',
      detail: { address: req.clientAddress, next: next.next },
    });
    guard.succeeded(req.clientAddress);
    return { token, userKey, pending: next };
  }
  await recordLoginSuccess(db, user.id);
  // Logging in again in the same browser ends the session it held (whoever it belonged to).
  if (req.currentSessionId) await sessions.end(req.currentSessionId, 'relogin');
  await audit('ok', { address: req.clientAddress });
  guard.succeeded(req.clientAddress);
  const token = await sessions.create(user.id, facility.id, {
    address: req.clientAddress,
    userAgent: req.userAgent,
  });
  return { token, userKey, pending: null };
}

export async function changePassword(
  db: Database,
  sessions: SessionService,
  config: Config,
  guard: LoginGuard,
  auth: Auth,
  clientAddress: string,
  currentPassword: string,
  newPassword: string,
) {
  const user = await getUser(db, auth.facility.id, auth.user.id);
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'ログインしてください' });
  // The ログインID rule needs the user and the common-password list is the server's: both are
  // reported beside the field like the contract's own checks.
  assertPasswordAcceptable('newPassword', newPassword, user.username);
  const { max, lockMs } = { max: config.lockout.maxFailures, lockMs: config.lockout.lockMs };
  // Guesses of the current password count against the same lockout as login.
  const outcome = await guard.hashes.run(clientAddress, true, async () => {
    const counted = await countPasswordAttempt(db, user.id, max, lockMs);
    const attempt = counted?.attempt ?? max + 1;
    const lockedUntil = counted?.lockedUntil ?? null;
    if (attempt > max || (lockedUntil !== null && lockedUntil.getTime() > Date.now()))
      return { attempt, lockedUntil, locked: true, ok: false };
    return {
      attempt,
      lockedUntil,
      locked: false,
      ok: await verifyPassword(currentPassword, user.passwordHash),
    };
  });
  const audit = (outcome: 'ok' | 'denied', detail: Record<string, unknown>, tx: Tx = db) =>
    appendAudit(tx, {
      facilityId: auth.facility.id,
      userId: auth.user.id,
      patientId: null,
      action: 'change-password',
      procedure: 'auth.changePassword',
      outcome,
      detail,
    });
  if (!outcome.ok) {
    let lockedUntil = outcome.lockedUntil;
    if (!outcome.locked && outcome.attempt >= max) lockedUntil = await lockAfterFailure(db, user.id, lockMs);
    if (outcome.locked || outcome.attempt >= max) {
      // Locked: every session of the user ends, this one too (someone may be guessing from it).
      await endUserSessions(db, auth.facility.id, auth.user.id, 'locked');
      sessions.forgetUser(auth.user.id);
      await audit('denied', { reason: 'locked', attempt: outcome.attempt });
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: lockedMessage(lockedUntil) });
    }
    await audit('denied', { reason: 'password', attempt: outcome.attempt });
    throw new TRPCError({ code: 'BAD_REQUEST', message: '現在のパスワードが正しくありません' });
  }
  const hash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await setPassword(tx, auth.facility.id, auth.user.id, hash);
    await recordLoginSuccess(tx, auth.user.id);
    // Other sessions of this user end; this browser continues with a new one.
    await endUserSessions(tx, auth.facility.id, auth.user.id, 'password');
    await audit('ok', {}, tx);
  });
  sessions.forgetUser(auth.user.id);
}
