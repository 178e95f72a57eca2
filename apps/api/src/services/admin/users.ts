import {
  appendAudit,
  type Database,
  endUserSessions,
  insertUser,
  listUsers,
  setUserActive,
  type UserRow,
} from '@karte/db';
import type { UserCreateInput } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import { assertPasswordAcceptable } from '../auth/commonPasswords';
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
