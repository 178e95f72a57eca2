import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import {
  applySskFile,
  nameOfCols,
  readSskFile,
  type SskFile,
  sskRowKeys,
  type TariffKind,
  type TariffVersion,
  unlistedEndOf,
} from '@karte/billing';
import {
  closeUnlistedTariff,
  type Database,
  lockTariff,
  recordTariffImport,
  type TariffVersionRow,
  type Tx,
  tariffFileImported,
  tariffIsEmpty,
  tariffVersionsOf,
  upsertTariffVersions,
} from '@karte/db';

// Loading the 支払基金 基本マスター files into tariff_items: @karte/billing reads and applies a file (full, or a
// monthly change merged into each code's current version), @karte/db keeps the versions and the import log.

/** s_/y_/t_/c_ + ALL + date (全件) or + date (変更), as .csv or .zip. */
const sskName = /^([sytc])_(ALL)?(\d{8})\.(csv|zip)$/i;
const kindOrder: TariffKind[] = ['procedure', 'drug', 'material', 'comment'];
const kindOfLetter: Record<string, TariffKind> = { s: 'procedure', y: 'drug', t: 'material', c: 'comment' };

export function isSskFileName(path: string): boolean {
  return sskName.test(basename(path));
}

/** A file's place in load order, or a one-line refusal when the name is not a 支払基金 master's. */
function orderKeyOf(path: string) {
  const m = sskName.exec(basename(path));
  if (!m) {
    throw new Error(
      `${basename(path)}: 支払基金の基本マスターのファイル名ではありません（s_/y_/t_/c_ で始まる .csv か .zip）`,
    );
  }
  const kind = kindOrder.indexOf(kindOfLetter[(m[1] ?? '').toLowerCase()] as TariffKind);
  return { full: m[2] ? 0 : 1, date: m[3] ?? '', kind };
}

/** Full files first, then change files by date (within a date: 診療行為, 医薬品, 特定器材, コメント). */
export function sskFileOrder(paths: string[]): string[] {
  return [...paths].sort((a, b) => {
    const x = orderKeyOf(a);
    const y = orderKeyOf(b);
    return x.full - y.full || x.date.localeCompare(y.date) || x.kind - y.kind;
  });
}

export interface TariffFileResult {
  file: string;
  kind: TariffKind;
  full: boolean;
  fileDate: string;
  rows: number; // rows in the file
  codes: number; // codes the file added, changed or closed
  skipped: boolean; // the same file (by hash) was loaded before
}

function readFile(path: string): { file: SskFile; sha256: string } {
  const data = readFileSync(path);
  try {
    return { file: readSskFile(basename(path), new Uint8Array(data)), sha256: sha256Of(data) };
  } catch (error) {
    throw new Error(`${basename(path)}: ${(error as Error).message}`);
  }
}

const sha256Of = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const withName = (v: TariffVersion): TariffVersionRow => ({ ...v, ...nameOfCols(v.kind, v.cols) });

function resultOf(path: string, file: SskFile, codes: number, skipped: boolean): TariffFileResult {
  return {
    file: basename(path),
    kind: file.kind,
    full: file.full,
    fileDate: file.fileDate,
    rows: file.rows.length,
    codes,
    skipped,
  };
}

/**
 * Loads one master file in one transaction: a change file's rows become new versions from their 変更年月日
 * (the previous one closed), 廃止 closes a code; a full file also ends every code of its kind it no longer
 * lists the day before its revision date. The same file again (same sha256) changes nothing.
 */
export async function importTariffFile(db: Database, path: string): Promise<TariffFileResult> {
  orderKeyOf(path); // refuses a file that is not named as a master
  const { file, sha256 } = readFile(path);
  return inFileTransaction(path, db, async (tx) => {
    await lockTariff(tx);
    if (await tariffFileImported(tx, sha256)) return resultOf(path, file, 0, true);
    // The codes the file lists are applied in memory (only theirs are read); a full file then closes every
    // other open code of its kind in the database, as applySskFile does with the codes it holds.
    const codes = file.rows.map((r) => sskRowKeys(file.kind, r).code);
    const existing = await tariffVersionsOf(tx, file.kind, codes);
    const versions = applySskFile(existing, file);
    await upsertTariffVersions(tx, versions.map(withName));
    const closed = file.full ? await closeUnlistedTariff(tx, file.kind, codes, unlistedEndOf(file)) : [];
    await recordTariffImport(tx, { kind: file.kind, source: path, sha256, rows: file.rows.length });
    return resultOf(path, file, new Set([...versions.map((v) => v.code), ...closed]).size, false);
  });
}

/** One transaction per file; a failure names the file (nothing of it is written). */
async function inFileTransaction<T>(path: string, db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    throw new Error(`${basename(path)}: 読み込めませんでした（${(error as Error).message}）`, {
      cause: error,
    });
  }
}

/** Several files (full first, then changes in date order), each in its own transaction. */
export async function importTariffFiles(db: Database, paths: string[]): Promise<TariffFileResult[]> {
  const results: TariffFileResult[] = [];
  for (const path of sskFileOrder(paths)) results.push(await importTariffFile(db, path));
  return results;
}

/** The bundled 支払基金 set: the 2024-06 full files and every monthly change file after them. */
export function bundledTariffFiles(): string[] {
  const root = join(
    dirname(createRequire(import.meta.url).resolve('@karte/billing/package.json')),
    'masters',
    'ssk-2024-06',
  );
  const names = (dir: string) =>
    readdirSync(dir)
      .filter(isSskFileName)
      .map((n) => join(dir, n));
  return sskFileOrder([...names(root), ...names(join(root, 'updates'))]);
}

/**
 * First boot: an empty tariff gets the bundled set. The files are applied in memory and written at once in
 * one transaction (one write per code instead of one per file and code), each file logged with its hash.
 */
export async function ensureTariff(db: Database): Promise<{ files: number; versions: number } | null> {
  if (!(await tariffIsEmpty(db))) return null;
  const store = new Map<string, Map<string, TariffVersion>>(); // kind:code → validFrom → version
  const keyOf = (kind: TariffKind, code: string) => `${kind}:${code}`;
  const files = bundledTariffFiles().map((path) => ({ path, ...readFile(path) }));
  for (const { file } of files) {
    const codes = file.rows.map((r) => keyOf(file.kind, sskRowKeys(file.kind, r).code));
    const existing = [...new Set(codes)].flatMap((k) => [...(store.get(k)?.values() ?? [])]);
    for (const v of applySskFile(existing, file)) {
      const k = keyOf(v.kind, v.code);
      const versions = store.get(k) ?? new Map<string, TariffVersion>();
      versions.set(v.validFrom, v);
      store.set(k, versions);
    }
  }
  const all = [...store.values()].flatMap((versions) => [...versions.values()]);
  return db.transaction(async (tx) => {
    await lockTariff(tx);
    if (!(await tariffIsEmpty(tx))) return null; // another process loaded it meanwhile
    await upsertTariffVersions(tx, all.map(withName), 'new');
    for (const { path, file, sha256 } of files) {
      await recordTariffImport(tx, { kind: file.kind, source: path, sha256, rows: file.rows.length });
    }
    return { files: files.length, versions: all.length };
  });
}
