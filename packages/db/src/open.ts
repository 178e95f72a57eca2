import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquireDataDirLock } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database: query helpers accept either. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

export interface KarteDb {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Where the data lives: a folder, memory://, or the server URL without its password. */
  location: string;
  /** The server URL (PostgreSQL only), for a second client such as the job queue's. */
  url?: string;
  /** The raw driver, for benchmarks that compare against it. */
  pglite?: PGlite;
  sql?: postgres.Sql;
  migrationLevel(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite folder, or 'memory://' for an in-memory database. */
  dataDir?: string;
  /** Apply migrations on open (default true). */
  migrate?: boolean;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** PGlite only: start from this data-folder dump (tests copy a prepared template this way). */
  loadDataDir?: Blob;
}

export const migrationsFolder = join(
  dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')),
  'migrations',
);

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

export async function openDb(options: OpenOptions = {}): Promise<KarteDb> {
  const migrateOnOpen = options.migrate ?? true;
  let karte: KarteDb;
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
    if (migrateOnOpen) await migratePostgres(db, { migrationsFolder });
    karte = {
      db: db as unknown as Database,
      kind: 'postgres',
      location: redact(options.databaseUrl),
      url: options.databaseUrl,
      sql: client,
      migrationLevel: () => migrationLevel(db as unknown as Database),
      close: () => client.end({ timeout: 5 }),
    };
  } else {
    const dataDir = options.dataDir ?? 'memory://';
    let release = () => {};
    let pgliteDir = dataDir;
    if (!dataDir.startsWith('memory://')) {
      const root = resolve(dataDir);
      mkdirSync(root, { recursive: true }); // PGlite does not create parent folders
      release = acquireDataDirLock(root);
      pgliteDir = join(root, 'pgdata');
    }
    try {
      const client = await PGlite.create(
        pgliteDir,
        options.loadDataDir ? { loadDataDir: options.loadDataDir } : {},
      );
      const db = drizzlePglite(client, { schema, casing: 'snake_case' });
      if (migrateOnOpen) await migratePglite(db, { migrationsFolder });
      karte = {
        db: db as unknown as Database,
        kind: 'pglite',
        location: dataDir,
        pglite: client,
        migrationLevel: () => migrationLevel(db as unknown as Database),
        close: async () => {
          await client.close();
          release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }
  return karte;
}

async function migrationLevel(db: Database): Promise<number> {
  const rows = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(
    (rows as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ??
      (rows as unknown as { n: number }[])[0]?.n ??
      0,
  );
}
