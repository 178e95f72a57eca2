import { and, asc, desc, eq, gte, inArray, lt, lte, max, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import {
  billPayments,
  billPrints,
  bills,
  billVersions,
  encounters,
  entries,
  entryVersions,
  visits,
} from '../schema';

// 会計: bills with immutable versions, payments (入金/返金) and prints.

export type BillRow = typeof bills.$inferSelect;
export type BillVersionRow = typeof billVersions.$inferSelect;
export type BillPaymentRow = typeof billPayments.$inferSelect;

export async function billOfVisit(tx: Tx, facilityId: string, visitId: string) {
  const [row] = await tx
    .select()
    .from(bills)
    .where(and(eq(bills.facilityId, facilityId), eq(bills.visitId, visitId)));
  return row ?? null;
}

export async function getBill(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(bills)
    .where(and(eq(bills.facilityId, facilityId), eq(bills.id, id)));
  return row ?? null;
}

export function billVersionsOf(tx: Tx, facilityId: string, billId: string) {
  return tx
    .select()
    .from(billVersions)
    .where(and(eq(billVersions.facilityId, facilityId), eq(billVersions.billId, billId)))
    .orderBy(asc(billVersions.version));
}

export function paymentsOf(tx: Tx, facilityId: string, billId: string) {
  return tx
    .select()
    .from(billPayments)
    .where(and(eq(billPayments.facilityId, facilityId), eq(billPayments.billId, billId)))
    .orderBy(asc(billPayments.createdAt));
}

/** Bills of a patient in [from, before) dates with their current version (the month's earlier 会計). */
export function patientBillsBetween(
  tx: Tx,
  facilityId: string,
  patientId: string,
  from: string,
  before: string,
  exceptVisitId?: string,
) {
  return tx
    .select({
      billId: bills.id,
      visitId: bills.visitId,
      visitDate: bills.visitDate,
      points: billVersions.points,
      chargeYen: billVersions.chargeYen,
      content: billVersions.content,
      versionAt: billVersions.createdAt,
    })
    .from(bills)
    .innerJoin(
      billVersions,
      and(eq(billVersions.billId, bills.id), eq(billVersions.version, bills.currentVersion)),
    )
    .where(
      and(
        eq(bills.facilityId, facilityId),
        eq(bills.patientId, patientId),
        gte(bills.visitDate, from),
        lt(bills.visitDate, before),
        exceptVisitId ? ne(bills.visitId, exceptVisitId) : undefined,
      ),
    )
    .orderBy(asc(bills.visitDate), asc(bills.createdAt));
}

/** The latest earlier visit of the patient here that was seen (完了 or 会計待), for 初診/再診. */
export async function lastEarlierVisitDate(tx: Tx, facilityId: string, patientId: string, before: string) {
  const [row] = await tx
    .select({ last: max(visits.visitDate) })
    .from(visits)
    .where(
      and(
        eq(visits.facilityId, facilityId),
        eq(visits.patientId, patientId),
        lt(visits.visitDate, before),
        inArray(visits.state, ['done', 'billing']),
      ),
    );
  return (row?.last as string | null | undefined) ?? null;
}

/** The confirmed prescriptions (current version) of the visit's encounter: `content` is PrescriptionContent. */
export function visitPrescriptions(tx: Tx, facilityId: string, visitId: string) {
  return tx
    .select({ content: entryVersions.content })
    .from(entries)
    .innerJoin(encounters, eq(encounters.id, entries.encounterId))
    .innerJoin(
      entryVersions,
      and(eq(entryVersions.entryId, entries.id), eq(entryVersions.version, entries.currentVersion)),
    )
    .where(
      and(
        eq(entries.facilityId, facilityId),
        eq(encounters.visitId, visitId),
        eq(entries.kind, 'prescription'),
      ),
    )
    .orderBy(asc(entries.createdAt));
}

export async function insertBill(
  tx: Tx,
  facilityId: string,
  v: { patientId: string; visitId: string; visitDate: string },
) {
  const [row] = await tx
    .insert(bills)
    .values({ ...v, facilityId, currentVersion: 1 })
    .onConflictDoNothing()
    .returning();
  return row ?? null; // null: another clerk confirmed the same visit meanwhile
}

/** Moves the bill to `version` when it is still at `expected`; null on conflict. */
export async function advanceBill(tx: Tx, facilityId: string, billId: string, expected: number) {
  const [row] = await tx
    .update(bills)
    .set({ currentVersion: expected + 1 })
    .where(and(eq(bills.facilityId, facilityId), eq(bills.id, billId), eq(bills.currentVersion, expected)))
    .returning();
  return row ?? null;
}

export async function insertBillVersion(
  tx: Tx,
  facilityId: string,
  v: {
    billId: string;
    version: number;
    content: Record<string, unknown>;
    points: number;
    chargeYen: number;
    reason: string;
    createdBy: string;
  },
) {
  const [row] = await tx
    .insert(billVersions)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function insertPayment(
  tx: Tx,
  facilityId: string,
  v: {
    billId: string;
    patientId: string;
    amountYen: number;
    method: BillPaymentRow['method'];
    tenderedYen: number | null;
    businessDate: string;
    receivedBy: string;
  },
) {
  const [row] = await tx
    .insert(billPayments)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Serialises payments and corrections of one bill (two windows taking money at once). */
export async function lockBill(tx: Tx, facilityId: string, billId: string) {
  await tx.execute(
    sql`select id from ${bills} where ${bills.facilityId} = ${facilityId} and ${bills.id} = ${billId} for update`,
  );
}

/** Each bill of the patient with its current 請求 and what was paid (未収 = the difference). */
export function patientBalances(tx: Tx, facilityId: string, patientId: string) {
  const paid = tx
    .select({ billId: billPayments.billId, paid: sql<number>`sum(${billPayments.amountYen})`.as('paid') })
    .from(billPayments)
    .where(and(eq(billPayments.facilityId, facilityId), eq(billPayments.patientId, patientId)))
    .groupBy(billPayments.billId)
    .as('paid');
  return tx
    .select({
      billId: bills.id,
      visitId: bills.visitId,
      visitDate: bills.visitDate,
      chargeYen: billVersions.chargeYen,
      paidYen: sql<number>`coalesce(${paid.paid}, 0)::int`,
    })
    .from(bills)
    .innerJoin(
      billVersions,
      and(eq(billVersions.billId, bills.id), eq(billVersions.version, bills.currentVersion)),
    )
    .leftJoin(paid, eq(paid.billId, bills.id))
    .where(and(eq(bills.facilityId, facilityId), eq(bills.patientId, patientId)))
    .orderBy(desc(bills.visitDate));
}

/** 再発行 is per version: the same bill, kind and version was issued before. */
export async function printedBefore(
  tx: Tx,
  facilityId: string,
  v: { billId: string; version: number; kind: 'receipt' | 'statement' },
) {
  const earlier = await tx
    .select({ id: billPrints.id })
    .from(billPrints)
    .where(
      and(
        eq(billPrints.facilityId, facilityId),
        eq(billPrints.billId, v.billId),
        eq(billPrints.kind, v.kind),
        eq(billPrints.version, v.version),
      ),
    )
    .limit(1);
  return earlier.length > 0;
}

export async function insertPrint(
  tx: Tx,
  facilityId: string,
  v: { billId: string; version: number; kind: 'receipt' | 'statement'; printedBy: string },
) {
  const reissue = await printedBefore(tx, facilityId, v);
  const [row] = await tx
    .insert(billPrints)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return { row, reissue };
}

/** 日計表: bills of the day's visits and bills with money moved that day. */
/**
 * Bills of a day's visits and bills with money moved that day, each at the version in force at the end of that day
 * in Japan (a later correction does not change a past 日計表; a bill first confirmed later shows its first version).
 */
export function dayBills(tx: Tx, facilityId: string, date: string) {
  const movedToday = tx
    .select({ billId: billPayments.billId })
    .from(billPayments)
    .where(and(eq(billPayments.facilityId, facilityId), eq(billPayments.businessDate, date)));
  const endOfDay = new Date(`${date}T00:00:00+09:00`);
  endOfDay.setUTCDate(endOfDay.getUTCDate() + 1);
  const inForce = sql`coalesce((select max(v.version) from bill_versions v where v.bill_id = ${bills.id} and v.created_at < ${endOfDay.toISOString()}::timestamptz), 1)`;
  return tx
    .select({
      billId: bills.id,
      visitId: bills.visitId,
      patientId: bills.patientId,
      visitDate: bills.visitDate,
      version: billVersions.version,
      points: billVersions.points,
      chargeYen: billVersions.chargeYen,
    })
    .from(bills)
    .innerJoin(billVersions, and(eq(billVersions.billId, bills.id), eq(billVersions.version, inForce)))
    .where(
      and(eq(bills.facilityId, facilityId), or(eq(bills.visitDate, date), inArray(bills.id, movedToday))),
    )
    .orderBy(asc(bills.visitDate), asc(bills.createdAt));
}

/** Payments of the bills up to and including a day (for 入金 that day and 未収 at its end). */
export function paymentsOfBillsUntil(tx: Tx, facilityId: string, billIds: string[], until: string) {
  if (billIds.length === 0) return Promise.resolve([] as BillPaymentRow[]);
  return tx
    .select()
    .from(billPayments)
    .where(
      and(
        eq(billPayments.facilityId, facilityId),
        inArray(billPayments.billId, billIds),
        lte(billPayments.businessDate, until),
      ),
    );
}
