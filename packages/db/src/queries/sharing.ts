import type { DocumentContent, PrescriptionContent } from '@karte/domain';
import { and, asc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import {
  allergies,
  diseases,
  encounters,
  entries,
  entryVersions,
  facilities,
  labCodes,
  labResults,
  patients,
  problems,
  users,
} from '../schema';

// What the FHIR mapping reads: plain rows of one patient, always scoped by facility.

export function facilityRow(tx: Tx, facilityId: string) {
  return tx
    .select()
    .from(facilities)
    .where(eq(facilities.id, facilityId))
    .then((r) => r[0] ?? null);
}

/** 傷病名 with the master's name and ICD-10 for the coded ones. */
export function problemsForSharing(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select({
      problem: problems,
      diseaseName: diseases.name,
      icd10: diseases.icd10,
    })
    .from(problems)
    .leftJoin(diseases, eq(diseases.code, problems.diseaseCode))
    .where(and(eq(problems.facilityId, facilityId), eq(problems.patientId, patientId)))
    .orderBy(asc(problems.onsetDate), asc(problems.createdAt));
}

export function allergiesForSharing(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(allergies)
    .where(and(eq(allergies.facilityId, facilityId), eq(allergies.patientId, patientId)))
    .orderBy(asc(allergies.createdAt));
}

/** Lab results with the specimen of their JLAC code (when it is in the master). */
export function labsForSharing(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select({ result: labResults, specimen: labCodes.specimen })
    .from(labResults)
    .leftJoin(labCodes, eq(labCodes.code, labResults.code))
    .where(and(eq(labResults.facilityId, facilityId), eq(labResults.patientId, patientId)))
    .orderBy(asc(labResults.collectedOn), asc(labResults.createdAt));
}

/** Current versions of confirmed entries of a kind, with the encounter date and the responsible doctor. */
export async function currentVersionsOf<C>(
  tx: Tx,
  facilityId: string,
  patientId: string,
  kind: 'prescription' | 'document',
) {
  const rows = await tx
    .select({
      entryId: entries.id,
      version: entryVersions.version,
      content: entryVersions.content,
      createdAt: entryVersions.createdAt,
      approved: sql<boolean>`${entryVersions.approvedBy} is not null`,
      date: encounters.encounterDate,
      doctorId: users.id,
      doctorName: users.displayName,
    })
    .from(entries)
    .innerJoin(encounters, eq(encounters.id, entries.encounterId))
    .innerJoin(
      entryVersions,
      and(eq(entryVersions.entryId, entries.id), eq(entryVersions.version, entries.currentVersion)),
    )
    .innerJoin(users, eq(users.id, entryVersions.responsibleDoctor))
    .where(and(eq(entries.facilityId, facilityId), eq(entries.patientId, patientId), eq(entries.kind, kind)))
    .orderBy(asc(encounters.encounterDate), asc(entryVersions.createdAt));
  return rows as (Omit<(typeof rows)[number], 'content'> & { content: C })[];
}
export const prescriptionsForSharing = (tx: Tx, facilityId: string, patientId: string) =>
  currentVersionsOf<PrescriptionContent>(tx, facilityId, patientId, 'prescription');
export const documentsForSharing = (tx: Tx, facilityId: string, patientId: string) =>
  currentVersionsOf<DocumentContent>(tx, facilityId, patientId, 'document');

/** The first 確定 of an entry (a document's identifier keeps that year through corrections). */
export async function firstVersionAt(tx: Tx, facilityId: string, entryId: string) {
  const [row] = await tx
    .select({ createdAt: entryVersions.createdAt })
    .from(entryVersions)
    .where(
      and(
        eq(entryVersions.facilityId, facilityId),
        eq(entryVersions.entryId, entryId),
        eq(entryVersions.version, 1),
      ),
    );
  return row?.createdAt ?? null;
}

/** Patients of the facility that have anything the share service takes (for the export). */
export function patientsWithSharedData(tx: Tx, facilityId: string) {
  const has = (table: typeof problems | typeof allergies | typeof labResults) =>
    exists(tx.select({ one: sql`1` }).from(table).where(eq(table.patientId, patients.id)));
  return tx
    .select({ id: patients.id })
    .from(patients)
    .where(
      and(
        eq(patients.facilityId, facilityId),
        or(
          has(problems),
          has(allergies),
          has(labResults),
          exists(
            tx
              .select({ one: sql`1` })
              .from(entries)
              .where(
                and(
                  eq(entries.patientId, patients.id),
                  eq(entries.kind, 'document'),
                  sql`${entries.currentVersion} > 0`,
                ),
              ),
          ),
        ),
      ),
    )
    .orderBy(asc(patients.patientNumber));
}

export function allFacilities(tx: Tx) {
  return tx.select().from(facilities).orderBy(asc(facilities.institutionCode));
}

export function usersByIds(tx: Tx, facilityId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select({ id: users.id, name: users.displayName })
    .from(users)
    .where(and(eq(users.facilityId, facilityId), inArray(users.id, ids)));
}
