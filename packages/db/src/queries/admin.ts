import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { facilities, sessions, users } from '../schema';

export type FacilityRow = typeof facilities.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export async function insertFacility(
  tx: Tx,
  v: { institutionCode: string; name: string; address?: string; phone?: string },
) {
  const [row] = await tx.insert(facilities).values(v).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function getFacility(tx: Tx, id: string) {
  const [row] = await tx.select().from(facilities).where(eq(facilities.id, id));
  return row ?? null;
}

export async function countFacilities(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(facilities);
  return row?.n ?? 0;
}

export async function insertUser(
  tx: Tx,
  facilityId: string,
  v: {
    username: string;
    displayName: string;
    role: UserRow['role'];
    passwordHash: string;
    mustChangePassword?: boolean;
  },
) {
  const [row] = await tx
    .insert(users)
    .values({ ...v, facilityId })
    .onConflictDoNothing({ target: [users.facilityId, users.username] })
    .returning();
  return row ?? null; // null: the username is taken in this facility
}

/** A facility by its 医療機関コード (the seed checks use it; login uses findLoginUser). */
export async function findFacilityByCode(tx: Tx, institutionCode: string) {
  const [row] = await tx.select().from(facilities).where(eq(facilities.institutionCode, institutionCode));
  return row ?? null;
}

/** Login: the facility named by its 医療機関コード and the user of that name in it, in one query. */
export async function findLoginUser(tx: Tx, institutionCode: string, username: string) {
  const [row] = await tx
    .select({ facility: facilities, user: users })
    .from(facilities)
    .leftJoin(users, and(eq(users.facilityId, facilities.id), eq(users.username, username)))
    .where(eq(facilities.institutionCode, institutionCode));
  return row ?? null;
}

/** A user by name within a facility (the seed checks use it; login uses findLoginUser). */
export async function findUserInFacility(tx: Tx, facilityId: string, username: string) {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.facilityId, facilityId), eq(users.username, username)));
  return row ?? null;
}

export async function getUser(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id)));
  return row ?? null;
}

export async function listUsers(tx: Tx, facilityId: string) {
  return tx.select().from(users).where(eq(users.facilityId, facilityId)).orderBy(asc(users.username));
}

export async function setUserActive(tx: Tx, facilityId: string, id: string, active: boolean) {
  const [row] = await tx
    .update(users)
    .set({ active, failedLogins: 0, lockedUntil: null })
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id)))
    .returning();
  return row ?? null;
}

/**
 * Counts a password attempt BEFORE the password is checked, in one statement, so parallel attempts
 * each get their own number: attempt n of the current window, and the lock if there is one.
 * An expired lock starts a new window. Going over `maxFailures` locks at once. A success resets.
 */
export async function countPasswordAttempt(tx: Tx, id: string, maxFailures: number, lockMs: number) {
  const interval = `${lockMs} milliseconds`;
  const expired = sql`(${users.lockedUntil} is not null and ${users.lockedUntil} <= now())`;
  const next = sql`(case when ${expired} then 1 else ${users.failedLogins} + 1 end)`;
  const [row] = await tx
    .update(users)
    .set({
      failedLogins: next,
      lockedUntil: sql`case
        when ${expired} then null
        when ${users.lockedUntil} is null and ${next} > ${maxFailures} then now() + ${interval}::interval
        else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, id))
    .returning({ attempt: users.failedLogins, lockedUntil: users.lockedUntil });
  return row ?? null;
}

/** The attempt that used the last allowed try failed: lock now (unless already locked). */
export async function lockAfterFailure(tx: Tx, id: string, lockMs: number) {
  const [row] = await tx
    .update(users)
    .set({ lockedUntil: sql`coalesce(${users.lockedUntil}, now() + ${`${lockMs} milliseconds`}::interval)` })
    .where(eq(users.id, id))
    .returning({ lockedUntil: users.lockedUntil });
  return row?.lockedUntil ?? null;
}

export async function recordLoginSuccess(tx: Tx, id: string) {
  await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, id));
}

export async function setPassword(tx: Tx, facilityId: string, id: string, passwordHash: string) {
  await tx
    .update(users)
    .set({ passwordHash, mustChangePassword: false })
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id)));
}

export async function insertSession(tx: Tx, v: { id: string; userId: string; facilityId: string }) {
  await tx.insert(sessions).values(v);
}

/** The session with its user and facility, ended or not (the caller tells why it ended), or null. */
export async function getSessionRow(tx: Tx, id: string) {
  const [row] = await tx
    .select({ session: sessions, user: users, facility: facilities })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(facilities, eq(facilities.id, sessions.facilityId))
    .where(eq(sessions.id, id));
  return row ?? null;
}

export async function touchSession(tx: Tx, id: string) {
  await tx.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
}

export async function endSession(tx: Tx, id: string, reason = 'logout') {
  await tx
    .update(sessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
}

export async function endUserSessions(tx: Tx, facilityId: string, userId: string, reason: string) {
  await tx
    .update(sessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(sessions.facilityId, facilityId), eq(sessions.userId, userId), isNull(sessions.endedAt)));
}
