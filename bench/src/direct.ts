import { appendAuditSql, type KarteDb, parsePatientQuery, searchPatients } from '@karte/db';
import type postgres from 'postgres';

export const LIMIT = 20; // as the search screen asks (apps/web PatientSearchPage PAGE)

/**
 * The database work of one patient search without the API: the search SQL exactly as the app's
 * query builder writes it and the same audit statement, in one transaction, straight through the
 * driver. `prepare(term)` builds the statements (app work, not timed); the returned function runs them.
 */
export function directSearch(karte: KarteDb, facilityId: string, userId: string) {
  const dialect = (
    karte.db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }
  ).dialect;
  const audit = (term: string, kind: string, ids: string[]) =>
    dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId: null,
        action: 'search',
        procedure: 'reception.searchPatients',
        outcome: 'ok',
        detail: { query: term, kind, patientIds: ids },
      }),
    );
  return (term: string): (() => Promise<{ id: string }[]>) => {
    const q = parsePatientQuery(term);
    if (!q) throw new Error(`no query for ${term}`);
    const s = searchPatients(karte.db, facilityId, q, LIMIT).toSQL();
    const params = s.params as unknown[];
    if (karte.pglite) {
      const pg = karte.pglite;
      return () =>
        pg.transaction(async (tx) => {
          const rows = (await tx.query<{ id: string }>(s.sql, params)).rows;
          const a = audit(
            term,
            q.kind,
            rows.map((r) => r.id),
          );
          await tx.query(a.sql, a.params);
          return rows;
        });
    }
    const sql = karte.sql as postgres.Sql;
    return () =>
      sql.begin(async (tx) => {
        // Prepared like the app's search; the audit call unprepared like the app's.
        const rows = await tx.unsafe<{ id: string }[]>(s.sql, params as never[], { prepare: true });
        const a = audit(
          term,
          q.kind,
          rows.map((r) => r.id),
        );
        await tx.unsafe(a.sql, a.params as never[]);
        return [...rows];
      }) as Promise<{ id: string }[]>;
  };
}
