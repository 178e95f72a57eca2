import { and, asc, count, eq, max, sql, sum } from 'drizzle-orm';
import type { Tx } from '../open';
import { patients, visitCounters, visits } from '../schema';

export type VisitRow = typeof visits.$inferSelect;
export type VisitState = VisitRow['state'];

export async function nextReceptionNumber(tx: Tx, facilityId: string, visitDate: string): Promise<number> {
  const [row] = await tx
    .insert(visitCounters)
    .values({ facilityId, visitDate, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [visitCounters.facilityId, visitCounters.visitDate],
      set: { lastNumber: sql`${visitCounters.lastNumber} + 1` },
    })
    .returning({ n: visitCounters.lastNumber });
  if (!row) throw new Error('visit counter missing');
  return row.n;
}

export async function activeVisitOn(tx: Tx, facilityId: string, patientId: string, visitDate: string) {
  const [row] = await tx
    .select()
    .from(visits)
    .where(
      and(
        eq(visits.facilityId, facilityId),
        eq(visits.patientId, patientId),
        eq(visits.visitDate, visitDate),
        sql`${visits.state} <> 'cancelled'`,
      ),
    );
  return row ?? null;
}

export async function insertVisit(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  v: Pick<
    typeof visits.$inferInsert,
    'patientId' | 'visitDate' | 'purpose' | 'department' | 'memo' | 'coverageId' | 'eligibilityConfirmed'
  >,
) {
  const receptionNumber = await nextReceptionNumber(tx, facilityId, v.visitDate);
  const [row] = await tx
    .insert(visits)
    .values({ ...v, facilityId, receptionNumber, state: 'received', createdBy: userId, updatedBy: userId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function getVisit(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(visits)
    .where(and(eq(visits.facilityId, facilityId), eq(visits.id, id)));
  return row ?? null;
}

/** Moves a visit when it is still at the version the user saw; null on conflict. */
export async function setVisitState(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  id: string,
  version: number,
  state: VisitState,
) {
  const [row] = await tx
    .update(visits)
    .set({ state, version: sql`${visits.version} + 1`, updatedAt: sql`now()`, updatedBy: userId })
    .where(and(eq(visits.facilityId, facilityId), eq(visits.id, id), eq(visits.version, version)))
    .returning();
  return row ?? null;
}

export async function setVisitEligibility(tx: Tx, facilityId: string, id: string, confirmed: boolean) {
  await tx
    .update(visits)
    .set({
      eligibilityConfirmed: confirmed ? 1 : 0,
      version: sql`${visits.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(visits.facilityId, facilityId), eq(visits.id, id)));
}

/** The day's board: every visit with who it is. */
export function visitBoard(tx: Tx, facilityId: string, visitDate: string) {
  return tx
    .select({
      id: visits.id,
      receptionNumber: visits.receptionNumber,
      state: visits.state,
      purpose: visits.purpose,
      department: visits.department,
      memo: visits.memo,
      eligibilityConfirmed: visits.eligibilityConfirmed,
      version: visits.version,
      createdAt: visits.createdAt,
      updatedAt: visits.updatedAt,
      patientId: patients.id,
      patientNumber: patients.patientNumber,
      familyName: patients.familyName,
      givenName: patients.givenName,
      familyNameKana: patients.familyNameKana,
      givenNameKana: patients.givenNameKana,
      sex: patients.sex,
      birthDate: patients.birthDate,
      // 未収 of the visit's 会計 (0 when none is confirmed yet): one indexed look-up per row of one day.
      unpaidYen: sql<number>`coalesce((
        select greatest(0, bv.charge_yen - coalesce(
          (select sum(p.amount_yen) from bill_payments p where p.bill_id = b.id), 0))
        from bills b
        join bill_versions bv on bv.bill_id = b.id and bv.version = b.current_version
        where b.visit_id = ${visits.id} and b.facility_id = ${visits.facilityId}), 0)::int`.as('unpaid_yen'),
    })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .where(and(eq(visits.facilityId, facilityId), eq(visits.visitDate, visitDate)))
    .orderBy(asc(visits.receptionNumber));
}

/** A fingerprint of the day's board without patient data: screens poll it and reload the board when it moves. */
export async function visitBoardStamp(tx: Tx, facilityId: string, visitDate: string) {
  const [row] = await tx
    .select({ n: count(), versions: sum(visits.version), last: max(visits.updatedAt) })
    .from(visits)
    .where(and(eq(visits.facilityId, facilityId), eq(visits.visitDate, visitDate)));
  const last = row?.last as unknown;
  // Every change bumps a version: the sum moves even when two changes share a timestamp.
  return `${row?.n ?? 0}:${row?.versions ?? 0}:${last instanceof Date ? last.toISOString() : String(last ?? '')}`;
}
