import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalizeForSearch } from '@karte/domain';
import { parse } from 'csv-parse/sync';
import { count, sql } from 'drizzle-orm';
import type { Database } from '../open';
import { diseases, drugs, masterImports } from '../schema';

export type MasterKind = 'diseases' | 'drugs';

const mastersDir = join(dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')), 'masters');

export const bundledMasters: Record<MasterKind, string> = {
  diseases: join(mastersDir, 'diseases-medis.csv'),
  drugs: join(mastersDir, 'drugs-mhlw-price-2025-07-16.csv'),
};

/** Which master a file is, by its header row. */
export function masterKindOf(header: string[]): MasterKind | null {
  if (header.includes('medis_record_no') && header.includes('name_kana')) return 'diseases';
  if (header.includes('薬価基準収載医薬品コード') && header.includes('品名')) return 'drugs';
  return null;
}

const BATCH = 1000;

type Cell = (column: string) => string;

/** Each master: its table and how a CSV row (read by column name) becomes a table row. */
const specs = {
  diseases: {
    table: diseases,
    row: (cell: Cell) => ({
      code: cell('medis_record_no'),
      icd10: cell('icd10'),
      name: cell('name'),
      nameKana: cell('name_kana'),
      abbrev: cell('name_abbrev'),
      exchangeCode: cell('exchange_code'),
      nameNorm: normalizeForSearch(cell('name')),
      kanaNorm: normalizeForSearch(cell('name_kana')),
    }),
  },
  drugs: {
    table: drugs,
    row: (cell: Cell) => ({
      code: cell('薬価基準収載医薬品コード'),
      kind: cell('区分'),
      ingredient: cell('成分名'),
      spec: cell('規格'),
      name: cell('品名'),
      maker: cell('メーカー名'),
      price: cell('薬価') || null,
      nameNorm: normalizeForSearch(cell('品名')),
    }),
  },
};

/**
 * Loads a master file (the bundled snapshot or a newer official one) in one transaction: rows are
 * upserted by code, so codes that disappear from a newer file stay readable for old records.
 */
export async function importMaster(db: Database, path: string): Promise<{ kind: MasterKind; rows: number }> {
  const buffer = readFileSync(path);
  const records = parse(buffer, { bom: true, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  const kind = header ? masterKindOf(header) : null;
  if (!header || !kind) throw new Error(`${path}: not a known master file (header not recognised)`);
  const index = new Map(header.map((name, i) => [name, i]));
  const { table, row } = specs[kind];
  const mapped = rows.map((r) => row((column) => r[index.get(column) ?? -1] ?? ''));
  // Every column but the code takes the newer file's value (columns are snake_case in the database).
  const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const update = Object.fromEntries(
    Object.keys(mapped[0] ?? {})
      .filter((key) => key !== 'code')
      .map((key) => [key, sql.raw(`excluded.${snake(key)}`)]),
  );
  await db.transaction(async (tx) => {
    for (let i = 0; i < mapped.length; i += BATCH) {
      // The drug list repeats a code for some 統一名収載品: within a batch the last row wins.
      const chunk = [...new Map(mapped.slice(i, i + BATCH).map((r) => [r.code, r])).values()];
      await tx
        .insert(table)
        .values(chunk as never[])
        .onConflictDoUpdate({ target: table.code, set: update });
    }
    await tx.insert(masterImports).values({
      kind,
      source: path,
      sha256: createHash('sha256').update(buffer).digest('hex'),
      rows: rows.length,
    });
  });
  return { kind, rows: rows.length };
}

/** First boot: load the bundled snapshots of masters that are still empty. */
export async function ensureMasters(db: Database) {
  const loaded: { kind: MasterKind; rows: number }[] = [];
  for (const [kind, table] of [
    ['diseases', diseases],
    ['drugs', drugs],
  ] as const) {
    const [row] = await db.select({ n: count() }).from(table);
    if ((row?.n ?? 0) === 0) loaded.push(await importMaster(db, bundledMasters[kind]));
  }
  return loaded;
}
