import { normalizeForSearch } from '@karte/domain';
import { and, asc, desc, eq, gte, inArray, isNull, like, lte, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { masterImports, tariffItems } from '../schema';

// 支払基金 基本マスター (tariff) storage. Reading the files belongs to @karte/billing, which this package may not
// import: the API reads and applies a file, these helpers keep the versions and the import log.

export type TariffKind = (typeof tariffItems.$inferSelect)['kind'];
export const tariffKinds: TariffKind[] = ['procedure', 'drug', 'material', 'comment'];

/** One version of a code, as stored and as @karte/billing's TariffVersion. */
export interface StoredTariffVersion {
  kind: TariffKind;
  code: string;
  validFrom: string;
  validTo: string | null;
  cols: string[];
}

/** A version to store, with its display name and reading (for search). */
export interface TariffVersionRow extends StoredTariffVersion {
  name: string;
  kana: string;
}

/** The import log's kind for a tariff file (master_imports.kind). */
export const tariffImportKind = (kind: TariffKind) => `tariff:${kind}`;

const BATCH = 2000;
const stored = {
  kind: tariffItems.kind,
  code: tariffItems.code,
  validFrom: tariffItems.validFrom,
  validTo: tariffItems.validTo,
  cols: tariffItems.cols,
};

/** Tariff loads one at a time (across processes too): the emptiness and same-file checks then hold. */
export async function lockTariff(tx: Tx) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('tariff-load', 0))`);
}

/** Was this file (by its hash) already loaded? Re-importing the same file is then a no-op. */
export async function tariffFileImported(tx: Tx, sha256: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: masterImports.id })
    .from(masterImports)
    .where(and(eq(masterImports.sha256, sha256), like(masterImports.kind, 'tariff:%')))
    .limit(1);
  return row !== undefined;
}

/** Every stored version of these codes (all codes of the kind when `codes` is absent), oldest first. */
export async function tariffVersionsOf(
  tx: Tx,
  kind: TariffKind,
  codes?: string[],
): Promise<StoredTariffVersion[]> {
  if (codes?.length === 0) return [];
  const out: StoredTariffVersion[] = [];
  const chunks = codes ? chunked([...new Set(codes)], BATCH) : [undefined];
  for (const chunk of chunks) {
    out.push(
      ...(await tx
        .select(stored)
        .from(tariffItems)
        .where(and(eq(tariffItems.kind, kind), chunk ? inArray(tariffItems.code, chunk) : undefined))
        .orderBy(asc(tariffItems.code), asc(tariffItems.validFrom))),
    );
  }
  return out;
}

/** Every stored version of every kind (what a Tariff in memory is built from). */
export function allTariffVersions(tx: Tx): Promise<StoredTariffVersion[]> {
  return tx.select(stored).from(tariffItems);
}

/**
 * Writes versions (new, or an existing one closed or corrected: the key is kind, code and 変更年月日) in
 * batches. One JSON parameter per batch: far faster than a parameter per value for rows of 150 columns
 * (and json, not jsonb, as the parameter: a third faster on PGlite, the columns become jsonb once).
 */
export async function upsertTariffVersions(
  tx: Tx,
  versions: TariffVersionRow[],
  /** 'new': the versions are known not to be stored yet (first load of an empty table): a plain insert. */
  mode: 'upsert' | 'new' = 'upsert',
) {
  const onConflict =
    mode === 'new'
      ? sql``
      : sql`on conflict (kind, code, valid_from) do update set
        valid_to = excluded.valid_to, name = excluded.name, name_norm = excluded.name_norm,
        kana_norm = excluded.kana_norm, cols = excluded.cols`;
  for (const chunk of chunked(versions, BATCH)) {
    const rows = chunk.map((v) => ({
      kind: v.kind,
      code: v.code,
      valid_from: v.validFrom,
      valid_to: v.validTo,
      name: v.name,
      name_norm: normalizeForSearch(v.name),
      kana_norm: normalizeForSearch(v.kana),
      cols: v.cols,
    }));
    await tx.execute(sql`
      insert into tariff_items (kind, code, valid_from, valid_to, name, name_norm, kana_norm, cols)
      select kind, code, valid_from, valid_to, name, name_norm, kana_norm, cols
        from json_populate_recordset(null::tariff_items, ${JSON.stringify(rows)}::json)
      ${onConflict}`);
  }
}

/**
 * A full (全件) file lists every code in force: each code of the kind it does not list ends on `lastDay` (the day
 * before the file's revision date). Only a code's latest version, when it is open or ends later and started by
 * then (a version a later change file begins after the revision stays). The listed codes go as one JSON
 * parameter (a full file lists ≈ 11,000: far beyond a parameter per code). Returns the closed codes.
 */
export async function closeUnlistedTariff(
  tx: Tx,
  kind: TariffKind,
  listedCodes: string[],
  lastDay: string,
): Promise<string[]> {
  const rows = (await tx.execute(sql`
    update tariff_items t set valid_to = ${lastDay}
     where t.kind = ${kind}
       and t.valid_from <= ${lastDay}
       and (t.valid_to is null or t.valid_to > ${lastDay})
       and not exists (select 1 from tariff_items later
                        where later.kind = t.kind and later.code = t.code and later.valid_from > t.valid_from)
       and t.code not in (select json_array_elements_text(${JSON.stringify([...new Set(listedCodes)])}::json))
    returning t.code`)) as unknown as { rows?: { code: string }[] } | { code: string }[];
  const list = Array.isArray(rows) ? rows : (rows.rows ?? []);
  return list.map((r) => r.code);
}

/** Logs a loaded tariff file (its hash makes a second import of it a no-op). */
export async function recordTariffImport(
  tx: Tx,
  v: { kind: TariffKind; source: string; sha256: string; rows: number },
) {
  const [row] = await tx
    .insert(masterImports)
    .values({ kind: tariffImportKind(v.kind), source: v.source, sha256: v.sha256, rows: v.rows })
    .returning({ id: masterImports.id });
  return row?.id ?? 0;
}

/** The newest tariff import's id (0: none): a Tariff held in memory is stale when this grows. */
export async function latestTariffImport(tx: Tx): Promise<number> {
  const [row] = await tx
    .select({ id: masterImports.id })
    .from(masterImports)
    .where(like(masterImports.kind, 'tariff:%'))
    .orderBy(desc(masterImports.id))
    .limit(1);
  return row?.id ?? 0;
}

export async function tariffIsEmpty(tx: Tx): Promise<boolean> {
  const [row] = await tx.select({ code: tariffItems.code }).from(tariffItems).limit(1);
  return row === undefined;
}

const escapeLike = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Versions valid on `date` whose code starts with the text, or whose name or reading contains it (width,
 * hiragana/katakana and case folded): code matches first, then names that start with it, shortest first.
 */
export async function searchTariff(
  tx: Tx,
  input: { text: string; date: string; kinds: TariffKind[]; limit: number },
): Promise<StoredTariffVersion[]> {
  const q = normalizeForSearch(input.text);
  if (!q || input.kinds.length === 0) return [];
  const valid = and(
    inArray(tariffItems.kind, input.kinds),
    lte(tariffItems.validFrom, input.date),
    or(isNull(tariffItems.validTo), gte(tariffItems.validTo, input.date)),
  );
  const prefix = `${escapeLike(q)}%`;
  const inside = `%${escapeLike(q)}%`;
  return tx
    .select(stored)
    .from(tariffItems)
    .where(
      and(
        valid,
        or(
          like(tariffItems.code, prefix),
          like(tariffItems.nameNorm, inside),
          like(tariffItems.kanaNorm, inside),
        ),
      ),
    )
    .orderBy(
      sql`case when ${tariffItems.code} like ${prefix} then 0
               when ${tariffItems.nameNorm} like ${prefix} or ${tariffItems.kanaNorm} like ${prefix} then 1
               else 2 end`,
      sql`length(${tariffItems.nameNorm})`,
      asc(tariffItems.code),
    )
    .limit(input.limit);
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
