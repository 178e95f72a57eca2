/**
 * Where the offline export lives, outside the database:
 * - the key directory (KARTE_OFFLINE_KEY_DIR, mode 0700): `<facilityId>.key`, mode 0600, the key derived from
 *   the facility's passphrase (PBKDF2) with its salt and iteration count — never the passphrase itself;
 * - the export directory (KARTE_OFFLINE_DIR): `<facilityId>/<date>.html`, beside it `<date>.html.sha256`
 *   (the integrity hash of the encrypted payload) and `<date>.json` (generation time, patient count, hash).
 */
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OfflineKey } from './crypto';

export interface OfflineDirs {
  dir: string;
  keyDir: string;
}

const UUID = /^[0-9a-f-]{36}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function facilityPath(base: string, facilityId: string) {
  if (!UUID.test(facilityId)) throw new Error('not a facility id');
  return join(base, facilityId);
}

/** Writes atomically (temp file + rename) with the given mode. */
async function writeAtomic(path: string, data: string, mode: number) {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

interface KeyFile {
  format: 'karte-offline-key/1';
  facilityId: string;
  kdf: 'PBKDF2-SHA-256';
  iterations: number;
  salt: string;
  key: string;
  setAt: string;
}

export async function saveKey(dirs: OfflineDirs, facilityId: string, k: OfflineKey, setAt: Date) {
  // A folder made here is 0700; an existing one (the operator's choice) keeps its mode.
  await mkdir(dirs.keyDir, { recursive: true, mode: 0o700 });
  const file: KeyFile = {
    format: 'karte-offline-key/1',
    facilityId,
    kdf: 'PBKDF2-SHA-256',
    iterations: k.iterations,
    salt: k.salt.toString('base64'),
    key: k.key.toString('base64'),
    setAt: setAt.toISOString(),
  };
  await writeAtomic(`${facilityPath(dirs.keyDir, facilityId)}.key`, `${JSON.stringify(file)}\n`, 0o600);
}

export async function loadKey(
  dirs: OfflineDirs,
  facilityId: string,
): Promise<(OfflineKey & { setAt: string }) | null> {
  let text: string;
  try {
    text = await readFile(`${facilityPath(dirs.keyDir, facilityId)}.key`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const f = JSON.parse(text) as KeyFile;
  if (f.format !== 'karte-offline-key/1' || f.facilityId !== facilityId)
    throw new Error('bad offline key file');
  return {
    key: Buffer.from(f.key, 'base64'),
    salt: Buffer.from(f.salt, 'base64'),
    iterations: f.iterations,
    setAt: f.setAt,
  };
}

export interface OfflineFileMeta {
  date: string;
  generatedAt: string;
  patients: number;
  expected: number;
  recent: number;
  /** sha256 of the encrypted payload (the envelope text in the page). */
  sha256: string;
  bytes: number;
  trigger: 'schedule' | 'manual';
}

export async function writeExport(
  dirs: OfflineDirs,
  facilityId: string,
  html: string,
  meta: OfflineFileMeta,
) {
  if (!DATE.test(meta.date)) throw new Error('not a date');
  const dir = facilityPath(dirs.dir, facilityId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, meta.date);
  await writeAtomic(`${base}.html`, html, 0o600);
  await writeAtomic(`${base}.html.sha256`, `${meta.sha256}  payload of ${meta.date}.html\n`, 0o600);
  // The meta last: a listed file is a complete one.
  await writeAtomic(`${base}.json`, `${JSON.stringify(meta)}\n`, 0o600);
}

export async function listExports(dirs: OfflineDirs, facilityId: string): Promise<OfflineFileMeta[]> {
  const dir = facilityPath(dirs.dir, facilityId);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const metas: OfflineFileMeta[] = [];
  for (const name of names
    .filter((n) => /^\d{4}-\d{2}-\d{2}\.json$/.test(n))
    .sort()
    .reverse()) {
    try {
      metas.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as OfflineFileMeta);
    } catch {
      // A half-written or foreign file is not listed.
    }
  }
  return metas;
}

export async function readExport(dirs: OfflineDirs, facilityId: string, date: string) {
  if (!DATE.test(date)) return null;
  const path = join(facilityPath(dirs.dir, facilityId), `${date}.html`);
  try {
    await stat(path);
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Keeps the newest `keep` days; returns the dates removed. */
export async function pruneExports(dirs: OfflineDirs, facilityId: string, keep: number) {
  const dir = facilityPath(dirs.dir, facilityId);
  const metas = await listExports(dirs, facilityId);
  const old = metas.slice(Math.max(1, keep)).map((m) => m.date);
  for (const date of old)
    for (const suffix of ['.json', '.html', '.html.sha256'])
      await rm(join(dir, `${date}${suffix}`), { force: true });
  return old;
}
