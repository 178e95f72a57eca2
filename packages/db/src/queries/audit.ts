import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { auditEvents, auditHeads } from '../schema';

export type AuditOutcome = 'ok' | 'denied' | 'error' | 'conflict' | 'invalid';

export interface AuditInput {
  facilityId: string;
  userId: string | null;
  patientId: string | null;
  action: string;
  procedure: string;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

/** JSON with sorted keys at every level: jsonb does not keep key order, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  // As the detail is stored (JSON.stringify): a Date is its ISO text, not an empty object. Hashing
  // anything else than what is stored would make the verifier see tampering where there is none.
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return canonicalJson(json.call(value));
  // Plain loops (the verifier runs this for every event): the same text as sorting Object.entries.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** The fields of an event that the chain covers, besides its sequence number. */
export interface ChainedFields {
  facilityId: string;
  occurredAt: string; // ISO 8601 UTC with milliseconds
  userId: string | null;
  patientId: string | null;
  action: string;
  procedure: string;
  outcome: string;
  detail: Record<string, unknown>;
}

/** The canonical text of an event's fields: what the hash covers besides prev_hash and seq. */
export function auditBody(e: ChainedFields): string {
  return canonicalJson({
    action: e.action,
    detail: e.detail,
    facilityId: e.facilityId,
    occurredAt: e.occurredAt,
    outcome: e.outcome,
    patientId: e.patientId,
    procedure: e.procedure,
    userId: e.userId,
  });
}

/** sha256(prev_hash | seq | body), hex — the same formula as karte_append_audit in SQL (migration 0002). */
export function auditHash(prevHash: string, seq: number, body: string): string {
  return createHash('sha256').update(`${prevHash}|${seq}|${body}`).digest('hex');
}

/** The statement that appends an event: one round trip (see migration 0002_audit_append_function). */
export function appendAuditSql(fields: ChainedFields) {
  return sql`select karte_append_audit(${fields.facilityId}, ${fields.occurredAt}, ${fields.userId}, ${fields.patientId},
    ${fields.action}, ${fields.procedure}, ${fields.outcome}, ${JSON.stringify(fields.detail)}::jsonb, ${auditBody(fields)}) as seq`;
}

/**
 * Appends one event to the facility's chain. Call inside the transaction of the work it records,
 * so that the event and the work commit (or vanish) together.
 */
const chained = (input: AuditInput, occurredAt: string): ChainedFields => ({
  facilityId: input.facilityId,
  occurredAt,
  userId: input.userId,
  patientId: input.patientId,
  action: input.action,
  procedure: input.procedure,
  outcome: input.outcome,
  detail: input.detail ?? {},
});

export async function appendAudit(tx: Tx, input: AuditInput): Promise<number> {
  const fields = chained(input, new Date().toISOString());
  const result = (await tx.execute(appendAuditSql(fields))) as unknown as
    | { rows: { seq: number | string }[] }
    | { seq: number | string }[];
  const row = Array.isArray(result) ? result[0] : result.rows[0];
  return Number(row?.seq);
}

/** Timestamps come back from the drivers as Date or as '2026-11-25 12:00:00.123+00'. */
export function toIsoTimestamp(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
  if (!m) return new Date(value).toISOString();
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return new Date(`${m[1]}T${m[2]}${zone}`).toISOString();
}

export interface ChainReport {
  facilityId: string;
  events: number;
  ok: boolean;
  /** The first sequence number whose event does not match the chain. */
  brokenAt?: number;
  problem?: string;
}

/** Walks a facility's chain from the start, in pages, recomputing every hash. */
export async function verifyAuditChain(db: Tx, facilityId: string): Promise<ChainReport> {
  let prevHash = '';
  let expectedSeq = 1;
  const pageSize = 5000;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.facilityId, facilityId), gte(auditEvents.seq, expectedSeq)))
      .orderBy(asc(auditEvents.seq))
      .limit(pageSize);
    for (const row of rows) {
      const fail = (problem: string): ChainReport => ({
        facilityId,
        events: expectedSeq - 1,
        ok: false,
        brokenAt: row.seq,
        problem,
      });
      if (row.seq !== expectedSeq) return fail(`連番 ${expectedSeq} の記録がありません（欠落）`);
      if (row.prevHash !== prevHash) return fail('直前の記録とつながっていません（prev_hash 不一致）');
      const body = auditBody({ ...row, occurredAt: toIsoTimestamp(row.occurredAt) });
      if (auditHash(prevHash, row.seq, body) !== row.hash)
        return fail('記録の内容がハッシュと一致しません（改ざん）');
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) break;
  }
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.facilityId, facilityId));
  const events = expectedSeq - 1;
  if ((head?.seq ?? 0) !== events || (head?.hash ?? '') !== prevHash) {
    return {
      facilityId,
      events,
      ok: false,
      brokenAt: events + 1,
      problem: '末尾の記録が欠けています（ヘッドと不一致）',
    };
  }
  return { facilityId, events, ok: true };
}

export interface AuditQuery {
  patientId?: string;
  userId?: string;
  from?: string; // ISO date, Japan time
  to?: string;
  /** Only events older than this sequence number (paging backwards). */
  cursor?: number | null;
  limit: number;
  /** Leave out successful reads of the polled lists (board, 共有送信, 未承認): recorded, but not shown. */
  excludeListReads?: boolean;
}

/** The lists the screens poll every few seconds: each read is one event naming every patient shown. */
export const listReadProcedures = ['reception.board', 'sharing.submissions', 'chart.pendingApprovals'];

export async function searchAudit(db: Tx, facilityId: string, q: AuditQuery) {
  const conditions = [eq(auditEvents.facilityId, facilityId)];
  if (q.patientId) conditions.push(eq(auditEvents.patientId, q.patientId));
  if (q.userId) conditions.push(eq(auditEvents.userId, q.userId));
  if (q.from) conditions.push(gte(auditEvents.occurredAt, `${q.from}T00:00:00+09:00`));
  if (q.to)
    conditions.push(
      sql`${auditEvents.occurredAt} < (${`${q.to}T00:00:00+09:00`}::timestamptz + interval '1 day')`,
    );
  if (q.cursor) conditions.push(lt(auditEvents.seq, q.cursor));
  if (q.excludeListReads)
    conditions.push(
      sql`not (${auditEvents.outcome} = 'ok' and ${inArray(auditEvents.procedure, listReadProcedures)})`,
    );
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(q.limit);
}

/**
 * Appends several events (in order, each chained to the one before): for a worker that records a batch, e.g.
 * the share-service deliveries, each a disclosure of one patient's data. One statement per facility instead of
 * one per event: karte_append_audit_many (migration 0019) advances the head by the batch size at once (its row
 * lock orders appends exactly as karte_append_audit does) and chains the hashes with the same formula.
 */
export async function appendAuditMany(tx: Tx, inputs: AuditInput[]) {
  if (inputs.length === 0) return;
  const occurredAt = new Date().toISOString();
  const byFacility = new Map<string, ChainedFields[]>();
  for (const input of inputs) {
    const fields = chained(input, occurredAt);
    const list = byFacility.get(fields.facilityId) ?? [];
    if (list.length === 0) byFacility.set(fields.facilityId, list);
    list.push(fields);
  }
  // Facilities in a fixed order: two batches spanning the same facilities never wait on each other in a cycle.
  for (const facilityId of [...byFacility.keys()].sort()) {
    const events = (byFacility.get(facilityId) ?? []).map((e) => ({ ...e, body: auditBody(e) }));
    await tx.execute(
      sql`select karte_append_audit_many(${facilityId}, ${JSON.stringify(events)}::jsonb) as seq`,
    );
  }
}
