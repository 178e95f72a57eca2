import type { Tx } from '@karte/db';

/**
 * 体重 for the pediatric dose check: the patient's latest recorded weight on or before the date.
 * Vitals are another workstream of issue #15 (packages/db/src/queries/vitals.ts, latestWeightKg); this
 * branch does not have them yet, so no weight is known and a child's dose check asks for one.
 * TODO(merge): wired to latestWeightKg at merge — `return latestWeightKg(tx, facilityId, patientId, onDate);`
 */
export async function patientWeightKg(
  _tx: Tx,
  _facilityId: string,
  _patientId: string,
  _onDate: string,
): Promise<number | null> {
  return null;
}
