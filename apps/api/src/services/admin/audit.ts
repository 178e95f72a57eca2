import {
  type AuditQuery,
  type Database,
  getPatientSummaries,
  listUsers,
  searchAudit,
  toIsoTimestamp,
  verifyAuditChain,
} from '@karte/db';
import { type Actor, recordAccess } from '../audit';

/** The audit log shows who saw which patient: searching it is itself a read of patient data. */
export async function searchAuditLog(db: Database, actor: Actor, q: AuditQuery) {
  return db.transaction(async (tx) => {
    const rows = await searchAudit(tx, actor.facilityId, q);
    const names = new Map((await listUsers(tx, actor.facilityId)).map((u) => [u.id, u.displayName]));
    const patientIds = [...new Set(rows.flatMap((r) => (r.patientId ? [r.patientId] : [])))];
    const patients = new Map(
      (await getPatientSummaries(tx, actor.facilityId, patientIds)).map((p) => [
        p.id,
        { patientNumber: p.patientNumber, name: `${p.familyName} ${p.givenName}` },
      ]),
    );
    await recordAccess(tx, actor, 'audit-search', q.patientId ?? null, { ...q });
    return rows.map((r) => ({
      seq: r.seq,
      occurredAt: toIsoTimestamp(r.occurredAt),
      userId: r.userId,
      userName: r.userId ? (names.get(r.userId) ?? null) : null,
      patientId: r.patientId,
      patient: r.patientId ? (patients.get(r.patientId) ?? null) : null,
      action: r.action,
      procedure: r.procedure,
      outcome: r.outcome,
      detail: r.detail,
      hash: r.hash,
    }));
  });
}

export async function verifyFacilityChain(db: Database, actor: Actor) {
  const report = await verifyAuditChain(db, actor.facilityId);
  await recordAccess(db, actor, 'audit-verify', null, { ok: report.ok, events: report.events });
  return report;
}
