import {
  type DoseLimit,
  type DrugClassEntry,
  type EntryContent,
  normalizeForSearch,
  type PrescriptionContent,
} from '@karte/domain';
import { and, asc, desc, eq, gte, inArray, like, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../open';
import {
  doseLimits,
  drugClasses,
  drugInteractions,
  drugs,
  encounters,
  entries,
  entryVersions,
  labCodes,
  labImports,
  labResults,
  patients,
  usages,
} from '../schema';

const escapeLike = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);

const drugColumns = {
  code: drugs.code,
  name: drugs.name,
  ingredient: drugs.ingredient,
  spec: drugs.spec,
  kind: drugs.kind,
  price: drugs.price,
};

/**
 * 薬剤検索: 品名 (kana or kanji, as typed), 成分名, or the 薬価基準 code — each a prefix on its own
 * COLLATE "C" index. Hiragana and width are folded on both sides.
 *
 * Order (what a doctor most likely means first):
 * 1. how it matched: 品名 starts with the query, then 成分名, then code;
 * 2. the usual form: 内用薬 before 外用薬 before 注射薬, and among 内用薬 錠 (code position 8 = F) then
 *    カプセル (M), then the rest (散・顆粒・シロップ …) — かろなーる gives カロナール錠 before 細粒 and 坐剤;
 * 3. a shorter 品名 (the plain product before 「メーカー」 and 配合 names), then the 品名 itself.
 * Prior use by the facility is not ranked: it would need a scan of the confirmed versions' JSON.
 */
export async function searchDrugs(tx: Tx, text: string, limit: number) {
  const q = normalizeForSearch(text);
  if (!q) return [];
  const prefix = `${escapeLike(q)}%`;
  const byName = like(drugs.nameNorm, prefix);
  const byIngredient = like(drugs.ingredientNorm, prefix);
  const matchRank = sql`case when ${byName} then 0 when ${byIngredient} then 1 else 2 end`;
  const formRank = sql`case
    when ${drugs.kind} = '内用薬' and substr(${drugs.code}, 8, 1) = 'F' then 0
    when ${drugs.kind} = '内用薬' and substr(${drugs.code}, 8, 1) = 'M' then 1
    when ${drugs.kind} = '内用薬' then 2
    when ${drugs.kind} = '外用薬' then 3
    else 4 end`;
  return tx
    .select(drugColumns)
    .from(drugs)
    .where(or(byName, byIngredient, like(sql`${drugs.code} COLLATE "C"`, prefix)))
    .orderBy(matchRank, formRank, sql`char_length(${drugs.name})`, asc(drugs.nameNorm), asc(drugs.code))
    .limit(limit);
}

export async function getDrug(tx: Tx, code: string) {
  const [row] = await tx.select().from(drugs).where(eq(drugs.code, code));
  return row ?? null;
}

/** Master facts for the checks; a 一般名 code (…ZZZ) takes the facts of a product with its first 9 characters. */
export async function drugFacts(tx: Tx, codes: string[]) {
  const generic = codes.filter((c) => c.endsWith('ZZZ')).map((c) => c.slice(0, 9));
  type Fact = { code: string; name: string; ingredient: string; kind: string; spec: string };
  if (codes.length === 0) return new Map<string, Fact>();
  const rows = await tx
    .select(drugColumns)
    .from(drugs)
    .where(
      or(
        inArray(drugs.code, codes),
        generic.length ? inArray(sql`left(${drugs.code}, 9)`, generic) : sql`false`,
      ),
    );
  const facts = new Map<string, Fact>();
  for (const r of rows)
    facts.set(r.code, { code: r.code, name: r.name, ingredient: r.ingredient, kind: r.kind, spec: r.spec });
  for (const code of codes.filter((c) => c.endsWith('ZZZ'))) {
    const product = rows.find((r) => r.code.startsWith(code.slice(0, 9)));
    if (product) {
      facts.set(code, {
        code,
        name: `【般】${product.ingredient}${product.spec}`,
        ingredient: product.ingredient,
        kind: product.kind,
        spec: product.spec,
      });
    }
  }
  return facts;
}

const usageColumns = {
  code: usages.code,
  text: usages.text,
  kind: usages.kind,
  perDay: usages.perDay,
};

/**
 * 用法 choices: the shipped common ones first (rank), then the rest of the official master; a query
 * matches anywhere in the 用法名称 or its kana reading (usageSearchText: 「あさ」「ｼｮｸｺﾞ」 find 朝食後), width
 * folded, or a code prefix.
 */
export async function searchUsages(
  tx: Tx,
  text: string,
  kind: 'oral' | 'asNeeded' | 'external' | null,
  limit: number,
) {
  const q = normalizeForSearch(text);
  const conditions = [
    ...(q
      ? [
          or(
            like(usages.textNorm, `%${escapeLike(q)}%`),
            like(sql`${usages.code} COLLATE "C"`, `${escapeLike(q)}%`),
          ),
        ]
      : []),
    ...(kind ? [eq(usages.kind, kind)] : []),
  ];
  return tx
    .select(usageColumns)
    .from(usages)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(usages.rank), sql`char_length(${usages.text})`, asc(usages.code))
    .limit(limit);
}

/** The 用法 rows for codes (a code the table does not have is absent from the map). */
export async function usagesByCodes(tx: Tx, codes: string[]) {
  const rows = codes.length
    ? await tx
        .select(usageColumns)
        .from(usages)
        .where(inArray(usages.code, [...new Set(codes)]))
    : [];
  return new Map(rows.map((r) => [r.code, r]));
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** The dose-limit table (dose-limits.csv as loaded). */
export async function doseLimitRows(tx: Tx): Promise<DoseLimit[]> {
  const rows = await tx.select().from(doseLimits).orderBy(asc(doseLimits.id));
  return rows.map((r) => ({
    ingredient: r.ingredient,
    kinds: r.kinds.split('|').filter(Boolean),
    adultMaxMgPerDay: num(r.adultMaxMgPerDay),
    childMgPerKgPerDay: num(r.childMgPerKgPerDay),
    childMaxMgPerDay: num(r.childMaxMgPerDay),
    note: r.note,
    source: r.source,
  }));
}

/** The 薬効分類 class table (drug-classes.csv as loaded). */
export async function drugClassRows(tx: Tx): Promise<DrugClassEntry[]> {
  const rows = await tx.select().from(drugClasses).orderBy(asc(drugClasses.id));
  return rows.map((r) => ({ className: r.className, ingredient: r.ingredient, source: r.source }));
}

export async function interactionRules(tx: Tx) {
  const rows = await tx.select().from(drugInteractions);
  const kinds = (k: string) => k.split('|').filter(Boolean);
  return rows.map((r) => ({ ...r, aKinds: kinds(r.aKinds), bKinds: kinds(r.bKinds) }));
}

/** Confirmed prescriptions of a patient since a date (current version of each), newest first. */
export async function confirmedPrescriptions(tx: Tx, facilityId: string, patientId: string, since: string) {
  const rows = await tx
    .select({
      entryId: entries.id,
      date: encounters.encounterDate,
      content: entryVersions.content,
      createdAt: entryVersions.createdAt,
    })
    .from(entries)
    .innerJoin(encounters, eq(encounters.id, entries.encounterId))
    .innerJoin(
      entryVersions,
      and(eq(entryVersions.entryId, entries.id), eq(entryVersions.version, entries.currentVersion)),
    )
    .where(
      and(
        eq(entries.facilityId, facilityId),
        eq(entries.patientId, patientId),
        eq(entries.kind, 'prescription'),
        gte(encounters.encounterDate, since),
      ),
    )
    .orderBy(desc(encounters.encounterDate), desc(entryVersions.createdAt));
  return rows as { entryId: string; date: string; content: EntryContent; createdAt: Date }[] as {
    entryId: string;
    date: string;
    content: PrescriptionContent;
    createdAt: Date;
  }[];
}

// ---- lab results

export type LabResultRow = typeof labResults.$inferSelect;
export type LabCodeRow = typeof labCodes.$inferSelect;

export async function labCodesFor(tx: Tx, codes: string[]) {
  if (codes.length === 0) return new Map<string, LabCodeRow>();
  const rows = await tx
    .select()
    .from(labCodes)
    .where(inArray(labCodes.code, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r]));
}

/** JLAC10 list search for hand entry: by item (ALB), Japanese name (アルブミン) or code prefix. */
export async function searchLabCodes(tx: Tx, text: string, limit: number) {
  const q = text.normalize('NFKC').trim();
  if (!q) return [];
  const p = `${escapeLike(q)}%`;
  return tx
    .select()
    .from(labCodes)
    .where(
      or(
        sql`upper(${labCodes.item}) like upper(${p})`,
        like(labCodes.name, `%${escapeLike(q)}%`),
        like(labCodes.code, p),
      ),
    )
    .orderBy(labCodes.item, labCodes.code)
    .limit(limit);
}

export async function findLabImport(tx: Tx, facilityId: string, sha256: string) {
  const [row] = await tx
    .select()
    .from(labImports)
    .where(and(eq(labImports.facilityId, facilityId), eq(labImports.sha256, sha256)));
  return row ?? null;
}

/** Records the file; null when the same file was imported meanwhile (unique per facility and hash). */
export async function insertLabImport(
  tx: Tx,
  facilityId: string,
  v: { sha256: string; fileName: string; rows: number; importedBy: string },
) {
  const [row] = await tx
    .insert(labImports)
    .values({ ...v, facilityId })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export type NewLabResult = Omit<typeof labResults.$inferInsert, 'facilityId' | 'id' | 'createdAt'>;
/** Files results; returns their ids (in the order given). */
export async function insertLabResults(tx: Tx, facilityId: string, rows: NewLabResult[]) {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const added = await tx
      .insert(labResults)
      .values(rows.slice(i, i + 1000).map((r) => ({ ...r, facilityId })))
      .returning({ id: labResults.id });
    ids.push(...added.map((r) => r.id));
  }
  return ids;
}

/** Results that no correction has taken the place of (修正 files a new row; the old one stays). */
export const currentLabResult = sql`not exists (select 1 from lab_results c where c.supersedes = ${labResults.id})`;

// The result a correction took the place of: its value, for "修正前" beside the current one.
const previous = alias(labResults, 'previous');
const withPrevious = { result: labResults, previousValue: previous.value, previousUnit: previous.unit };
export type LabResultWithPrevious = {
  result: LabResultRow;
  previousValue: string | null;
  previousUnit: string | null;
};

/** One item's current results over time, oldest first (the trend chart). */
export function labTrend(tx: Tx, facilityId: string, patientId: string, code: string) {
  return tx
    .select(withPrevious)
    .from(labResults)
    .leftJoin(previous, eq(previous.id, labResults.supersedes))
    .where(
      and(
        eq(labResults.facilityId, facilityId),
        eq(labResults.patientId, patientId),
        eq(labResults.code, code),
        currentLabResult,
      ),
    )
    .orderBy(asc(labResults.collectedOn), asc(labResults.createdAt));
}

/** One filed result of this facility (current or not). */
export async function getLabResult(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(labResults)
    .where(and(eq(labResults.facilityId, facilityId), eq(labResults.id, id)));
  return row ?? null;
}

/** The cumulative table: results of the last `dates` collection dates, newest date first. */
export async function labTable(
  tx: Tx,
  facilityId: string,
  patientId: string,
  dates: number,
  before?: string,
) {
  const own = and(
    eq(labResults.facilityId, facilityId),
    eq(labResults.patientId, patientId),
    currentLabResult,
  );
  const recent = await tx
    .selectDistinct({ d: labResults.collectedOn })
    .from(labResults)
    .where(before ? and(own, sql`${labResults.collectedOn} < ${before}`) : own)
    .orderBy(desc(labResults.collectedOn))
    .limit(dates);
  if (recent.length === 0) return { dates: [] as string[], rows: [] as LabResultWithPrevious[] };
  const rows = await tx
    .select(withPrevious)
    .from(labResults)
    .leftJoin(previous, eq(previous.id, labResults.supersedes))
    .where(
      and(
        own,
        inArray(
          labResults.collectedOn,
          recent.map((r) => r.d),
        ),
      ),
    )
    .orderBy(asc(labResults.code), desc(labResults.collectedOn), asc(labResults.createdAt));
  return { dates: recent.map((r) => r.d), rows };
}

/** Patients of this facility by 患者番号 (for an import file). */
export async function patientsByNumber(tx: Tx, facilityId: string, numbers: number[]) {
  if (numbers.length === 0) return new Map<number, { id: string; name: string }>();
  const rows = await tx
    .select({ id: patients.id, n: patients.patientNumber, f: patients.familyName, g: patients.givenName })
    .from(patients)
    .where(and(eq(patients.facilityId, facilityId), inArray(patients.patientNumber, [...new Set(numbers)])));
  return new Map(rows.map((r) => [r.n, { id: r.id, name: `${r.f} ${r.g}` }]));
}
