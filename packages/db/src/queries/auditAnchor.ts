import crypto, { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { canonicalJson } from './audit';

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

/** sha256 hex in one call (node:crypto's one-shot hash where the runtime has it). */
const sha256Hex: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash: (a: string, d: string) => string }).hash('sha256', text)
    : (text) => createHash('sha256').update(text).digest('hex');

const str = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));

/**
 * auditBody for a row read back, written out directly: the same text as canonicalJson of the eight fields (keys
 * in sorted order), without building the object. A unit test holds the two equal.
 */
export function auditBodyOf(e: ChainedFieldsText): string {
  return `{"action":${str(e.action)},"detail":${canonicalJson(e.detail)},"facilityId":${str(e.facilityId)},"occurredAt":${str(e.occurredAt)},"outcome":${str(e.outcome)},"patientId":${str(e.patientId)},"procedure":${str(e.procedure)},"userId":${str(e.userId)}}`;
}
export interface ChainedFieldsText {
  facilityId: string;
  occurredAt: string;
  userId: string | null;
  patientId: string | null;
  action: string;
  procedure: string;
  outcome: string;
  detail: unknown;
}

/** Seconds since the epoch as the server prints them ("1764547200.123456") → ISO time with milliseconds. */
let lastSeconds = '';
let lastPrefix = '';
export function epochToIso(epoch: string): string {
  if (epoch.startsWith('-')) return new Date(Math.floor(Number(epoch) * 1000)).toISOString();
  const dot = epoch.indexOf('.');
  const seconds = dot < 0 ? epoch : epoch.slice(0, dot);
  const ms = dot < 0 ? '000' : epoch.slice(dot + 1, dot + 4).padEnd(3, '0');
  // Events come in runs within the same second: the date and time up to the second are made once per run.
  if (seconds !== lastSeconds) {
    const iso = new Date(Number(seconds) * 1000).toISOString();
    lastPrefix = iso.slice(0, iso.length - 4);
    lastSeconds = seconds;
  }
  return `${lastPrefix}${ms}Z`;
}

/**
 * The events with afterSeq < seq ≤ toSeq, in order, `limit` at a time, each with its hash recomputed from its
 * columns (the formula of karte_append_audit). The page comes back as one text value, one line per event
 * (tab-separated, the jsonb detail last): one value instead of thousands of rows is what makes this fast on the
 * embedded database. The fields are codes, uuids and hex (no tab, no newline); the detail is JSON text.
 */
export async function auditChainPage(
  db: Tx,
  facilityId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): Promise<ChainEvent[]> {
  const page = await fetchChainText(db, facilityId, afterSeq, limit, toSeq);
  return page ? parseChainText(page.text, facilityId) : [];
}

/**
 * The whole chain after afterSeq, page by page; the next page is asked for before this one is hashed, so that
 * the database (its own process with PostgreSQL) reads while this process hashes. A page is a range of 連番
 * (seq in (after, after + limit]): bounded on both sides, the index on (facility_id, seq) is the plan even
 * when the table's statistics are stale (after a bulk load, a one-sided bound made PostgreSQL scan and sort).
 * A short page ends the walk: either the chain's end, or a gap the caller reports at its first missing 連番.
 */
export async function* auditChainPages(
  db: Tx,
  facilityId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): AsyncGenerator<ChainEvent[]> {
  let pending: Promise<ChainText | null> = fetchChainText(db, facilityId, afterSeq, limit, toSeq);
  try {
    for (;;) {
      const page = await pending;
      if (!page) return;
      pending =
        page.count < limit
          ? Promise.resolve(null)
          : fetchChainText(db, facilityId, page.lastSeq, limit, toSeq);
      yield parseChainText(page.text, facilityId);
    }
  } finally {
    // A walk that stops early leaves no query behind.
    await pending.catch(() => null);
  }
}

interface ChainText {
  text: string;
  count: number;
  lastSeq: number;
}

async function fetchChainText(
  db: Tx,
  facilityId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): Promise<ChainText | null> {
  const upper = toSeq === undefined ? sql`` : sql` and seq <= ${toSeq}`;
  const [row] = rowsOf<{ page: string | null; n: number | string; last: string | null }>(
    await db.execute(sql`
      select string_agg(concat_ws(E'\t', seq, extract(epoch from occurred_at), coalesce(user_id::text, ''),
          coalesce(patient_id::text, ''), action, procedure, outcome, prev_hash, hash, detail::text), E'\n'
          order by seq) as page, count(*) as n, max(seq)::text as last
      from (select * from audit_events
            where facility_id = ${facilityId} and seq > ${afterSeq} and seq <= ${afterSeq + limit}${upper}
            order by seq) e`),
  );
  if (!row?.page) return null;
  return { text: row.page, count: Number(row.n), lastSeq: Number(row.last) };
}

function parseChainText(text: string, facilityId: string): ChainEvent[] {
  const lines = text.split('\n');
  const out: ChainEvent[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const f: string[] = [];
    let from = 0;
    for (let n = 0; n < 9; n++) {
      const tab = line.indexOf('\t', from);
      f.push(tab < 0 ? line.slice(from) : line.slice(from, tab));
      from = tab < 0 ? line.length : tab + 1;
    }
    const seq = Number(f[0]);
    let detail: Record<string, unknown>;
    try {
      detail = JSON.parse(line.slice(from)) as Record<string, unknown>;
    } catch {
      detail = { unreadable: line.slice(from) };
    }
    const prevHash = f[7] as string;
    const body = auditBodyOf({
      facilityId,
      occurredAt: epochToIso(f[1] as string),
      userId: f[2] || null,
      patientId: f[3] || null,
      action: f[4] as string,
      procedure: f[5] as string,
      outcome: f[6] as string,
      detail,
    });
    out[i] = {
      seq,
      action: f[4] as string,
      detail,
      prevHash,
      hash: f[8] as string,
      computed: sha256Hex(`${prevHash}|${seq}|${body}`),
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
