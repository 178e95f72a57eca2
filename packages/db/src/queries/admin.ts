import { and, asc, count, desc, eq, isNull, ne, sql } from 'drizzle-orm';
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

export async function insertSession(
  tx: Tx,
  v: { id: string; userId: string; facilityId: string; clientAddress?: string; userAgent?: string },
) {
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

/** The facility row, locked for the rest of the transaction (クリニック設定, the last-admin check). */
export async function lockFacility(tx: Tx, id: string) {
  const [row] = await tx.select().from(facilities).where(eq(facilities.id, id)).for('update');
  return row ?? null;
}

/** Another facility holding this 医療機関コード, if any. */
export async function otherFacilityWithCode(tx: Tx, id: string, institutionCode: string) {
  const [row] = await tx
    .select({ id: facilities.id })
    .from(facilities)
    .where(and(eq(facilities.institutionCode, institutionCode), ne(facilities.id, id)));
  return row ?? null;
}

/** Saves クリニック設定 if the version is still `expectedVersion`; null when someone saved first. */
export async function updateFacilitySettings(
  tx: Tx,
  id: string,
  expectedVersion: number,
  v: {
    name: string;
    address: string;
    phone: string;
    institutionCode: string;
    departments: { code: string; name: string }[];
  },
) {
  const [row] = await tx
    .update(facilities)
    .set({ ...v, settingsVersion: sql`${facilities.settingsVersion} + 1` })
    .where(and(eq(facilities.id, id), eq(facilities.settingsVersion, expectedVersion)))
    .returning();
  return row ?? null;
}

/** Active administrators of a facility other than `exceptUserId`. */
export async function countOtherActiveAdmins(tx: Tx, facilityId: string, exceptUserId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(
      and(
        eq(users.facilityId, facilityId),
        eq(users.role, 'admin'),
        eq(users.active, true),
        ne(users.id, exceptUserId),
      ),
    );
  return row?.n ?? 0;
}

export async function updateUserProfile(
  tx: Tx,
  facilityId: string,
  id: string,
  v: { displayName: string; role: UserRow['role'] },
) {
  const [row] = await tx
    .update(users)
    .set(v)
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id)))
    .returning();
  return row ?? null;
}

/** An administrator's reset: the new hash, a change forced at the next login, any lock cleared. */
export async function resetUserPassword(tx: Tx, facilityId: string, id: string, passwordHash: string) {
  const [row] = await tx
    .update(users)
    .set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null })
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id)))
    .returning();
  return row ?? null;
}

/** Open sessions of a facility (optionally of one user), newest activity first, with their users. */
export async function listOpenSessions(tx: Tx, facilityId: string, userId?: string) {
  return tx
    .select({
      ref: sessions.ref,
      id: sessions.id,
      userId: sessions.userId,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      clientAddress: sessions.clientAddress,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.facilityId, facilityId),
        isNull(sessions.endedAt),
        userId ? eq(sessions.userId, userId) : undefined,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
}

/**
 * Ends an open session of the facility (and of the user, when given) by its reference; returns the ended
 * session's id and user, or null when there is no such open session here.
 */
export async function endSessionByRef(
  tx: Tx,
  facilityId: string,
  ref: string,
  reason: string,
  userId?: string,
) {
  const [row] = await tx
    .update(sessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(
      and(
        eq(sessions.ref, ref),
        eq(sessions.facilityId, facilityId),
        isNull(sessions.endedAt),
        userId ? eq(sessions.userId, userId) : undefined,
      ),
    )
    .returning({ id: sessions.id, userId: sessions.userId });
  return row ?? null;
}
