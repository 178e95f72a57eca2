import { mkdirSync, readFileSync } from 'node:fs';
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
import { applyAppGrants, privilegeProblems } from './roles';
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
  /**
   * PostgreSQL only: how far least privilege is in force for the role the application connected as — what
   * stands in its way (empty when it is), and whether an owner URL ran the migrations and the grants.
   */
  privileges?: { ownerMigrated: boolean; problems: string[] };
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
  /**
   * PostgreSQL only: the owner role's URL. Migrations (and `ownerSetup`) run as the owner, then the role of
   * `databaseUrl` is granted what the application needs (roles.ts); the application's connection migrates nothing.
   */
  ownerUrl?: string;
  /** Run as the owner after the migrations, before the grants (the job queue's schema). */
  ownerSetup?: (ownerUrl: string) => Promise<void>;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** PGlite only: start from this data-folder dump (tests copy a prepared template this way). */
  loadDataDir?: Blob;
}

export const migrationsFolder = join(
  dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')),
  'migrations',
);

/** A database URL without its password, for logs and messages. */
export function redactDatabaseUrl(url: string): string {
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
    let privileges: KarteDb['privileges'];
    try {
      if (options.ownerUrl) {
        const [me] = await client<{ role: string }[]>`select current_user::text as role`;
        await prepareAsOwner(options.ownerUrl, me?.role ?? '', migrateOnOpen, options.ownerSetup);
      } else if (migrateOnOpen) {
        await migrateUnlessUnprivileged(client, db as unknown as Database);
      }
      privileges = { ownerMigrated: !!options.ownerUrl, problems: await privilegeProblems(client) };
    } catch (error) {
      await client.end({ timeout: 5 });
      throw error;
    }
    karte = {
      db: db as unknown as Database,
      kind: 'postgres',
      location: redactDatabaseUrl(options.databaseUrl),
      url: options.databaseUrl,
      privileges,
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

/** Migrations as the owner, the owner's extra setup, then the application role's grants (every run). */
async function prepareAsOwner(
  ownerUrl: string,
  appRole: string,
  migrateOnOpen: boolean,
  ownerSetup?: (ownerUrl: string) => Promise<void>,
) {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [me] = await owner<{ role: string }[]>`select current_user::text as role`;
    if (me?.role === appRole)
      throw new Error(
        `DATABASE_OWNER_URL and DATABASE_URL connect as the same role (${appRole}): the application must use another role`,
      );
    if (migrateOnOpen) await migratePostgres(drizzlePostgres(owner), { migrationsFolder });
    await ownerSetup?.(ownerUrl);
    await applyAppGrants(owner, appRole);
  } finally {
    await owner.end({ timeout: 5 });
  }
}

/** The number of migrations this build carries. */
export function bundledMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/**
 * With one URL: migrate as that role, as always. A role that may not create schemas (an application role set up
 * for least privilege) cannot run drizzle's migrator even when nothing is pending, so it skips it when the
 * database is up to date and says what to do when it is not.
 */
async function migrateUnlessUnprivileged(client: postgres.Sql, db: Database) {
  const [p] = await client<{ can: boolean }[]>`
    select has_database_privilege(current_database(), 'CREATE') as can`;
  if (!p?.can) {
    const [t] = await client<{ exists: boolean }[]>`
      select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
    if (t?.exists && (await migrationLevel(db)) >= bundledMigrationCount()) return;
    throw new Error(
      'the database needs migrations and DATABASE_URL may not run them: set DATABASE_OWNER_URL to the owner role (README, "Database roles")',
    );
  }
  await migratePostgres(db as unknown as Parameters<typeof migratePostgres>[0], { migrationsFolder });
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
