import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface ChainedFields {
  facilityId: string;
  seq: number;
  occurredAt: string; // ISO 8601 UTC with milliseconds
  userId: string | null;
  patientId: string | null;
  action: string;
  procedure: string;
  outcome: string;
  detail: Record<string, unknown>;
}

export function auditHash(prevHash: string, e: ChainedFields): string {
  const body = canonicalJson({
    action: e.action,
    detail: e.detail,
    facilityId: e.facilityId,
    occurredAt: e.occurredAt,
    outcome: e.outcome,
    patientId: e.patientId,
    procedure: e.procedure,
    seq: e.seq,
    userId: e.userId,
  });
  return createHash('sha256').update(`${prevHash}|${body}`).digest('hex');
}

/**
 * Appends one event to the facility's chain. Call inside the transaction of the work it records,
 * so that the event and the work commit (or vanish) together. The head row's lock orders appends.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<number> {
  const [head] = await tx
    .insert(auditHeads)
    .values({ facilityId: input.facilityId, seq: 1, hash: '' })
    .onConflictDoUpdate({ target: auditHeads.facilityId, set: { seq: sql`${auditHeads.seq} + 1` } })
    .returning({ seq: auditHeads.seq, prevHash: auditHeads.hash });
  if (!head) throw new Error('audit head missing');
  const fields: ChainedFields = {
    facilityId: input.facilityId,
    seq: head.seq,
    occurredAt: new Date().toISOString(),
    userId: input.userId,
    patientId: input.patientId,
    action: input.action,
    procedure: input.procedure,
    outcome: input.outcome,
    detail: input.detail ?? {},
  };
  const hash = auditHash(head.prevHash, fields);
  // One statement: the event, and the head now pointing at it.
  await tx.execute(sql`
    with ev as (
      insert into ${auditEvents} (facility_id, seq, occurred_at, user_id, patient_id, action, procedure, outcome, detail, prev_hash, hash)
      values (${fields.facilityId}, ${fields.seq}, ${fields.occurredAt}, ${fields.userId}, ${fields.patientId},
              ${fields.action}, ${fields.procedure}, ${fields.outcome}, ${JSON.stringify(fields.detail)}::jsonb,
              ${head.prevHash}, ${hash})
      returning facility_id
    )
    update ${auditHeads} set hash = ${hash} where facility_id = (select facility_id from ev)`);
  return head.seq;
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
      if (row.seq !== expectedSeq) return fail(`missing event ${expectedSeq}`);
      if (row.prevHash !== prevHash) return fail('prev_hash does not match the previous event');
      const fields: ChainedFields = {
        ...row,
        occurredAt: toIsoTimestamp(row.occurredAt),
      };
      if (auditHash(prevHash, fields) !== row.hash) return fail('hash does not match the event');
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
      problem: 'events missing at the end of the chain',
    };
  }
  return { facilityId, events, ok: true };
}

export interface AuditQuery {
  patientId?: string;
  userId?: string;
  from?: string; // ISO date, Japan time
  to?: string;
  beforeSeq?: number;
  limit: number;
}

export async function searchAudit(db: Tx, facilityId: string, q: AuditQuery) {
  const conditions = [eq(auditEvents.facilityId, facilityId)];
  if (q.patientId) conditions.push(eq(auditEvents.patientId, q.patientId));
  if (q.userId) conditions.push(eq(auditEvents.userId, q.userId));
  if (q.from) conditions.push(gte(auditEvents.occurredAt, `${q.from}T00:00:00+09:00`));
  if (q.to)
    conditions.push(
      sql`${auditEvents.occurredAt} < (${`${q.to}T00:00:00+09:00`}::timestamptz + interval '1 day')`,
    );
  if (q.beforeSeq) conditions.push(lt(auditEvents.seq, q.beforeSeq));
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.seq))
    .limit(q.limit);
}
