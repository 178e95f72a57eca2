import { sql } from 'drizzle-orm';
import type { Tx } from '../open';

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];

/** No tables, sequences or views outside the system schemas: a database a backup may be restored into. */
export async function isDatabaseEmpty(db: Tx): Promise<boolean> {
  const result = await db.execute(sql`
    select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'S', 'v', 'm', 'f')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0) === 0;
}
