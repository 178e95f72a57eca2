import {
  appendAudit,
  type Database,
  endUserSessions,
  findUserByUsername,
  getUser,
  recordLoginFailure,
  recordLoginSuccess,
  setPassword,
} from '@karte/db';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config';
import { dummyHash, hashPassword, verifyPassword } from './password';
import type { Auth, SessionService } from './sessions';

// One message for every failure: it must not tell whether the user exists or is locked.
export const LOGIN_FAILED =
  'ログインIDまたはパスワードが正しくありません。続けて誤るとしばらくログインできなくなります';

export async function login(
  db: Database,
  sessions: SessionService,
  config: Config,
  username: string,
  password: string,
): Promise<{ token: string }> {
  const user = await findUserByUsername(db, username);
  if (!user) {
    await verifyPassword(password, await dummyHash());
    throw new TRPCError({ code: 'UNAUTHORIZED', message: LOGIN_FAILED });
  }
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now();
  const ok = (await verifyPassword(password, user.passwordHash)) && !locked && user.active;
  const audit = (outcome: 'ok' | 'denied', reason?: string) =>
    appendAudit(db, {
      facilityId: user.facilityId,
      userId: user.id,
      patientId: null,
      action: 'login',
      procedure: 'auth.login',
      outcome,
      detail: reason ? { reason } : {},
    });
  if (!ok) {
    if (!locked && user.active)
      await recordLoginFailure(db, user.id, config.lockout.maxFailures, config.lockout.lockMs);
    await audit('denied', locked ? 'locked' : user.active ? 'password' : 'disabled');
    throw new TRPCError({ code: 'UNAUTHORIZED', message: LOGIN_FAILED });
  }
  await recordLoginSuccess(db, user.id);
  await audit('ok');
  return { token: await sessions.create(user.id, user.facilityId) };
}

export async function changePassword(
  db: Database,
  sessions: SessionService,
  auth: Auth,
  currentPassword: string,
  newPassword: string,
) {
  const user = await getUser(db, auth.facility.id, auth.user.id);
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: '現在のパスワードが正しくありません' });
  }
  const hash = await hashPassword(newPassword);
  await db.transaction(async (tx) => {
    await setPassword(tx, auth.facility.id, auth.user.id, hash);
    // Other sessions of this user end; this one continues.
    await endUserSessions(tx, auth.facility.id, auth.user.id);
    await appendAudit(tx, {
      facilityId: auth.facility.id,
      userId: auth.user.id,
      patientId: null,
      action: 'change-password',
      procedure: 'auth.changePassword',
      outcome: 'ok',
      detail: {},
    });
  });
  sessions.forgetUser(auth.user.id);
}
