import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { auditBody, auditHash, canonicalJson } from './audit';

/**
 * What the anchoring of the audit trail (issue #14) reads from the database: the chain in large keyset pages
 * with plain SQL (every column as text, so that both drivers return the same thing and no row goes through
 * the ORM), and the confirmed clinical rows that audit events seal with a hash of their content.
 */

type Rows<T> = { rows: T[] } | T[];
const rowsOf = <T>(result: unknown): T[] => {
  const r = result as Rows<T>;
  return Array.isArray(r) ? r : r.rows;
};

export interface AuditHeadRow {
  seq: number;
  hash: string;
}

export async function getAuditHead(db: Tx, facilityId: string): Promise<AuditHeadRow> {
  const [row] = rowsOf<{ seq: string; hash: string }>(
    await db.execute(sql`select seq::text as seq, hash from audit_heads where facility_id = ${facilityId}`),
  );
  return { seq: row ? Number(row.seq) : 0, hash: row?.hash ?? '' };
}

/** One event as the chain covers it, with the hashes stored beside it. */
export interface ChainEvent {
  seq: number;
  action: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** sha256(prev_hash | seq | body) recomputed from the stored columns. */
  computed: string;
}

interface RawEvent {
  seq: string;
  occurred_at: string;
  user_id: string | null;
  patient_id: string | null;
  action: string;
  procedure: string;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * The events with afterSeq < seq ≤ toSeq, in order, `limit` at a time, each with its hash recomputed from its
 * columns (the formula of karte_append_audit). occurred_at is formatted by the server in UTC with
 * milliseconds, as the application wrote it.
 */
export async function auditChainPage(
  db: Tx,
  facilityId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): Promise<ChainEvent[]> {
  const upper = toSeq === undefined ? sql`` : sql` and seq <= ${toSeq}`;
  const raw = rowsOf<RawEvent>(
    await db.execute(sql`
      select seq::text as seq,
        to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
        user_id::text as user_id, patient_id::text as patient_id, action, procedure, outcome,
        detail::text as detail, prev_hash, hash
      from audit_events
      where facility_id = ${facilityId} and seq > ${afterSeq}${upper}
      order by audit_events.seq
      limit ${limit}`),
  );
  const out: ChainEvent[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as RawEvent;
    const seq = Number(r.seq);
    const detail = JSON.parse(r.detail) as Record<string, unknown>;
    const body = auditBody({
      facilityId,
      occurredAt: r.occurred_at,
      userId: r.user_id,
      patientId: r.patient_id,
      action: r.action,
      procedure: r.procedure,
      outcome: r.outcome,
      detail,
    });
    out[i] = {
      seq,
      action: r.action,
      detail,
      prevHash: r.prev_hash,
      hash: r.hash,
      computed: auditHash(r.prev_hash, seq, body),
    };
  }
  return out;
}

// ─── Sealed clinical rows ────────────────────────────────────────────────────────────────────────────────

/** The immutable tables whose confirmed rows are hashed into the chain. */
export const sealTables = ['entry_versions', 'lab_results', 'bill_versions'] as const;
export type SealTable = (typeof sealTables)[number];

/** A confirmed row sealed by an audit event: table, key ("id" or "id:version") and sha256 of its content. */
export interface Seal {
  t: SealTable;
  k: string;
  h: string;
}

export const sealTableLabels: Record<SealTable, string> = {
  entry_versions: '診療記録の確定版',
  lab_results: '検査結果',
  bill_versions: '会計の確定版',
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A key as written by sealRows; anything else (a forged detail) is refused before it reaches SQL. */
function parseKey(table: SealTable, key: string): { id: string; version: number } | null {
  if (table === 'lab_results') return uuidPattern.test(key) ? { id: key, version: 0 } : null;
  const m = /^([0-9a-f-]{36}):(\d{1,9})$/.exec(key);
  return m && uuidPattern.test(m[1] ?? '') ? { id: m[1] as string, version: Number(m[2]) } : null;
}

const utc = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

/**
 * Per table: the immutable columns as text (what is hashed), selected by key. Approval of a proxy entry
 * (approved_by/approved_at, set once later) and the bill's payments are not part of the sealed content.
 */
function selectRows(table: SealTable, facilityId: string, keys: { id: string; version: number }[]): SQL {
  const ids = `{${keys.map((k) => k.id).join(',')}}`;
  const versions = `{${keys.map((k) => k.version).join(',')}}`;
  switch (table) {
    case 'entry_versions':
      return sql`select entry_id::text || ':' || version::text as k, entry_id::text as "entryId", version,
          facility_id::text as "facilityId", content::text as content, entered_by::text as "enteredBy",
          responsible_doctor::text as "responsibleDoctor", reason, ${utc('created_at')} as "createdAt"
        from entry_versions
        where facility_id = ${facilityId}
          and (entry_id, version) in (select * from unnest(${ids}::uuid[], ${versions}::int[]))`;
    case 'bill_versions':
      return sql`select bill_id::text || ':' || version::text as k, bill_id::text as "billId", version,
          facility_id::text as "facilityId", content::text as content, points, charge_yen as "chargeYen",
          reason, created_by::text as "createdBy", ${utc('created_at')} as "createdAt"
        from bill_versions
        where facility_id = ${facilityId}
          and (bill_id, version) in (select * from unnest(${ids}::uuid[], ${versions}::int[]))`;
    case 'lab_results':
      return sql`select id::text as k, id::text as id, facility_id::text as "facilityId",
          patient_id::text as "patientId", collected_on::text as "collectedOn", code, code_system as "codeSystem",
          name, value, value_num::text as "valueNum", unit, ref_low::text as "refLow",
          ref_high::text as "refHigh", ref_text as "refText", flag, import_id::text as "importId",
          supersedes::text as supersedes, correction_reason as "correctionReason",
          entered_by::text as "enteredBy", ${utc('created_at')} as "createdAt"
        from lab_results
        where facility_id = ${facilityId} and id = any(${ids}::uuid[])`;
  }
}

/** sha256 of the canonical JSON of a row's immutable columns (jsonb content parsed, keys sorted). */
function rowHash(table: SealTable, row: Record<string, unknown>): string {
  const { k: _k, content, ...columns } = row;
  const value: Record<string, unknown> = { table, ...columns };
  if (typeof content === 'string') value.content = JSON.parse(content);
  for (const n of ['version', 'points', 'chargeYen'] as const)
    if (value[n] !== undefined && value[n] !== null) value[n] = Number(value[n]);
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Current hashes of the rows named by `keys` (a key absent from the map: no such row in this facility). */
export async function currentRowHashes(
  db: Tx,
  facilityId: string,
  table: SealTable,
  keys: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const parsed = keys.flatMap((k) => {
    const p = parseKey(table, k);
    return p ? [p] : [];
  });
  for (let i = 0; i < parsed.length; i += 2000) {
    const rows = rowsOf<Record<string, unknown> & { k: string }>(
      await db.execute(selectRows(table, facilityId, parsed.slice(i, i + 2000))),
    );
    for (const row of rows) out.set(row.k, rowHash(table, row));
  }
  return out;
}

/**
 * The seals of rows just written, for the detail of the audit event recorded in the same transaction: read
 * back with the very query the verifier uses, so both hash the same text.
 */
export async function sealRows(
  db: Tx,
  facilityId: string,
  table: SealTable,
  keys: string[],
): Promise<Seal[]> {
  const hashes = await currentRowHashes(db, facilityId, table, keys);
  return keys.map((k) => {
    const h = hashes.get(k);
    if (!h) throw new Error(`sealRows: ${table} ${k} not found`);
    return { t: table, k, h };
  });
}

/** The seals an event's detail carries (ill-formed entries are returned too, flagged, for the report). */
export function sealsOf(detail: Record<string, unknown>): { seal: Seal; wellFormed: boolean }[] {
  const list = detail.sealed;
  if (!Array.isArray(list)) return [];
  return list.map((s) => {
    const o = (s ?? {}) as Record<string, unknown>;
    const t = o.t as SealTable;
    const wellFormed =
      sealTables.includes(t) &&
      typeof o.k === 'string' &&
      typeof o.h === 'string' &&
      parseKey(t, o.k) !== null;
    return { seal: { t, k: String(o.k), h: String(o.h) }, wellFormed };
  });
}
