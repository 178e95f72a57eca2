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
    .onConflictDoNothing({ target: users.username })
    .returning();
  return row ?? null; // null: the username is taken
}

/** Login looks a user up by name alone; everything after it is scoped to the user's facility. */
export async function findUserByUsername(tx: Tx, username: string) {
  const [row] = await tx.select().from(users).where(eq(users.username, username));
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

export async function recordLoginFailure(tx: Tx, id: string, maxFailures: number, lockMs: number) {
  await tx
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${maxFailures} then now() + ${`${lockMs} milliseconds`}::interval else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, id));
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

/** The session with its user and facility, or null when unknown or ended. */
export async function getLiveSession(tx: Tx, id: string) {
  const [row] = await tx
    .select({ session: sessions, user: users, facility: facilities })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(facilities, eq(facilities.id, sessions.facilityId))
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  return row ?? null;
}

export async function touchSession(tx: Tx, id: string) {
  await tx.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
}

export async function endSession(tx: Tx, id: string) {
  await tx
    .update(sessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
}

export async function endUserSessions(tx: Tx, facilityId: string, userId: string) {
  await tx
    .update(sessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(sessions.facilityId, facilityId), eq(sessions.userId, userId), isNull(sessions.endedAt)));
}
