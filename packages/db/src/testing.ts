import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type KarteDb, openDb } from './open';

/**
 * A fresh, migrated database for one integration test file: in-memory PGlite, or — when
 * KARTE_TEST_DB=postgres — a new database on the DATABASE_URL server, dropped on close.
 */
export async function openTestDb(): Promise<KarteDb> {
  if (process.env.KARTE_TEST_DB !== 'postgres') return openDb({ dataDir: 'memory://' });
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('KARTE_TEST_DB=postgres needs DATABASE_URL');
  const name = `karte_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const karte = await openDb({ databaseUrl: url.toString(), maxConnections: 5 });
  const close = karte.close;
  karte.close = async () => {
    await close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  return karte;
}
