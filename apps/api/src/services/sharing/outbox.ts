import {
  currentCoverage,
  type Database,
  documentsForSharing,
  getConsent,
  submissionsOfPatient,
  type Tx,
  upsertSubmission,
} from '@karte/db';
import {
  buildClinsBundles,
  buildDeleteBundle,
  clinsIdentifiers,
  insuredPersonId,
  type Refusal,
  validateBundle,
} from '@karte/fhir-mapping';
import type { Bundle } from 'fhir/r4';
import { wakeShareWorker } from '../../jobs/wake';
import { loadFacility, loadPatientRecords } from './records';

/** What changed, so what to (re)send — the IG's triggers (NOTES.md §2.1). */
export interface ShareTrigger {
  /** 傷病名 snapshot: on a visit day and whenever a problem changes. */
  conditions?: boolean;
  /** アレルギー・薬剤禁忌 snapshot: on a visit day and whenever one changes. */
  allergies?: boolean;
  /** 検査・感染症: the reports (collection days) just filed. */
  labDays?: string[];
  /** 検査・感染症 reports by Bundle identifier (sent before, going again). */
  labIdentifiers?: string[];
  /** Documents just approved (their current version, read in this transaction). */
  documents?: string[];
  /** A document being finalised by its doctor: the Bundle frozen into the version being written. */
  documentBundles?: { entryId: string; type: string; bundle: Bundle }[];
}

/** Sent to the service, or on its way there (and not a deletion). */
const wasShared = (s: { action: string; sentVersion: number; status: string }) =>
  s.action === 'send' && (s.sentVersion > 0 || s.status === 'pending');

export const CONSENT_WITHDRAWN = '共有への同意が撤回されているため送りません';

/**
 * The transactional outbox: in the caller's transaction (the one that changed the record), builds the
 * Bundles the change calls for, validates them and queues them (a new version per identifier). Nothing is
 * queued for a patient who withdrew consent or has no valid 被保険者個人識別子, nor for 未提供 items; a snapshot that
 * became empty queues the Patient-only Bundle that deletes what was sent. Returns what was not queued and why.
 */
export async function queueSubmissions(
  tx: Tx,
  facilityId: string,
  patientId: string,
  trigger: ShareTrigger,
  now = new Date(),
): Promise<{ queued: number; refused: Refusal[] }> {
  if ((await getConsent(tx, facilityId, patientId))?.withdrawn)
    return { queued: 0, refused: [{ item: '患者', reason: CONSENT_WITHDRAWN }] };
  // Without a valid 被保険者個人識別子 nothing can be sent: say so before loading the whole chart.
  const coverage = await currentCoverage(tx, facilityId, patientId);
  const insured = insuredPersonId(coverage);
  if (!insured.ok) return { queued: 0, refused: [{ item: '患者', reason: insured.reason }] };
  const facility = await loadFacility(tx, facilityId);
  const { chart } = await loadPatientRecords(tx, facilityId, patientId);
  const built = buildClinsBundles(chart, facility, now);
  const existing = new Map(
    (await submissionsOfPatient(tx, facilityId, patientId)).map((s) => [s.identifier, s]),
  );
  const refused = [...built.refused];
  let queued = 0;
  const queue = async (
    kind: string,
    action: 'send' | 'delete',
    identifier: string,
    bundle: Bundle,
    entryId: string | null = null,
  ) => {
    const issues = validateBundle(bundle, { deletion: action === 'delete' });
    if (issues.length > 0) {
      refused.push({ item: identifier, reason: issues.map((i) => i.messageJa).join(' / ') });
      return;
    }
    await upsertSubmission(tx, facilityId, { patientId, kind, action, identifier, entryId, bundle });
    queued++;
  };
  const snapshot = async (
    kind: 'conditions' | 'allergies',
    identifier: string,
    type: 'Condition' | 'AllergyIntolerance',
  ) => {
    const b = built.bundles.find((x) => x.kind === kind);
    if (b) return queue(kind, 'send', b.identifier, b.bundle);
    // Nothing left to share under this identifier: delete what was sent (or is about to be).
    const prior = existing.get(identifier);
    if (prior && wasShared(prior)) {
      const del = buildDeleteBundle(chart, facility, identifier, type, now);
      if (del.bundle) await queue(kind, 'delete', identifier, del.bundle.bundle);
    }
  };
  if (built.refused.some((r) => r.item.startsWith('患者'))) return { queued, refused };
  if (trigger.conditions)
    await snapshot('conditions', clinsIdentifiers.conditions(facility, chart), 'Condition');
  if (trigger.allergies)
    await snapshot('allergies', clinsIdentifiers.allergies(facility, chart), 'AllergyIntolerance');
  const labIdentifiers = [
    ...(trigger.labDays ?? []).map((day) => clinsIdentifiers.labs(facility, chart, day)),
    ...(trigger.labIdentifiers ?? []),
  ];
  for (const id of labIdentifiers) {
    const b = built.bundles.find((x) => x.identifier === id);
    if (b) await queue('labs', 'send', b.identifier, b.bundle);
  }
  for (const d of trigger.documentBundles ?? []) {
    if (!d.bundle.identifier?.value) continue;
    await upsertSubmission(tx, facilityId, {
      patientId,
      kind: d.type,
      action: 'send',
      identifier: d.bundle.identifier.value,
      entryId: d.entryId,
      bundle: d.bundle,
    });
    queued++;
  }
  if (trigger.documents?.length) {
    for (const d of await documentsForSharing(tx, facilityId, patientId)) {
      if (!trigger.documents.includes(d.entryId)) continue;
      const bundle = d.content.bundle as Bundle | undefined;
      if (!bundle?.identifier?.value) continue;
      if (!d.approved) {
        refused.push({ item: `文書 ${d.date}`, reason: '代行入力の文書は医師の承認後に送ります' });
        continue;
      }
      // Validated at 確定; queued as frozen.
      await upsertSubmission(tx, facilityId, {
        patientId,
        kind: d.content.type,
        action: 'send',
        identifier: bundle.identifier.value,
        entryId: d.entryId,
        bundle,
      });
      queued++;
    }
  }
  return { queued, refused };
}

/**
 * The Patient changed (insurance, name, birth date…) and it is in every CLINS Bundle: what was shared, or is on
 * its way, goes again with the new Patient under the same identifier, so the service replaces it. Nothing is
 * sent that was not shared before (that waits for its own trigger), and issued documents stay as issued.
 */
export async function requeueForPatientChange(tx: Tx, facilityId: string, patientId: string) {
  const shared = (await submissionsOfPatient(tx, facilityId, patientId)).filter(wasShared);
  if (shared.length === 0) return { queued: 0, refused: [] };
  return queueSubmissions(tx, facilityId, patientId, {
    conditions: shared.some((s) => s.kind === 'conditions'),
    allergies: shared.some((s) => s.kind === 'allergies'),
    labIdentifiers: shared.filter((s) => s.kind === 'labs').map((s) => s.identifier),
  });
}

/** Runs a change (that queues submissions) in one transaction and wakes the share worker after the commit. */
export async function changeAndShare<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.transaction(work);
  wakeShareWorker();
  return result;
}
