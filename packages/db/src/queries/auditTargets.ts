import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../open';
import {
  appointments,
  bills,
  eligibilityChecks,
  encounters,
  entries,
  labResults,
  patients,
  visits,
  vitalSigns,
} from '../schema';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Input keys that name a patient, directly or through a record of theirs. `id` is tried as a patient id only. */
const references: [key: string, table: PgTable, id: PgColumn, patient: PgColumn, facility: PgColumn][] = [
  ['patientId', patients, patients.id, patients.id, patients.facilityId],
  ['id', patients, patients.id, patients.id, patients.facilityId],
  ['entryId', entries, entries.id, entries.patientId, entries.facilityId],
  ['encounterId', encounters, encounters.id, encounters.patientId, encounters.facilityId],
  ['visitId', visits, visits.id, visits.patientId, visits.facilityId],
  ['appointmentId', appointments, appointments.id, appointments.patientId, appointments.facilityId],
  ['billId', bills, bills.id, bills.patientId, bills.facilityId],
  ['resultId', labResults, labResults.id, labResults.patientId, labResults.facilityId],
  ['vitalId', vitalSigns, vitalSigns.id, vitalSigns.patientId, vitalSigns.facilityId],
  [
    'checkId',
    eligibilityChecks,
    eligibilityChecks.id,
    eligibilityChecks.patientId,
    eligibilityChecks.facilityId,
  ],
];

/**
 * The patient a (refused or failed) request targeted, for the audit record only: read from the raw input,
 * resolved within the caller's facility. A patient id that is not of this facility comes back as `claimed`
 * (kept in the detail, never in the patient column); nothing here decides anything.
 */
export async function auditTargetOf(
  tx: Tx,
  facilityId: string,
  input: unknown,
): Promise<{ patientId: string | null; claimed?: string }> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { patientId: null };
  const raw = input as Record<string, unknown>;
  let claimed: string | undefined;
  for (const [key, table, idColumn, patientColumn, facilityColumn] of references) {
    const value = raw[key];
    if (typeof value !== 'string' || !uuidPattern.test(value)) continue;
    const [row] = (await tx
      .select({ patientId: patientColumn })
      .from(table)
      .where(and(eq(idColumn, value), eq(facilityColumn, facilityId)))
      .limit(1)) as { patientId: string | null }[];
    if (row?.patientId) return { patientId: row.patientId };
    if (key === 'patientId') claimed = value;
  }
  return claimed ? { patientId: null, claimed } : { patientId: null };
}
