import type { Database, Tx } from '@karte/db';
import {
  type BuiltBundle,
  buildClinsBundles,
  type Refusal,
  type ValidationIssue,
  validateBundle,
} from '@karte/fhir-mapping';
import type { Bundle } from 'fhir/r4';
import { type Actor, recordAccess } from '../audit';
import { loadFacility, loadPatientRecords } from './records';

export interface PatientBundles {
  bundles: (BuiltBundle & { issues: ValidationIssue[] })[];
  refused: Refusal[];
}

/**
 * The patient's current submissions: the JP_Bundle_CLINS snapshots built now, and the Bundle frozen in
 * the current version of every finalised document (a proxy-entered one only once the doctor approved it).
 * Every Bundle is validated; one with errors is refused with them, never handed out as valid.
 */
export async function bundlesOfPatient(
  tx: Tx,
  facilityId: string,
  patientId: string,
  now: Date,
): Promise<PatientBundles> {
  const facility = await loadFacility(tx, facilityId);
  const { chart, documents } = await loadPatientRecords(tx, facilityId, patientId);
  const { bundles, refused } = buildClinsBundles(chart, facility, now);
  const out: PatientBundles['bundles'] = bundles.map((b) => ({
    ...b,
    issues: validateBundle(b.bundle, b.kind === 'delete' ? { deletion: true } : {}),
  }));
  for (const d of documents) {
    const bundle = d.content.bundle as Bundle | undefined;
    if (!bundle) continue;
    if (!d.approved) {
      refused.push({ item: `文書 ${d.date}`, reason: '代行入力の文書は医師の承認後に送ります' });
      continue;
    }
    out.push({
      kind: d.content.type,
      identifier: bundle.identifier?.value ?? '',
      bundle,
      issues: validateBundle(bundle),
    });
  }
  return { bundles: out, refused };
}

/** 共有用データ: what would be sent for this patient, with the validator's verdict (audited read). */
export async function patientBundles(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    const result = await bundlesOfPatient(tx, actor.facilityId, patientId, new Date());
    await recordAccess(tx, actor, 'read', patientId, { what: 'fhir-bundles', count: result.bundles.length });
    return result;
  });
}
