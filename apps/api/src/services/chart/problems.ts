import {
  type Database,
  getDisease,
  getDrug,
  getPatient,
  getProblem,
  insertAllergy,
  insertInfection,
  insertProblem,
  latestInfections,
  markProblemEnteredInError,
  type ProblemValues,
  patientAllergies,
  patientProblems,
  setAllergyStatus,
  type Tx,
  updateProblem,
} from '@karte/db';
import type { AllergyFields, InfectionFields, ProblemFields } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, queueSubmissions } from '../sharing/outbox';

async function patientOrThrow(tx: Tx, actor: Actor, patientId: string) {
  const p = await getPatient(tx, actor.facilityId, patientId);
  if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  return p;
}

/** A master code must exist; otherwise the name is kept as text and flagged 未コード化. */
async function problemValues(tx: Tx, f: ProblemFields): Promise<ProblemValues> {
  const disease = f.diseaseCode ? await getDisease(tx, f.diseaseCode) : null;
  return {
    diseaseCode: disease?.code ?? null,
    name: disease?.name ?? f.name,
    prefix: f.prefix,
    suffix: f.suffix,
    main: f.main ? 1 : 0,
    suspected: f.suspected ? 1 : 0,
    onsetDate: f.onsetDate,
    outcome: f.outcome,
    endDate: f.endDate || null,
    undisclosed: f.undisclosed ? 1 : 0,
    notShared: f.notShared ? 1 : 0,
  };
}

export async function listProblems(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const rows = await patientProblems(tx, actor.facilityId, patientId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'problems' });
    return rows.map((r) => ({ ...r, uncoded: r.diseaseCode === null }));
  });
}

export async function addProblem(db: Database, actor: Actor, patientId: string, f: ProblemFields) {
  return changeAndShare(db, async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const row = await insertProblem(
      tx,
      actor.facilityId,
      patientId,
      actor.userId,
      await problemValues(tx, f),
    );
    await recordAccess(tx, actor, 'create', patientId, {
      what: 'problem',
      id: row.id,
      code: row.diseaseCode,
    });
    await queueSubmissions(tx, actor.facilityId, patientId, { conditions: true });
    return { ...row, uncoded: row.diseaseCode === null };
  });
}

export async function editProblem(db: Database, actor: Actor, id: string, version: number, f: ProblemFields) {
  return changeAndShare(db, async (tx) => {
    const before = await getProblem(tx, actor.facilityId, id);
    if (!before) throw new TRPCError({ code: 'NOT_FOUND', message: '病名が見つかりません' });
    const row = await updateProblem(
      tx,
      actor.facilityId,
      id,
      version,
      actor.userId,
      await problemValues(tx, f),
    );
    if (!row)
      throw new TRPCError({
        code: 'CONFLICT',
        message: '他の端末でこの病名が更新されました。最新の内容で確認してください',
      });
    await recordAccess(tx, actor, 'update', before.patientId, { what: 'problem', id, from: before, to: row });
    await queueSubmissions(tx, actor.facilityId, before.patientId, { conditions: true });
    return { ...row, uncoded: row.diseaseCode === null };
  });
}

/**
 * 削除（誤登録）: the problem leaves the list and the shared record, but the row keeps who removed it,
 * when and why, and the audit event keeps it as it was. The share snapshot follows like any change.
 */
export async function removeProblem(
  db: Database,
  actor: Actor,
  input: { id: string; version: number; reason: string },
) {
  return changeAndShare(db, async (tx) => {
    const before = await getProblem(tx, actor.facilityId, input.id);
    if (!before || before.errorAt)
      throw new TRPCError({ code: 'NOT_FOUND', message: '病名が見つかりません' });
    const row = await markProblemEnteredInError(
      tx,
      actor.facilityId,
      input.id,
      input.version,
      actor.userId,
      input.reason,
    );
    if (!row)
      throw new TRPCError({
        code: 'CONFLICT',
        message: '他の端末でこの病名が更新されました。最新の内容で確認してください',
      });
    await recordAccess(tx, actor, 'delete', before.patientId, {
      what: 'problem',
      id: input.id,
      enteredInError: true,
      reason: input.reason,
      from: before,
      to: row,
    });
    await queueSubmissions(tx, actor.facilityId, before.patientId, { conditions: true });
    return { id: row.id, version: row.version };
  });
}

export async function listAllergies(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const rows = await patientAllergies(tx, actor.facilityId, patientId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'allergies' });
    return rows;
  });
}

export async function addAllergy(db: Database, actor: Actor, patientId: string, f: AllergyFields) {
  return changeAndShare(db, async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const drug = f.category === 'drug' && f.drugCode ? await getDrug(tx, f.drugCode) : null;
    const row = await insertAllergy(tx, actor.facilityId, patientId, actor.userId, {
      category: f.category,
      drugCode: drug?.code ?? null,
      substance: drug?.name ?? f.substance,
      criticality: f.criticality,
      reaction: f.reaction,
      onsetDate: f.onsetDate || null,
      status: f.status,
    });
    await recordAccess(tx, actor, 'create', patientId, { what: 'allergy', id: row.id });
    await queueSubmissions(tx, actor.facilityId, patientId, { allergies: true });
    return row;
  });
}

export async function changeAllergyStatus(
  db: Database,
  actor: Actor,
  input: { patientId: string; id: string; version: number; status: 'active' | 'inactive' | 'resolved' },
) {
  return changeAndShare(db, async (tx) => {
    await patientOrThrow(tx, actor, input.patientId);
    const row = await setAllergyStatus(tx, actor.facilityId, input.id, input.version, input.status);
    if (!row || row.patientId !== input.patientId) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'アレルギー情報が他の端末で更新されたか、見つかりません',
      });
    }
    await recordAccess(tx, actor, 'update', input.patientId, {
      what: 'allergy',
      id: input.id,
      status: input.status,
    });
    await queueSubmissions(tx, actor.facilityId, input.patientId, { allergies: true });
    return row;
  });
}

export async function addInfection(db: Database, actor: Actor, patientId: string, f: InfectionFields) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const row = await insertInfection(tx, actor.facilityId, patientId, actor.userId, {
      kind: f.kind,
      result: f.result,
      testedOn: f.testedOn || null,
    });
    await recordAccess(tx, actor, 'create', patientId, { what: 'infection', id: row.id });
    return row;
  });
}

/** What every patient screen shows in its header: active allergies and contraindications, infections. */
export async function clinicalSummary(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const allergyRows = (await patientAllergies(tx, actor.facilityId, patientId)).filter(
      (a) => a.status === 'active',
    );
    const infectionRows = await latestInfections(tx, actor.facilityId, patientId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'clinical-summary' });
    return {
      allergies: allergyRows.map((a) => ({
        id: a.id,
        category: a.category,
        substance: a.substance,
        criticality: a.criticality,
      })),
      infections: infectionRows.map((i) => ({ kind: i.kind, result: i.result, testedOn: i.testedOn })),
    };
  });
}
