import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { isUniqueViolation } from '../errors';
import type { Tx } from '../open';
import { coverages, eligibilityChecks, publicSubsidies } from '../schema';

export type CoverageRow = typeof coverages.$inferSelect;
export type PublicSubsidyRow = typeof publicSubsidies.$inferSelect;
export type EligibilityCheckRow = typeof eligibilityChecks.$inferSelect;

export type CoverageValues = Omit<
  typeof coverages.$inferInsert,
  'id' | 'facilityId' | 'patientId' | 'createdBy' | 'createdAt' | 'endedAt' | 'endedBy'
>;

/** An insert that a unique key refused (a concurrent writer won) gives null instead of throwing. */
async function nullOnUniqueViolation<T>(insert: () => Promise<T | null>): Promise<T | null> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** The patient's coverage versions, newest first (the current one has no ended_at). */
export function coverageHistory(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(coverages)
    .where(and(eq(coverages.facilityId, facilityId), eq(coverages.patientId, patientId)))
    .orderBy(desc(coverages.createdAt));
}

export async function currentCoverage(tx: Tx, facilityId: string, patientId: string) {
  const [row] = await tx
    .select()
    .from(coverages)
    .where(
      and(
        eq(coverages.facilityId, facilityId),
        eq(coverages.patientId, patientId),
        isNull(coverages.endedAt),
      ),
    )
    .orderBy(desc(coverages.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * A new version: ends the current one (if its id is `expectedCurrentId`) and inserts; null on conflict, after
 * which the caller must end the transaction (throw).
 */
export async function replaceCoverage(
  tx: Tx,
  facilityId: string,
  patientId: string,
  userId: string | null,
  expectedCurrentId: string | null,
  v: CoverageValues,
): Promise<CoverageRow | null> {
  const current = await currentCoverage(tx, facilityId, patientId);
  if ((current?.id ?? null) !== expectedCurrentId) return null;
  if (current) {
    const ended = await tx
      .update(coverages)
      .set({ endedAt: sql`now()`, endedBy: userId })
      .where(
        and(eq(coverages.id, current.id), eq(coverages.facilityId, facilityId), isNull(coverages.endedAt)),
      )
      .returning({ id: coverages.id });
    if (ended.length === 0) return null; // someone else replaced it meanwhile
  }
  // Another first coverage committed meanwhile (coverages_current_key): a conflict; the caller rolls back.
  return nullOnUniqueViolation(async () => {
    const [row] = await tx
      .insert(coverages)
      .values({ ...v, facilityId, patientId, createdBy: userId })
      .returning();
    return row ?? null;
  });
}

export function currentPublicSubsidies(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(publicSubsidies)
    .where(
      and(
        eq(publicSubsidies.facilityId, facilityId),
        eq(publicSubsidies.patientId, patientId),
        isNull(publicSubsidies.endedAt),
      ),
    )
    .orderBy(asc(publicSubsidies.priority));
}

/** The patient's 公費 rows with these ids (ended ones too: a printed prescription keeps what it chose). */
export function publicSubsidiesByIds(tx: Tx, facilityId: string, patientId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as PublicSubsidyRow[]);
  return tx
    .select()
    .from(publicSubsidies)
    .where(
      and(
        eq(publicSubsidies.facilityId, facilityId),
        eq(publicSubsidies.patientId, patientId),
        inArray(publicSubsidies.id, ids),
      ),
    )
    .orderBy(asc(publicSubsidies.priority));
}

export async function insertPublicSubsidy(
  tx: Tx,
  facilityId: string,
  patientId: string,
  userId: string | null,
  v: Omit<typeof publicSubsidies.$inferInsert, 'id' | 'facilityId' | 'patientId' | 'createdBy'>,
) {
  // The priority slot was taken meanwhile (public_subsidies_priority_key): null, the caller answers CONFLICT.
  return nullOnUniqueViolation(async () => {
    const [row] = await tx
      .insert(publicSubsidies)
      .values({ ...v, facilityId, patientId, createdBy: userId })
      .returning();
    return row ?? null;
  });
}

export async function endPublicSubsidy(tx: Tx, facilityId: string, id: string, userId: string | null) {
  const [row] = await tx
    .update(publicSubsidies)
    .set({ endedAt: sql`now()`, endedBy: userId })
    .where(
      and(
        eq(publicSubsidies.facilityId, facilityId),
        eq(publicSubsidies.id, id),
        isNull(publicSubsidies.endedAt),
      ),
    )
    .returning();
  return row ?? null;
}

export async function insertEligibilityCheck(
  tx: Tx,
  facilityId: string,
  v: Omit<typeof eligibilityChecks.$inferInsert, 'id' | 'facilityId'>,
) {
  const [row] = await tx
    .insert(eligibilityChecks)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function getEligibilityCheck(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(eligibilityChecks)
    .where(and(eq(eligibilityChecks.facilityId, facilityId), eq(eligibilityChecks.id, id)));
  return row ?? null;
}

export async function latestEligibilityCheck(tx: Tx, facilityId: string, patientId: string) {
  const [row] = await tx
    .select()
    .from(eligibilityChecks)
    .where(and(eq(eligibilityChecks.facilityId, facilityId), eq(eligibilityChecks.patientId, patientId)))
    .orderBy(desc(eligibilityChecks.requestedAt))
    .limit(1);
  return row ?? null;
}

export async function markEligibilityApplied(tx: Tx, facilityId: string, id: string, userId: string) {
  const [row] = await tx
    .update(eligibilityChecks)
    .set({ appliedBy: userId, appliedAt: sql`now()` })
    .where(
      and(
        eq(eligibilityChecks.facilityId, facilityId),
        eq(eligibilityChecks.id, id),
        isNull(eligibilityChecks.appliedAt),
      ),
    )
    .returning();
  return row ?? null;
}
