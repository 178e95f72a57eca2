import {
  cancelUnsentSubmissions,
  type Database,
  documentsForSharing,
  facilitySubmissions,
  getConsent,
  getPatient,
  labsForSharing,
  resendSubmission,
  type SubmissionStatus,
  setConsent,
  submissionsOfPatient,
  upsertSubmission,
} from '@karte/db';
import { buildDeleteBundle } from '@karte/fhir-mapping';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, queueSubmissions } from './outbox';
import { loadFacility, loadPatientRecords } from './records';

export const CANCELLED_BY_CONSENT = '取消（同意撤回）';
export const RESEND_REFUSED_CONSENT =
  '共有への同意が撤回されているため再送できません。同意を登録すると現在の内容を送ります';

/** How a submission reads on screen: 送信待ち / 再送中 / 送信済 / エラー / 送信失敗 / 取消（同意撤回）. */
export function submissionState(s: {
  status: string;
  attempts: number;
  version: number;
  sentVersion: number;
}) {
  if (s.status === 'sent' && s.sentVersion >= s.version) return '送信済';
  if (s.status === 'error') return 'エラー';
  if (s.status === 'failed') return '送信失敗';
  if (s.status === 'cancelled') return CANCELLED_BY_CONSENT;
  return s.attempts > 0 ? '再送中' : '送信待ち';
}

/** The patient's submissions and consent, for the 共有データ page. */
export async function patientSubmissions(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    if (!(await getPatient(tx, actor.facilityId, patientId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const rows = await submissionsOfPatient(tx, actor.facilityId, patientId);
    const consent = await getConsent(tx, actor.facilityId, patientId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'share-submissions', count: rows.length });
    return {
      consentWithdrawn: consent?.withdrawn ?? false,
      submissions: rows.map((r) => ({ ...r, state: submissionState(r) })),
    };
  });
}

/** 共有送信状況: the facility's submissions with filters and counts per state. */
export async function listSubmissions(
  db: Database,
  actor: Actor,
  filter: { status?: SubmissionStatus; kind?: string; limit: number },
) {
  return db.transaction(async (tx) => {
    const { rows, counts } = await facilitySubmissions(tx, actor.facilityId, filter);
    // The list shows patients: each one shown is on the record (one event, like a search).
    await recordAccess(tx, actor, 'read', null, {
      what: 'share-submissions',
      filter,
      count: rows.length,
      patientIds: [...new Set(rows.map((r) => r.patientId))],
    });
    return {
      rows: rows.map((r) => ({ ...r, state: submissionState(r) })),
      counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<string, number>>,
    };
  });
}

/** 再送: a failed or rejected submission is queued again (the latest version); never after consent was withdrawn. */
export async function resend(db: Database, actor: Actor, id: string) {
  return changeAndShare(db, async (tx) => {
    const row = await resendSubmission(tx, actor.facilityId, id);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: '送信データが見つかりません' });
    if ((await getConsent(tx, actor.facilityId, row.patientId))?.withdrawn)
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: RESEND_REFUSED_CONSENT });
    await recordAccess(tx, actor, 'update', row.patientId, { what: 'share-resend', id });
    return { ok: true };
  });
}

/**
 * 共有への同意: withdrawing it stops every submission for the patient — documents not yet delivered are
 * cancelled (取消（同意撤回）) — and deletes what was sent of the 5 information kinds (the Patient-only Bundle per
 * identifier); giving it again queues everything current.
 */
export async function changeConsent(db: Database, actor: Actor, patientId: string, withdrawn: boolean) {
  return changeAndShare(db, async (tx) => {
    if (!(await getPatient(tx, actor.facilityId, patientId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    await setConsent(tx, actor.facilityId, patientId, withdrawn, actor.userId);
    await recordAccess(tx, actor, 'update', patientId, { what: 'share-consent', withdrawn });
    if (!withdrawn) {
      const labs = await labsForSharing(tx, actor.facilityId, patientId);
      const docs = await documentsForSharing(tx, actor.facilityId, patientId);
      return queueSubmissions(tx, actor.facilityId, patientId, {
        conditions: true,
        allergies: true,
        labDays: [...new Set(labs.map((l) => l.result.collectedOn))],
        documents: docs.map((d) => d.entryId),
      });
    }
    const types = { conditions: 'Condition', allergies: 'AllergyIntolerance', labs: 'Observation' } as const;
    const facility = await loadFacility(tx, actor.facilityId);
    const { chart } = await loadPatientRecords(tx, actor.facilityId, patientId);
    let queued = 0;
    for (const s of await submissionsOfPatient(tx, actor.facilityId, patientId)) {
      const type = types[s.kind as keyof typeof types];
      if (!type || s.action === 'delete') continue;
      const del = buildDeleteBundle(chart, facility, s.identifier, type, new Date());
      if (!del.bundle) continue;
      await upsertSubmission(tx, actor.facilityId, {
        patientId,
        kind: s.kind,
        action: 'delete',
        identifier: s.identifier,
        entryId: null,
        bundle: del.bundle.bundle,
      });
      queued++;
    }
    // Documents have no deletion Bundle (nor has anything that could not be deleted): what has not gone must not go.
    const kinds = ['conditions', 'allergies', 'labs', 'referral', 'discharge', 'checkup'];
    await cancelUnsentSubmissions(tx, actor.facilityId, patientId, kinds);
    return { queued, refused: [] };
  });
}
