import { and, asc, count, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { loginChallenges, passkeys, recoveryCodes, totpFactors, twoFactorPolicies, users } from '../schema';

export type TwoFactorPolicy = 'optional' | 'required';
export type LoginChallengeKind = (typeof loginChallenges.$inferSelect)['kind'];
export type PasskeyRow = typeof passkeys.$inferSelect;

// ── policy ──

export async function getTwoFactorPolicy(tx: Tx, facilityId: string): Promise<TwoFactorPolicy> {
  const [row] = await tx
    .select({ others: twoFactorPolicies.others })
    .from(twoFactorPolicies)
    .where(eq(twoFactorPolicies.facilityId, facilityId));
  return row?.others ?? 'optional';
}

export async function setTwoFactorPolicy(
  tx: Tx,
  facilityId: string,
  userId: string,
  others: TwoFactorPolicy,
) {
  await tx
    .insert(twoFactorPolicies)
    .values({ facilityId, others, updatedBy: userId })
    .onConflictDoUpdate({
      target: twoFactorPolicies.facilityId,
      set: { others, updatedBy: userId, updatedAt: sql`now()` },
    });
}

// ── TOTP ──

export async function getTotpFactor(tx: Tx, facilityId: string, userId: string) {
  const [row] = await tx
    .select()
    .from(totpFactors)
    .where(and(eq(totpFactors.facilityId, facilityId), eq(totpFactors.userId, userId)));
  return row ?? null;
}

/** Starts (or restarts) an enrolment: a new unconfirmed secret. Refuses (null) when a confirmed one exists. */
export async function upsertPendingTotp(tx: Tx, facilityId: string, userId: string, secret: string) {
  const [row] = await tx
    .insert(totpFactors)
    .values({ facilityId, userId, secret })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secret, lastStep: null, createdAt: sql`now()` },
      setWhere: and(isNull(totpFactors.confirmedAt), eq(totpFactors.facilityId, facilityId)),
    })
    .returning();
  return row ?? null;
}

/**
 * Accepts a TOTP step once: sets last_step only if it is newer than the last accepted one (and, when
 * `confirm`, marks the factor confirmed). False: a replay (or a parallel use of the same code).
 */
export async function acceptTotpStep(
  tx: Tx,
  facilityId: string,
  userId: string,
  step: number,
  confirm: boolean,
) {
  const rows = await tx
    .update(totpFactors)
    .set(confirm ? { lastStep: step, confirmedAt: sql`now()` } : { lastStep: step })
    .where(
      and(
        eq(totpFactors.facilityId, facilityId),
        eq(totpFactors.userId, userId),
        confirm ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt),
        or(isNull(totpFactors.lastStep), lt(totpFactors.lastStep, step)),
      ),
    )
    .returning({ userId: totpFactors.userId });
  return rows.length === 1;
}

export async function deleteTotpFactor(tx: Tx, facilityId: string, userId: string) {
  await tx
    .delete(totpFactors)
    .where(and(eq(totpFactors.facilityId, facilityId), eq(totpFactors.userId, userId)));
}

// ── recovery codes ──

export async function replaceRecoveryCodes(tx: Tx, facilityId: string, userId: string, hashes: string[]) {
  await deleteRecoveryCodes(tx, facilityId, userId);
  if (hashes.length > 0)
    await tx.insert(recoveryCodes).values(hashes.map((codeHash) => ({ facilityId, userId, codeHash })));
}

export async function deleteRecoveryCodes(tx: Tx, facilityId: string, userId: string) {
  await tx
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.facilityId, facilityId), eq(recoveryCodes.userId, userId)));
}

/** Spends a recovery code: true once, false when unknown or already used (one UPDATE, so never twice). */
export async function useRecoveryCode(tx: Tx, facilityId: string, userId: string, codeHash: string) {
  const rows = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(recoveryCodes.facilityId, facilityId),
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, codeHash),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(tx: Tx, facilityId: string, userId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(recoveryCodes)
    .where(
      and(
        eq(recoveryCodes.facilityId, facilityId),
        eq(recoveryCodes.userId, userId),
        isNull(recoveryCodes.usedAt),
      ),
    );
  return row?.n ?? 0;
}

// ── passkeys ──

export async function insertPasskey(
  tx: Tx,
  v: {
    facilityId: string;
    userId: string;
    credentialId: string;
    publicKey: string;
    counter: number;
    transports: string;
    name: string;
  },
) {
  const [row] = await tx
    .insert(passkeys)
    .values(v)
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning();
  return row ?? null;
}

export async function listPasskeys(tx: Tx, facilityId: string, userId: string) {
  return tx
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.facilityId, facilityId), eq(passkeys.userId, userId)))
    .orderBy(asc(passkeys.createdAt));
}

/** A credential by id within a facility (a passkey of another clinic is not found). */
export async function findPasskey(tx: Tx, facilityId: string, credentialId: string) {
  const [row] = await tx
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.facilityId, facilityId), eq(passkeys.credentialId, credentialId)));
  return row ?? null;
}

export async function markPasskeyUsed(tx: Tx, id: string, counter: number) {
  await tx.update(passkeys).set({ counter, lastUsedAt: sql`now()` }).where(eq(passkeys.id, id));
}

export async function deletePasskey(tx: Tx, facilityId: string, userId: string, id: string) {
  const rows = await tx
    .delete(passkeys)
    .where(and(eq(passkeys.facilityId, facilityId), eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .returning();
  return rows[0] ?? null;
}

export async function deleteUserPasskeys(tx: Tx, facilityId: string, userId: string) {
  return tx
    .delete(passkeys)
    .where(and(eq(passkeys.facilityId, facilityId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
}

// ── overview ──

/** Whether a user has a second factor: a confirmed TOTP or at least one passkey. */
export async function secondFactorsOf(tx: Tx, facilityId: string, userId: string) {
  const [totp] = await tx
    .select({ confirmedAt: totpFactors.confirmedAt })
    .from(totpFactors)
    .where(and(eq(totpFactors.facilityId, facilityId), eq(totpFactors.userId, userId)));
  const [keys] = await tx
    .select({ n: count() })
    .from(passkeys)
    .where(and(eq(passkeys.facilityId, facilityId), eq(passkeys.userId, userId)));
  const [codes] = await tx
    .select({ n: count() })
    .from(recoveryCodes)
    .where(
      and(
        eq(recoveryCodes.facilityId, facilityId),
        eq(recoveryCodes.userId, userId),
        isNull(recoveryCodes.usedAt),
      ),
    );
  return { totp: !!totp?.confirmedAt, passkeys: keys?.n ?? 0, recoveryCodes: codes?.n ?? 0 };
}

/** Every user of the facility with what they enrolled (the administrator's overview). */
export async function twoFactorOverview(tx: Tx, facilityId: string) {
  return tx
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      // Written out: inside a selection drizzle leaves columns unqualified, which would bind to the subquery's table.
      totp: sql<boolean>`exists (select 1 from totp_factors t where t.user_id = "users"."id" and t.confirmed_at is not null)`,
      passkeys: sql<number>`(select count(*)::int from passkeys p where p.user_id = "users"."id")`,
      recoveryCodes: sql<number>`(select count(*)::int from recovery_codes r where r.user_id = "users"."id" and r.used_at is null)`,
    })
    .from(users)
    .where(eq(users.facilityId, facilityId))
    .orderBy(asc(users.username));
}

// ── sign-in state ──

export async function insertLoginChallenge(
  tx: Tx,
  v: {
    id: string;
    facilityId: string;
    userId: string | null;
    kind: LoginChallengeKind;
    challenge: string | null;
    ttlMs: number;
  },
) {
  // Expired states of anyone are swept as new ones are made (cheap: indexed by expiry).
  await tx.delete(loginChallenges).where(lt(loginChallenges.expiresAt, sql`now()`));
  await tx.insert(loginChallenges).values({
    id: v.id,
    facilityId: v.facilityId,
    userId: v.userId,
    kind: v.kind,
    challenge: v.challenge,
    expiresAt: sql`now() + ${`${v.ttlMs} milliseconds`}::interval`,
  });
}

/** A live (unexpired) state by id, with its kind. */
export async function getLoginChallenge(tx: Tx, id: string) {
  const [row] = await tx
    .select()
    .from(loginChallenges)
    .where(and(eq(loginChallenges.id, id), gt(loginChallenges.expiresAt, sql`now()`)));
  return row ?? null;
}

export async function setLoginChallengeValue(tx: Tx, id: string, challenge: string) {
  await tx.update(loginChallenges).set({ challenge }).where(eq(loginChallenges.id, id));
}

/** Takes the WebAuthn challenge of a state (so it cannot be answered twice); null when none or expired. */
export async function takeLoginChallengeValue(tx: Tx, id: string) {
  const row = await getLoginChallenge(tx, id);
  if (!row?.challenge) return null;
  const taken = await tx
    .update(loginChallenges)
    .set({ challenge: null })
    .where(and(eq(loginChallenges.id, id), eq(loginChallenges.challenge, row.challenge)))
    .returning({ id: loginChallenges.id });
  return taken.length === 1 ? row : null;
}

export async function deleteLoginChallenge(tx: Tx, id: string) {
  await tx.delete(loginChallenges).where(eq(loginChallenges.id, id));
}

export async function deleteUserLoginChallenges(tx: Tx, facilityId: string, userId: string) {
  await tx
    .delete(loginChallenges)
    .where(and(eq(loginChallenges.facilityId, facilityId), eq(loginChallenges.userId, userId)));
}

/** Puts back the count of a password attempt that turned out right (the second factor is still to come). */
export async function uncountPasswordAttempt(tx: Tx, id: string) {
  await tx
    .update(users)
    .set({ failedLogins: sql`greatest(${users.failedLogins} - 1, 0)` })
    .where(eq(users.id, id));
}
