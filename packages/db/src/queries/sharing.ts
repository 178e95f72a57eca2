import type { DocumentContent, PrescriptionContent } from '@karte/domain';
import { and, asc, eq, exists, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Bundle } from 'fhir/r4';
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
  shareConsents,
  shareSubmissions,
  users,
} from '../schema';
import { appendAuditMany } from './audit';
import { currentLabResult } from './orders';

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
  return (
    tx
      .select({
        problem: problems,
        diseaseName: diseases.name,
        icd10: diseases.icd10,
      })
      .from(problems)
      .leftJoin(diseases, eq(diseases.code, problems.diseaseCode))
      // 誤登録 rows are not part of the record any more.
      .where(
        and(eq(problems.facilityId, facilityId), eq(problems.patientId, patientId), isNull(problems.errorAt)),
      )
      .orderBy(asc(problems.onsetDate), asc(problems.createdAt))
  );
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
    .where(and(eq(labResults.facilityId, facilityId), eq(labResults.patientId, patientId), currentLabResult))
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

// ---- the share-service outbox

export type ShareSubmissionRow = typeof shareSubmissions.$inferSelect;

/** Queues the latest Bundle of an identifier (version + 1), in the caller's transaction. */
export async function upsertSubmission(
  tx: Tx,
  facilityId: string,
  v: {
    patientId: string;
    kind: string;
    action: 'send' | 'delete';
    identifier: string;
    entryId: string | null;
    bundle: Bundle;
  },
) {
  const body = JSON.stringify(v.bundle);
  const [row] = await tx
    .insert(shareSubmissions)
    .values({ facilityId, ...v, body })
    .onConflictDoUpdate({
      target: [shareSubmissions.facilityId, shareSubmissions.identifier],
      set: {
        bundle: v.bundle,
        body,
        action: v.action,
        kind: v.kind,
        version: sql`${shareSubmissions.version} + 1`,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: sql`now()`,
        lastError: '',
        queuedAt: sql`now()`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: shareSubmissions.id, version: shareSubmissions.version });
  return row;
}

/** What the status screens show of a submission (everything but the Bundle itself). */
const submissionColumns = {
  id: shareSubmissions.id,
  patientId: shareSubmissions.patientId,
  kind: shareSubmissions.kind,
  action: shareSubmissions.action,
  identifier: shareSubmissions.identifier,
  entryId: shareSubmissions.entryId,
  version: shareSubmissions.version,
  sentVersion: shareSubmissions.sentVersion,
  status: shareSubmissions.status,
  attempts: shareSubmissions.attempts,
  lastError: shareSubmissions.lastError,
  sentAt: shareSubmissions.sentAt,
  queuedAt: shareSubmissions.queuedAt,
  nextAttemptAt: shareSubmissions.nextAttemptAt,
  updatedAt: shareSubmissions.updatedAt,
};

export function submissionsOfPatient(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select(submissionColumns)
    .from(shareSubmissions)
    .where(and(eq(shareSubmissions.facilityId, facilityId), eq(shareSubmissions.patientId, patientId)))
    .orderBy(asc(shareSubmissions.identifier));
}

/**
 * Takes up to `limit` due submissions for delivery: pending, not yet sent at their version, due, and not
 * leased by another worker (SKIP LOCKED); the lease keeps one delivery per identifier in flight. Consent is
 * checked here, at send time: of a patient who withdrew it only the deletions go.
 */
export async function leaseDueSubmissions(tx: Tx, limit: number, leaseSeconds: number) {
  const rows = await tx.execute(sql`
    update share_submissions s set lease_until = now() + make_interval(secs => ${leaseSeconds})
    where s.id in (
      select id from share_submissions
      where status = 'pending' and sent_version < version and next_attempt_at <= now()
        and (lease_until is null or lease_until < now())
        and (action = 'delete' or not exists (
          select 1 from share_consents c where c.patient_id = share_submissions.patient_id and c.withdrawn))
      order by queued_at
      limit ${limit}
      for update skip locked)
    returning s.id, s.facility_id, s.patient_id, s.version, s.attempts, s.identifier, s.body`);
  return (rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[]);
}

/**
 * The same choice without writing a lease, for the embedded database: one process owns it, so the worker
 * keeps what it has in flight in memory and passes it as `exclude`. Reading is all it costs — the lease's
 * row update is most of a lease's work on PGlite, where SQL runs on the same thread as the HTTP client.
 */
export async function takeDueSubmissions(tx: Tx, limit: number, exclude: string[]) {
  const rows = await tx.execute(sql`
    select s.id, s.facility_id, s.patient_id, s.version, s.attempts, s.identifier, s.body
    from share_submissions s
    where s.id in (
      select id from share_submissions
      where status = 'pending' and sent_version < version and next_attempt_at <= now()
        and not (id = any(${`{${exclude.join(',')}}`}::uuid[]))
        and (action = 'delete' or not exists (
          select 1 from share_consents c where c.patient_id = share_submissions.patient_id and c.withdrawn))
      order by queued_at
      limit ${limit})
    order by s.queued_at`);
  return (rows as unknown as { rows?: unknown[] }).rows ?? (rows as unknown as unknown[]);
}

export interface DeliveryResult {
  id: string;
  facilityId: string;
  patientId: string;
  identifier: string;
  version: number;
  outcome: 'accepted' | 'rejected' | 'transient';
  httpStatus: number | null;
  message: string;
  /** For transient failures: when to try again, or null when the attempts are used up. */
  retryInSeconds: number | null;
}

/**
 * Writes a batch of delivery results in two statements. An accepted version becomes sent_version (never
 * lower than before); if a newer version was queued meanwhile the row stays pending and goes next.
 */
export async function recordDeliveries(tx: Tx, results: DeliveryResult[]) {
  if (results.length === 0) return;
  // Each accepted delivery disclosed one patient's data to the share service: on the audit trail. First, so that
  // this transaction takes the audit head before the submission rows, the order of every change that queues.
  await appendAuditMany(
    tx,
    results
      .filter((r) => r.outcome === 'accepted')
      .map((r) => ({
        facilityId: r.facilityId,
        userId: null,
        patientId: r.patientId,
        action: 'share-send',
        procedure: 'job.share-deliver',
        outcome: 'ok' as const,
        detail: { identifier: r.identifier, version: r.version },
      })),
  );
  // One JSON parameter per statement: the same on PGlite and postgres.js, whatever the batch size.
  const json = JSON.stringify(
    results.map((r) => ({
      id: r.id,
      facility: r.facilityId,
      version: r.version,
      outcome: r.outcome,
      status: r.httpStatus,
      message: r.message,
      retry: r.retryInSeconds,
    })),
  );
  await tx.execute(sql`
    update share_submissions s set
      sent_version = case when x.outcome = 'accepted' then greatest(s.sent_version, x.version) else s.sent_version end,
      sent_at = case when x.outcome = 'accepted' then now() else s.sent_at end,
      status = case
        when s.status = 'cancelled' and x.outcome <> 'accepted' then 'cancelled'
        when s.version > x.version then 'pending'
        when x.outcome = 'accepted' then 'sent'
        when x.outcome = 'rejected' then 'error'
        when x.retry is null then 'failed'
        else 'pending' end,
      attempts = case when x.outcome = 'transient' and s.version = x.version then s.attempts + 1 else 0 end,
      next_attempt_at = case
        when x.outcome = 'transient' and s.version = x.version and x.retry is not null
          then now() + make_interval(secs => x.retry)
        else now() end,
      last_error = case when x.outcome = 'accepted' then '' else x.message end,
      lease_until = null,
      updated_at = now()
    from jsonb_to_recordset(${json}::jsonb) as x(id uuid, version int, outcome text, message text, retry double precision)
    where s.id = x.id`);
  await tx.execute(sql`
    insert into share_attempts (facility_id, submission_id, version, outcome, http_status, message)
    select x.facility, x.id, x.version, x.outcome, x.status, x.message
    from jsonb_to_recordset(${json}::jsonb) as x(id uuid, facility uuid, version int, outcome text, status int, message text)`);
}

/** Seconds until the next submission is due (null when nothing waits). */
export async function nextDueInSeconds(tx: Tx) {
  const rows = (await tx.execute(sql`
    select extract(epoch from (min(next_attempt_at) - now()))::float8 as s from share_submissions
    where status = 'pending' and sent_version < version`)) as unknown as { rows?: { s: number | null }[] };
  const list = rows.rows ?? (rows as unknown as { s: number | null }[]);
  return list[0]?.s ?? null;
}

/** After a crash of the only process that owns the database (embedded), no delivery is in flight. */
export function releaseAllLeases(tx: Tx) {
  return tx.update(shareSubmissions).set({ leaseUntil: null }).where(sql`lease_until is not null`);
}

/** 再送: a failed or rejected submission goes back to the queue with fresh attempts. */
export async function resendSubmission(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .update(shareSubmissions)
    .set({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: sql`now()`,
      sentVersion: sql`least(${shareSubmissions.sentVersion}, ${shareSubmissions.version} - 1)`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(shareSubmissions.facilityId, facilityId), eq(shareSubmissions.id, id)))
    .returning({ id: shareSubmissions.id, patientId: shareSubmissions.patientId });
  return row ?? null;
}

/**
 * Consent withdrawn: what has not gone yet is cancelled (取消（同意撤回）), except deletions, which must go.
 * Returns the cancelled rows.
 */
export function cancelUnsentSubmissions(tx: Tx, facilityId: string, patientId: string, kinds: string[]) {
  if (kinds.length === 0) return Promise.resolve([]);
  return tx
    .update(shareSubmissions)
    .set({ status: 'cancelled', leaseUntil: null, updatedAt: sql`now()` })
    .where(
      and(
        eq(shareSubmissions.facilityId, facilityId),
        eq(shareSubmissions.patientId, patientId),
        eq(shareSubmissions.action, 'send'),
        inArray(shareSubmissions.kind, kinds),
        inArray(shareSubmissions.status, ['pending', 'error', 'failed']),
      ),
    )
    .returning({ id: shareSubmissions.id, identifier: shareSubmissions.identifier });
}

export type SubmissionStatus = 'pending' | 'sent' | 'error' | 'failed' | 'cancelled';

/** The facility's submissions, filtered, newest change first, with counts per state. */
export async function facilitySubmissions(
  tx: Tx,
  facilityId: string,
  filter: { status?: SubmissionStatus; kind?: string; limit: number },
) {
  const where = and(
    eq(shareSubmissions.facilityId, facilityId),
    filter.status ? eq(shareSubmissions.status, filter.status) : undefined,
    filter.kind ? eq(shareSubmissions.kind, filter.kind) : undefined,
  );
  const rows = await tx
    .select({
      ...submissionColumns,
      patientNumber: patients.patientNumber,
      familyName: patients.familyName,
      givenName: patients.givenName,
    })
    .from(shareSubmissions)
    .innerJoin(patients, eq(patients.id, shareSubmissions.patientId))
    .where(where)
    .orderBy(sql`${shareSubmissions.updatedAt} desc`)
    .limit(filter.limit);
  const counts = await tx
    .select({ status: shareSubmissions.status, n: sql<number>`count(*)::int` })
    .from(shareSubmissions)
    .where(eq(shareSubmissions.facilityId, facilityId))
    .groupBy(shareSubmissions.status);
  return { rows, counts };
}

export async function getConsent(tx: Tx, facilityId: string, patientId: string) {
  const [row] = await tx
    .select()
    .from(shareConsents)
    .where(and(eq(shareConsents.facilityId, facilityId), eq(shareConsents.patientId, patientId)));
  return row ?? null;
}

export function setConsent(
  tx: Tx,
  facilityId: string,
  patientId: string,
  withdrawn: boolean,
  userId: string,
) {
  return tx
    .insert(shareConsents)
    .values({ facilityId, patientId, withdrawn, changedBy: userId })
    .onConflictDoUpdate({
      target: shareConsents.patientId,
      set: { withdrawn, changedBy: userId, changedAt: sql`now()` },
    });
}

/** Gives back submissions taken but not posted (the worker is stopping). */
export function releaseLeases(tx: Tx, ids: string[]) {
  if (ids.length === 0) return Promise.resolve();
  return tx.update(shareSubmissions).set({ leaseUntil: null }).where(inArray(shareSubmissions.id, ids));
}
