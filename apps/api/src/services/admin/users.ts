import { randomInt } from 'node:crypto';
import {
  appendAudit,
  countOtherActiveAdmins,
  type Database,
  endUserSessions,
  getUser,
  insertUser,
  listUsers,
  lockFacility,
  resetUserPassword,
  setUserActive,
  type Tx,
  type UserRow,
  updateUserProfile,
} from '@karte/db';
import {
  passwordProblem,
  type UserCreateInput,
  type UserResetPasswordInput,
  type UserUpdateInput,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import { assertPasswordAcceptable, isCommonPassword } from '../auth/commonPasswords';
import { hashPassword } from '../auth/password';
import type { SessionService } from '../auth/sessions';

export function toUser(row: UserRow) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    locked: row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now(),
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt,
  };
}

export async function facilityUsers(db: Database, actor: Actor) {
  return (await listUsers(db, actor.facilityId)).map(toUser);
}

export async function createUser(db: Database, actor: Actor, input: UserCreateInput) {
  assertPasswordAcceptable('initialPassword', input.initialPassword, input.username);
  const passwordHash = await hashPassword(input.initialPassword);
  return db.transaction(async (tx) => {
    const row = await insertUser(tx, actor.facilityId, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash,
      mustChangePassword: true, // the initial password is known to the admin: change at first login
    });
    if (!row) {
      throw new TRPCError({ code: 'CONFLICT', message: 'このログインIDは既に使われています' });
    }
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'create-user',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { targetUserId: row.id, username: row.username, role: row.role },
    });
    return toUser(row);
  });
}

export async function setActive(
  db: Database,
  sessions: SessionService,
  actor: Actor,
  id: string,
  active: boolean,
) {
  if (id === actor.userId && !active) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: '自分自身を無効にすることはできません' });
  }
  const row = await db.transaction(async (tx) => {
    if (!active) await assertNotLastAdmin(tx, actor.facilityId, id);
    const updated = await setUserActive(tx, actor.facilityId, id, active);
    if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
    if (!active) await endUserSessions(tx, actor.facilityId, id, 'disabled');
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: active ? 'enable-user' : 'disable-user',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { targetUserId: id },
    });
    return updated;
  });
  sessions.forgetUser(id);
  return toUser(row);
}

export const LAST_ADMIN_MESSAGE =
  'この施設で有効な管理者はこの利用者だけです。先に別の利用者を管理者にしてから変更してください';

/**
 * Refuses a change that would leave the facility without an active administrator (the target stops being
 * one). The facility row is locked first, so two administrators demoting each other at once cannot both pass.
 */
async function assertNotLastAdmin(tx: Tx, facilityId: string, targetId: string) {
  await lockFacility(tx, facilityId);
  const target = await getUser(tx, facilityId, targetId);
  if (target?.role !== 'admin' || !target.active) return;
  if ((await countOtherActiveAdmins(tx, facilityId, targetId)) === 0)
    throw new TRPCError({ code: 'BAD_REQUEST', message: LAST_ADMIN_MESSAGE });
}

/** An administrator edits a user's 氏名 and 役割. A role change applies to the user's sessions at once. */
export async function updateUser(
  db: Database,
  sessions: SessionService,
  actor: Actor,
  input: UserUpdateInput,
) {
  const row = await db.transaction(async (tx) => {
    const before = await getUser(tx, actor.facilityId, input.id);
    if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
    if (before.role === 'admin' && input.role !== 'admin')
      await assertNotLastAdmin(tx, actor.facilityId, input.id);
    const updated = await updateUserProfile(tx, actor.facilityId, input.id, {
      displayName: input.displayName,
      role: input.role,
    });
    if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'update-user',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: {
        targetUserId: input.id,
        ...(before.displayName !== input.displayName
          ? { displayName: { from: before.displayName, to: input.displayName } }
          : {}),
        ...(before.role !== input.role ? { role: { from: before.role, to: input.role } } : {}),
      },
    });
    return updated;
  });
  sessions.forgetUser(input.id);
  return toUser(row);
}

// No look-alikes (0/O, 1/l/I): the administrator reads it out or writes it down for the user.
const GENERATED_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password of 14 characters (about 80 bits) that passes the password rule. */
export function generateTemporaryPassword(loginId: string): string {
  for (;;) {
    let text = '';
    for (let i = 0; i < 14; i++) text += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
    if (passwordProblem(text, loginId, isCommonPassword) === null) return text;
  }
}

/**
 * An administrator resets a user's password (forgotten, or the account taken over): to the one typed, or
 * to a generated one returned once and never stored in clear. The user must change it at the next login,
 * every session of the user ends and any lockout is cleared. One's own password is changed the usual way.
 */
export async function resetPassword(
  db: Database,
  sessions: SessionService,
  actor: Actor,
  input: UserResetPasswordInput,
) {
  if (input.id === actor.userId) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '自分のパスワードは利用者メニューの「パスワード変更」から変更してください',
    });
  }
  const target = await getUser(db, actor.facilityId, input.id);
  if (!target) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
  const generated = input.password === null;
  const password = input.password ?? generateTemporaryPassword(target.username);
  if (!generated) assertPasswordAcceptable('password', password, target.username);
  const hash = await hashPassword(password);
  const row = await db.transaction(async (tx) => {
    const updated = await resetUserPassword(tx, actor.facilityId, input.id, hash);
    if (!updated) throw new TRPCError({ code: 'NOT_FOUND', message: '利用者が見つかりません' });
    await endUserSessions(tx, actor.facilityId, input.id, 'password');
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'reset-password',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { targetUserId: input.id, generated },
    });
    return updated;
  });
  sessions.forgetUser(input.id);
  return { user: toUser(row), temporaryPassword: generated ? password : null };
}
