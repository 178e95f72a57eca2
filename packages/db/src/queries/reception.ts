import { isKanaOnly, normalizeForSearch, normalizePhone, parseDateText } from '@karte/domain';
import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { patientCounters, patients } from '../schema';

export type PatientRow = typeof patients.$inferSelect;

export interface PatientValues {
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: PatientRow['sex'];
  birthDate: string;
  postalCode: string;
  address: string;
  phone: string;
}

/** The search columns, derived from what is stored: the same normalisation as for queries. */
export function searchColumns(v: PatientValues) {
  return {
    nameNorm: normalizeForSearch(v.familyName + v.givenName),
    kanaNorm: normalizeForSearch(v.familyNameKana + v.givenNameKana),
    phoneNorm: normalizePhone(v.phone),
  };
}

export async function nextPatientNumber(tx: Tx, facilityId: string): Promise<number> {
  const [row] = await tx
    .insert(patientCounters)
    .values({ facilityId, lastNumber: 1 })
    .onConflictDoUpdate({
      target: patientCounters.facilityId,
      set: { lastNumber: sql`${patientCounters.lastNumber} + 1` },
    })
    .returning({ n: patientCounters.lastNumber });
  if (!row) throw new Error('patient counter missing');
  return row.n;
}

export async function insertPatient(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  v: PatientValues,
): Promise<PatientRow> {
  const patientNumber = await nextPatientNumber(tx, facilityId);
  const [row] = await tx
    .insert(patients)
    .values({
      ...v,
      ...searchColumns(v),
      facilityId,
      patientNumber,
      createdBy: userId,
      updatedBy: userId,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Updates only when the stored version is the one the edit started from; null on conflict. */
export async function updatePatient(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  id: string,
  expectedVersion: number,
  v: PatientValues,
): Promise<PatientRow | null> {
  const [row] = await tx
    .update(patients)
    .set({
      ...v,
      ...searchColumns(v),
      version: sql`${patients.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: userId,
    })
    .where(
      and(eq(patients.facilityId, facilityId), eq(patients.id, id), eq(patients.version, expectedVersion)),
    )
    .returning();
  return row ?? null;
}

export async function getPatient(tx: Tx, facilityId: string, id: string): Promise<PatientRow | null> {
  const [row] = await tx
    .select()
    .from(patients)
    .where(and(eq(patients.facilityId, facilityId), eq(patients.id, id)));
  return row ?? null;
}

/**
 * Serialises, until the transaction ends, the registrations that could be duplicates of each other: the
 * duplicate check matches on the birth date (and name or kana), so one lock per facility and birth date
 * makes check-then-insert atomic without holding up anyone else.
 */
export async function lockDuplicateCheck(tx: Tx, facilityId: string, birthDate: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`patient-dup:${facilityId}:${birthDate}`}, 0))`,
  );
}

export async function findLikelyDuplicates(
  tx: Tx,
  facilityId: string,
  v: Pick<PatientValues, 'familyName' | 'givenName' | 'familyNameKana' | 'givenNameKana' | 'birthDate'>,
  excludeId?: string,
): Promise<PatientRow[]> {
  const { nameNorm, kanaNorm } = searchColumns({
    ...v,
    sex: 'unknown',
    postalCode: '',
    address: '',
    phone: '',
  });
  const rows = await tx
    .select()
    .from(patients)
    .where(
      and(
        eq(patients.facilityId, facilityId),
        eq(patients.birthDate, v.birthDate),
        or(eq(patients.nameNorm, nameNorm), eq(patients.kanaNorm, kanaNorm)),
      ),
    )
    .limit(10);
  return rows.filter((r) => r.id !== excludeId);
}

/** Escapes LIKE wildcards in user text. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type PatientQuery =
  | { kind: 'number'; value: number }
  | { kind: 'birthDate'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'kana'; value: string }
  | { kind: 'name'; value: string };

/**
 * Reads what the clerk typed: a 患者番号 (digits up to 8), a phone number (10–11 digits starting
 * with 0), a birth date (1975-04-01, 1975/4/1, 19750401 or S50.4.1), or a name prefix in kana or kanji.
 */
export function parsePatientQuery(raw: string): PatientQuery | null {
  const text = normalizeForSearch(raw);
  if (!text) return null;
  const date = parseDateText(text);
  if (date) return { kind: 'birthDate', value: date };
  const digits = normalizePhone(text);
  if (/^[0-9()-]+$/.test(text)) {
    if (digits.length >= 10 && digits.startsWith('0')) return { kind: 'phone', value: digits };
    if (digits.length > 0 && digits.length <= 8) return { kind: 'number', value: Number(digits) };
    return { kind: 'phone', value: digits };
  }
  if (isKanaOnly(text)) return { kind: 'kana', value: text };
  return { kind: 'name', value: text };
}

/** What a search result row shows: enough to tell patients apart, no more. */
export const patientSummaryColumns = {
  id: patients.id,
  patientNumber: patients.patientNumber,
  familyName: patients.familyName,
  givenName: patients.givenName,
  familyNameKana: patients.familyNameKana,
  givenNameKana: patients.givenNameKana,
  sex: patients.sex,
  birthDate: patients.birthDate,
  phone: patients.phone,
};

/** The patient search; every branch is served by an index that starts with facility_id. */
export function searchPatients(tx: Tx, facilityId: string, q: PatientQuery, limit: number) {
  const f = eq(patients.facilityId, facilityId);
  const base = tx.select(patientSummaryColumns).from(patients);
  switch (q.kind) {
    case 'number':
      return base.where(and(f, eq(patients.patientNumber, q.value))).limit(limit);
    case 'birthDate':
      return base
        .where(and(f, eq(patients.birthDate, q.value)))
        .orderBy(asc(patients.kanaNorm), asc(patients.id))
        .limit(limit);
    case 'phone':
      return base
        .where(and(f, eq(patients.phoneNorm, q.value)))
        .orderBy(asc(patients.kanaNorm), asc(patients.id))
        .limit(limit);
    case 'kana':
      return base
        .where(and(f, like(patients.kanaNorm, likePrefix(q.value))))
        .orderBy(asc(patients.kanaNorm), asc(patients.id))
        .limit(limit);
    case 'name':
      return base
        .where(and(f, like(patients.nameNorm, likePrefix(q.value))))
        .orderBy(asc(patients.nameNorm), asc(patients.id))
        .limit(limit);
  }
}

/** Several patients by id, within the facility (for lists that show who an event was about). */
export async function getPatientSummaries(tx: Tx, facilityId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return tx
    .select(patientSummaryColumns)
    .from(patients)
    .where(and(eq(patients.facilityId, facilityId), inArray(patients.id, ids)));
}
