import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { type KarteDb, type OpenOptions, openDb } from './open';
import { setUpRoles, takeOverStatements } from './roles';

/**
 * A database prepared once per test run (migrated, code masters, maybe the demo clinic) that each test file
 * copies instead of building the same rows again: a PGlite data-folder dump, or a PostgreSQL template database.
 */
export type TestTemplate = { kind: 'pglite'; file: string } | { kind: 'postgres'; database: string };

const serverUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('KARTE_TEST_DB=postgres needs DATABASE_URL');
  return url;
};
const withDatabase = (server: string, name: string) => {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * A fresh, migrated database for one integration test file: in-memory PGlite, or — when
 * KARTE_TEST_DB=postgres — a new database on the DATABASE_URL server, dropped on close. Given a template, the
 * new database starts as a copy of it (and is migrated as usual, which finds nothing to do).
 */
export async function openTestDb(
  from?: TestTemplate,
  options: Pick<OpenOptions, 'ownerSetup'> = {},
): Promise<KarteDb> {
  const kind = process.env.KARTE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  if (from && from.kind !== kind)
    throw new Error(`a ${from.kind} template cannot start a ${kind} test database`);
  if (kind === 'pglite') {
    return openDb({
      dataDir: 'memory://',
      ...(from?.kind === 'pglite' ? { loadDataDir: new Blob([readFileSync(from.file)]) } : {}),
    });
  }
  const server = serverUrl();
  const name = `karte_test_${randomBytes(6).toString('hex')}`;
  if (process.env.KARTE_TEST_ROLES === 'split') return openSplitTestDb(server, name, from, options);
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    from?.kind === 'postgres'
      ? `create database ${name} template ${from.database}`
      : `create database ${name}`,
  );
  const karte = await openDb({ databaseUrl: withDatabase(server, name), maxConnections: 5 });
  const close = karte.close;
  karte.close = async () => {
    await close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return karte;
}

/**
 * KARTE_TEST_ROLES=split (PostgreSQL): the test database is owned by an owner role of its own and the test
 * connects as an application role — least privilege as `DATABASE_OWNER_URL` sets it up — to show that Karte's
 * work needs nothing more. Tests that tamper with the database on purpose fail this way, as they should.
 */
async function openSplitTestDb(
  server: string,
  name: string,
  from: TestTemplate | undefined,
  options: Pick<OpenOptions, 'ownerSetup'>,
): Promise<KarteDb> {
  const ownerRole = `${name}_owner`;
  const appRole = `${name}_app`;
  const as = (role: string) => {
    const u = new URL(withDatabase(server, name));
    u.username = role;
    u.password = '';
    return u.toString();
  };
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await setUpRoles(server, { ownerRole, appRole });
  await admin.unsafe(
    `create database ${name} owner ${ownerRole}${from?.kind === 'postgres' ? ` template ${from.database}` : ''}`,
  );
  // A template's objects belong to the superuser that built it: hand them over as db:roles would.
  const inDb = postgres(withDatabase(server, name), { max: 1, onnotice: () => {} });
  for (const s of takeOverStatements(name, ownerRole, appRole)) await inDb.unsafe(s);
  await inDb.end();
  const karte = await openDb({
    databaseUrl: as(appRole),
    ownerUrl: as(ownerRole),
    maxConnections: 5,
    ...options,
  });
  const close = karte.close;
  karte.close = async () => {
    await close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`drop role if exists ${appRole}`);
    await admin.unsafe(`drop role if exists ${ownerRole}`);
    await admin.end();
  };
  return karte;
}

/**
 * Builds a template of the given kind: a new migrated database, filled by `fill`, then kept (a dump file for
 * PGlite, a database on the server for PostgreSQL). `drop` removes it at the end of the run.
 */
export async function createTestTemplate(
  kind: 'pglite' | 'postgres',
  label: string,
  fill: (karte: KarteDb) => Promise<void>,
): Promise<{ template: TestTemplate; drop: () => Promise<void> }> {
  const id = `${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (kind === 'pglite') {
    const karte = await openDb({ dataDir: 'memory://' });
    try {
      await fill(karte);
      const dump = await karte.pglite?.dumpDataDir('none');
      if (!dump) throw new Error('PGlite gave no data-folder dump');
      const file = join(tmpdir(), `karte-template-${id}.tar`);
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
      return { template: { kind, file }, drop: async () => rmSync(file, { force: true }) };
    } finally {
      await karte.close();
    }
  }
  const server = serverUrl();
  const database = `karte_template_${id}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const drop = async () => {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  };
  try {
    await admin.unsafe(`create database ${database}`);
    // One connection, closed before any copy: CREATE DATABASE … TEMPLATE needs the template unused.
    const karte = await openDb({ databaseUrl: withDatabase(server, database), maxConnections: 1 });
    try {
      await fill(karte);
    } finally {
      await karte.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { template: { kind, database }, drop };
}
