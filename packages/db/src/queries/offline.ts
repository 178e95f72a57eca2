import type { SoapContent } from '@karte/domain';
import { and, asc, desc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { encounters, entries, entryVersions, patients, users, visits } from '../schema';

/**
 * Who the offline export covers: the day's board (expected, in 受付番号 order, cancelled visits left out) and
 * the patients seen since `since` (a visit or an encounter on or after it, up to `today`), newest first.
 */
export async function offlineExportPatientIds(tx: Tx, facilityId: string, today: string, since: string) {
  const board = await tx
    .select({ patientId: visits.patientId, receptionNumber: visits.receptionNumber, state: visits.state })
    .from(visits)
    .where(and(eq(visits.facilityId, facilityId), eq(visits.visitDate, today), ne(visits.state, 'cancelled')))
    .orderBy(asc(visits.receptionNumber));
  const seen = await tx
    .select({ patientId: visits.patientId, last: sql<string>`max(${visits.visitDate})::text`.as('last') })
    .from(visits)
    .where(
      and(
        eq(visits.facilityId, facilityId),
        gte(visits.visitDate, since),
        lte(visits.visitDate, today),
        ne(visits.state, 'cancelled'),
      ),
    )
    .groupBy(visits.patientId);
  const met = await tx
    .select({
      patientId: encounters.patientId,
      last: sql<string>`max(${encounters.encounterDate})::text`.as('last'),
    })
    .from(encounters)
    .where(
      and(
        eq(encounters.facilityId, facilityId),
        gte(encounters.encounterDate, since),
        lte(encounters.encounterDate, today),
      ),
    )
    .groupBy(encounters.patientId);
  const last = new Map<string, string>();
  for (const r of [...seen, ...met]) {
    const prev = last.get(r.patientId);
    if (!prev || r.last > prev) last.set(r.patientId, r.last);
  }
  const expected: { patientId: string; receptionNumber: number; state: string }[] = [];
  const onBoard = new Set<string>();
  for (const r of board) {
    if (onBoard.has(r.patientId)) continue;
    onBoard.add(r.patientId);
    expected.push(r);
  }
  const recent = [...last]
    .filter(([id]) => !onBoard.has(id))
    .sort((x, y) => (x[1] === y[1] ? x[0].localeCompare(y[0]) : y[1].localeCompare(x[1])))
    .map(([patientId, lastSeen]) => ({ patientId, lastSeen }));
  return { expected, recent, lastSeen: last };
}

/** Patients of this facility by id, every column the offline sheet shows. */
export function patientsOfFacility(tx: Tx, facilityId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as (typeof patients.$inferSelect)[]);
  return tx
    .select()
    .from(patients)
    .where(and(eq(patients.facilityId, facilityId), inArray(patients.id, ids)));
}

/** A patient's last `limit` confirmed SOAP notes (current version), newest first, with who confirmed them. */
export async function recentSoapNotes(tx: Tx, facilityId: string, patientId: string, limit: number) {
  const rows = await tx
    .select({
      date: encounters.encounterDate,
      content: entryVersions.content,
      version: entryVersions.version,
      doctor: users.displayName,
      createdAt: entryVersions.createdAt,
    })
    .from(entries)
    .innerJoin(encounters, eq(encounters.id, entries.encounterId))
    .innerJoin(
      entryVersions,
      and(eq(entryVersions.entryId, entries.id), eq(entryVersions.version, entries.currentVersion)),
    )
    .leftJoin(users, eq(users.id, entries.responsibleDoctor))
    .where(
      and(eq(entries.facilityId, facilityId), eq(entries.patientId, patientId), eq(entries.kind, 'soap')),
    )
    .orderBy(desc(encounters.encounterDate), desc(entryVersions.createdAt))
    .limit(limit);
  return rows as {
    date: string;
    content: SoapContent;
    version: number;
    doctor: string | null;
    createdAt: Date;
  }[];
}
