import { isKanaOnly, normalizeForSearch } from '@karte/domain';
import { and, asc, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { allergies, diseases, infections, problems } from '../schema';

export type ProblemRow = typeof problems.$inferSelect;
export type AllergyRow = typeof allergies.$inferSelect;
export type InfectionRow = typeof infections.$inferSelect;

const escapeLike = (t: string) => t.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * 病名 search: prefix of the kana or the name (index), then names or readings containing the text, so
 * that 「胃炎」 also finds 急性胃炎 and じょうきどうえん finds 急性上気道炎 (キュウセイジョウキドウエン).
 */
export async function searchDiseases(tx: Tx, text: string, limit: number) {
  const q = normalizeForSearch(text);
  if (!q) return [];
  const prefix = `${escapeLike(q)}%`;
  const starts = await tx
    .select({ code: diseases.code, name: diseases.name, nameKana: diseases.nameKana, icd10: diseases.icd10 })
    .from(diseases)
    .where(or(like(diseases.kanaNorm, prefix), like(diseases.nameNorm, prefix)))
    .orderBy(sql`length(${diseases.nameNorm})`, asc(diseases.kanaNorm))
    .limit(limit);
  if (starts.length >= limit || q.length < 2) return starts;
  const more = await tx
    .select({ code: diseases.code, name: diseases.name, nameKana: diseases.nameKana, icd10: diseases.icd10 })
    .from(diseases)
    // One column per scan (a kana text is found in the reading, which spells katakana names too): twice as
    // fast as looking in both.
    .where(like(isKanaOnly(q) ? diseases.kanaNorm : diseases.nameNorm, `%${escapeLike(q)}%`))
    .orderBy(sql`length(${diseases.nameNorm})`)
    .limit(limit);
  const seen = new Set(starts.map((d) => d.code));
  return [...starts, ...more.filter((d) => !seen.has(d.code))].slice(0, limit);
}

export async function getDisease(tx: Tx, code: string) {
  const [row] = await tx.select().from(diseases).where(eq(diseases.code, code));
  return row ?? null;
}

export function patientProblems(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(problems)
    .where(
      and(eq(problems.facilityId, facilityId), eq(problems.patientId, patientId), isNull(problems.errorAt)),
    )
    .orderBy(desc(problems.main), desc(problems.onsetDate));
}

export type ProblemValues = Omit<
  typeof problems.$inferInsert,
  'id' | 'facilityId' | 'patientId' | 'version' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'
>;

export async function insertProblem(
  tx: Tx,
  facilityId: string,
  patientId: string,
  userId: string,
  v: ProblemValues,
) {
  const [row] = await tx
    .insert(problems)
    .values({ ...v, facilityId, patientId, createdBy: userId, updatedBy: userId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function updateProblem(
  tx: Tx,
  facilityId: string,
  id: string,
  version: number,
  userId: string,
  v: ProblemValues,
) {
  const [row] = await tx
    .update(problems)
    .set({ ...v, version: sql`${problems.version} + 1`, updatedBy: userId, updatedAt: sql`now()` })
    .where(
      and(
        eq(problems.facilityId, facilityId),
        eq(problems.id, id),
        eq(problems.version, version),
        isNull(problems.errorAt),
      ),
    )
    .returning();
  return row ?? null;
}

/** 削除（誤登録）: marks the row, keeping it with who, when and why; null when changed meanwhile. */
export async function markProblemEnteredInError(
  tx: Tx,
  facilityId: string,
  id: string,
  version: number,
  userId: string,
  reason: string,
) {
  const [row] = await tx
    .update(problems)
    .set({
      errorAt: sql`now()`,
      errorBy: userId,
      errorReason: reason,
      version: sql`${problems.version} + 1`,
      updatedBy: userId,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(problems.facilityId, facilityId),
        eq(problems.id, id),
        eq(problems.version, version),
        isNull(problems.errorAt),
      ),
    )
    .returning();
  return row ?? null;
}

export async function getProblem(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(problems)
    .where(and(eq(problems.facilityId, facilityId), eq(problems.id, id)));
  return row ?? null;
}

export function patientAllergies(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(allergies)
    .where(and(eq(allergies.facilityId, facilityId), eq(allergies.patientId, patientId)))
    .orderBy(asc(allergies.createdAt));
}

export async function insertAllergy(
  tx: Tx,
  facilityId: string,
  patientId: string,
  userId: string,
  v: Omit<typeof allergies.$inferInsert, 'id' | 'facilityId' | 'patientId' | 'createdBy'>,
) {
  const [row] = await tx
    .insert(allergies)
    .values({ ...v, facilityId, patientId, createdBy: userId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function setAllergyStatus(
  tx: Tx,
  facilityId: string,
  id: string,
  version: number,
  status: AllergyRow['status'],
) {
  const [row] = await tx
    .update(allergies)
    .set({ status, version: sql`${allergies.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(allergies.facilityId, facilityId), eq(allergies.id, id), eq(allergies.version, version)))
    .returning();
  return row ?? null;
}

/** The latest result of each infection kind (by the date tested). */
export async function latestInfections(tx: Tx, facilityId: string, patientId: string) {
  const rows = await tx
    .select()
    .from(infections)
    .where(and(eq(infections.facilityId, facilityId), eq(infections.patientId, patientId)))
    // By test date: an imported old result does not hide a newer one entered earlier.
    .orderBy(
      desc(sql`coalesce(${infections.testedOn}, ${infections.createdAt}::date)`),
      desc(infections.createdAt),
    );
  const latest = new Map<string, InfectionRow>();
  for (const r of rows) if (!latest.has(r.kind)) latest.set(r.kind, r);
  return [...latest.values()];
}

export async function insertInfection(
  tx: Tx,
  facilityId: string,
  patientId: string,
  userId: string,
  v: Pick<typeof infections.$inferInsert, 'kind' | 'result' | 'testedOn'>,
) {
  const [row] = await tx
    .insert(infections)
    .values({ ...v, facilityId, patientId, createdBy: userId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}
