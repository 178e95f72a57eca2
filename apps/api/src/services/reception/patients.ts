import {
  type Database,
  findLikelyDuplicates,
  getPatient,
  insertPatient,
  lockDuplicateCheck,
  type PatientRow,
  type PatientValues,
  parsePatientQuery,
  searchPatients,
  updatePatient,
} from '@karte/db';
import {
  canonicalKana,
  canonicalPostalCode,
  type PatientCreateInput,
  type PatientFields,
  type PatientUpdateInput,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, requeueForPatientChange } from '../sharing/outbox';

/** What the screens get of a patient: no search columns, no internal bookkeeping. */
export function toPatient(row: PatientRow) {
  return {
    id: row.id,
    patientNumber: row.patientNumber,
    familyName: row.familyName,
    givenName: row.givenName,
    familyNameKana: row.familyNameKana,
    givenNameKana: row.givenNameKana,
    sex: row.sex,
    birthDate: row.birthDate,
    postalCode: row.postalCode,
    address: row.address,
    phone: row.phone,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}
export type Patient = ReturnType<typeof toPatient>;

function values(input: PatientFields): PatientValues {
  return {
    familyName: input.familyName,
    givenName: input.givenName,
    familyNameKana: canonicalKana(input.familyNameKana),
    givenNameKana: canonicalKana(input.givenNameKana),
    sex: input.sex,
    birthDate: input.birthDate,
    postalCode: canonicalPostalCode(input.postalCode),
    address: input.address,
    phone: input.phone,
  };
}

export type RegisterResult =
  | { status: 'created'; patient: Patient }
  | { status: 'duplicate'; candidates: Patient[] };

/** 新患登録. A likely duplicate (same name and birth date) is shown back unless confirmed. */
export async function registerPatient(
  db: Database,
  actor: Actor,
  input: PatientCreateInput,
): Promise<RegisterResult> {
  const v = values(input);
  return db.transaction(async (tx) => {
    // Twelve clerks registering the same person at once: one registers, the others see the duplicate.
    await lockDuplicateCheck(tx, actor.facilityId, v.birthDate);
    if (!input.confirmDuplicate) {
      const dups = await findLikelyDuplicates(tx, actor.facilityId, v);
      if (dups.length > 0) {
        await recordAccess(tx, actor, 'read', null, {
          reason: 'duplicate-check',
          patientIds: dups.map((d) => d.id),
        });
        return { status: 'duplicate', candidates: dups.map(toPatient) };
      }
    }
    const row = await insertPatient(tx, actor.facilityId, actor.userId, v);
    await recordAccess(tx, actor, 'create', row.id, { patientNumber: row.patientNumber });
    return { status: 'created', patient: toPatient(row) };
  });
}

export async function editPatient(db: Database, actor: Actor, input: PatientUpdateInput): Promise<Patient> {
  const v = values(input);
  return changeAndShare(db, async (tx) => {
    const before = await getPatient(tx, actor.facilityId, input.id);
    if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const row = await updatePatient(tx, actor.facilityId, actor.userId, input.id, input.version, v);
    if (!row) {
      throw new TRPCError({
        code: 'CONFLICT',
        message:
          '他の端末でこの患者情報が更新されました。最新の内容を読み込んでから、もう一度編集してください',
      });
    }
    // What changed, old and new, so the audit trail can show the history of the registration.
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(v) as (keyof PatientValues)[]) {
      if (before[key] !== row[key]) changes[key] = { from: before[key], to: row[key] };
    }
    await recordAccess(tx, actor, 'update', row.id, { version: row.version, changes });
    if (Object.keys(changes).length > 0) await requeueForPatientChange(tx, actor.facilityId, row.id);
    return toPatient(row);
  });
}

export async function readPatient(db: Database, actor: Actor, id: string): Promise<Patient> {
  return db.transaction(async (tx) => {
    const row = await getPatient(tx, actor.facilityId, id);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    await recordAccess(tx, actor, 'read', row.id);
    return toPatient(row);
  });
}

export type PatientSummary = Awaited<ReturnType<typeof searchPatients>>[number];

export async function findPatients(
  db: Database,
  actor: Actor,
  text: string,
  limit: number,
): Promise<PatientSummary[]> {
  const query = parsePatientQuery(text);
  if (!query) return [];
  return db.transaction(async (tx) => {
    // Prepared: the server plans each search shape once per connection.
    const rows = await searchPatients(tx, actor.facilityId, query, limit)
      .prepare(`patient_search_${query.kind}`)
      .execute();
    await recordAccess(tx, actor, 'search', null, {
      query: text,
      kind: query.kind,
      patientIds: rows.map((r) => r.id),
    });
    return rows;
  });
}
