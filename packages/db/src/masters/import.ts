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

export const bundledMasters: Record<MasterKind, string> = {
  diseases: join(
    dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')),
    'masters/diseases-medis.csv',
  ),
  drugs: join(
    dirname(createRequire(import.meta.url).resolve('@karte/db/package.json')),
    'masters/drugs-mhlw-price-2025-07-16.csv',
  ),
};

/** Which master a file is, by its header row. */
export function masterKindOf(header: string[]): MasterKind | null {
  if (header.includes('medis_record_no') && header.includes('name_kana')) return 'diseases';
  if (header.includes('薬価基準収載医薬品コード') && header.includes('品名')) return 'drugs';
  return null;
}

const BATCH = 1000;

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
  const col = (name: string) => header.indexOf(name);
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const chunk = rows.slice(i, i + BATCH);
      if (kind === 'diseases') {
        const [code, icd10, name, kana, abbrev, exchange] = [
          'medis_record_no',
          'icd10',
          'name',
          'name_kana',
          'name_abbrev',
          'exchange_code',
        ].map(col) as number[];
        await tx
          .insert(diseases)
          .values(
            chunk.map((r) => ({
              code: r[code!] ?? '',
              icd10: r[icd10!] ?? '',
              name: r[name!] ?? '',
              nameKana: r[kana!] ?? '',
              abbrev: r[abbrev!] ?? '',
              exchangeCode: r[exchange!] ?? '',
              nameNorm: normalizeForSearch(r[name!] ?? ''),
              kanaNorm: normalizeForSearch(r[kana!] ?? ''),
            })),
          )
          .onConflictDoUpdate({
            target: diseases.code,
            set: {
              icd10: sql`excluded.icd10`,
              name: sql`excluded.name`,
              nameKana: sql`excluded.name_kana`,
              abbrev: sql`excluded.abbrev`,
              exchangeCode: sql`excluded.exchange_code`,
              nameNorm: sql`excluded.name_norm`,
              kanaNorm: sql`excluded.kana_norm`,
            },
          });
      } else {
        const [k, code, ingredient, spec, name, maker, price] = [
          '区分',
          '薬価基準収載医薬品コード',
          '成分名',
          '規格',
          '品名',
          'メーカー名',
          '薬価',
        ].map(col) as number[];
        // The list repeats a code for some 統一名収載品: the last row wins.
        const byCode = new Map(chunk.map((r) => [r[code!] ?? '', r]));
        await tx
          .insert(drugs)
          .values(
            [...byCode.values()].map((r) => ({
              code: r[code!] ?? '',
              kind: r[k!] ?? '',
              ingredient: r[ingredient!] ?? '',
              spec: r[spec!] ?? '',
              name: r[name!] ?? '',
              maker: r[maker!] ?? '',
              price: r[price!] || null,
              nameNorm: normalizeForSearch(r[name!] ?? ''),
            })),
          )
          .onConflictDoUpdate({
            target: drugs.code,
            set: {
              kind: sql`excluded.kind`,
              ingredient: sql`excluded.ingredient`,
              spec: sql`excluded.spec`,
              name: sql`excluded.name`,
              maker: sql`excluded.maker`,
              price: sql`excluded.price`,
              nameNorm: sql`excluded.name_norm`,
            },
          });
      }
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
