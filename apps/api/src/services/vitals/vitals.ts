import {
  type Database,
  getEncounter,
  getPatient,
  getVisit,
  getVitalSigns,
  insertEntry,
  insertIntake,
  insertVitalSigns,
  intakeFieldsOf,
  isUniqueViolation,
  latestIntake,
  listUsers,
  patientVitalSigns,
  type Tx,
  type VitalSignsRow,
  vitalSignsOn,
  vitalValuesOf,
} from '@karte/db';
import {
  bmi,
  type IntakeFields,
  intakeText,
  mergeVitals,
  todayInJapan,
  VITAL_FIELDS,
  type VitalFields,
  vitalFlag,
  vitalsLine,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';

const notFound = (message: string) => new TRPCError({ code: 'NOT_FOUND', message });

async function mustHavePatient(tx: Tx, actor: Actor, patientId: string) {
  if (!(await getPatient(tx, actor.facilityId, patientId))) throw notFound('患者が見つかりません');
}

/** The visit, when it is this patient's (another facility's or patient's visit is simply not found). */
async function mustHaveVisit(tx: Tx, actor: Actor, visitId: string, patientId?: string) {
  const visit = await getVisit(tx, actor.facilityId, visitId);
  if (!visit || (patientId && visit.patientId !== patientId)) throw notFound('受付が見つかりません');
  return visit;
}

/** Each value's flag (H/L outside the usual range) and the computed BMI with its flag. */
export function describeVitals(v: VitalFields) {
  const b = bmi(v.heightCm, v.weightKg);
  const flags = Object.fromEntries(VITAL_FIELDS.map((f) => [f, vitalFlag(f, v[f])])) as Record<
    (typeof VITAL_FIELDS)[number] | 'bmi',
    'H' | 'L' | ''
  >;
  flags.bmi = vitalFlag('bmi', b);
  return { values: v, bmi: b, flags, line: vitalsLine(v) };
}

/** 記録: one measurement, now, by a nurse, clerk or doctor — at check-in (with the visit) or in the chart. */
export async function recordVitals(
  db: Database,
  actor: Actor,
  input: { patientId: string; visitId: string | null; values: VitalFields },
) {
  return db.transaction(async (tx) => {
    await mustHavePatient(tx, actor, input.patientId);
    if (input.visitId) await mustHaveVisit(tx, actor, input.visitId, input.patientId);
    const row = await insertVitalSigns(tx, actor.facilityId, {
      patientId: input.patientId,
      visitId: input.visitId,
      measuredAt: new Date(),
      values: input.values,
      enteredBy: actor.userId,
    });
    await recordAccess(tx, actor, 'create', input.patientId, {
      what: 'vital-signs',
      vitalId: row.id,
      line: vitalsLine(input.values),
    });
    return { id: row.id };
  });
}

/** 修正: a new row takes the measurement's place (same time and visit); the old row stays as it was. */
export async function correctVitals(
  db: Database,
  actor: Actor,
  input: { vitalId: string; values: VitalFields; reason: string },
) {
  return db.transaction(async (tx) => {
    const old = await getVitalSigns(tx, actor.facilityId, input.vitalId);
    if (!old) throw notFound('バイタルの記録が見つかりません');
    let row: VitalSignsRow;
    try {
      row = await insertVitalSigns(tx, actor.facilityId, {
        patientId: old.patientId,
        visitId: old.visitId,
        measuredAt: old.measuredAt,
        values: input.values,
        enteredBy: actor.userId,
        supersedes: old.id,
        correctionReason: input.reason,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'このバイタルは他の端末で既に修正されています。画面を更新して最新の値を確認してください',
        });
      throw error;
    }
    await recordAccess(tx, actor, 'update', old.patientId, {
      what: 'vital-signs-correction',
      vitalId: old.id,
      correctionId: row.id,
      from: vitalsLine(vitalValuesOf(old)),
      to: vitalsLine(input.values),
      reason: input.reason,
    });
    return { id: row.id, corrected: old.id };
  });
}

/** The patient's measurements (current rows, oldest first) for the list and trends, and today's merged line. */
export async function listVitals(db: Database, actor: Actor, input: { patientId: string; from?: string }) {
  return db.transaction(async (tx) => {
    await mustHavePatient(tx, actor, input.patientId);
    const rows = await patientVitalSigns(tx, actor.facilityId, input.patientId, input.from);
    const names = new Map((await listUsers(tx, actor.facilityId)).map((u) => [u.id, u.displayName]));
    const today = todayInJapan();
    const todays = rows.filter((r) => todayInJapan(r.measuredAt) === today).map(vitalValuesOf);
    const merged = mergeVitals(todays);
    await recordAccess(tx, actor, 'read', input.patientId, { what: 'vital-signs', rows: rows.length });
    return {
      rows: rows.map((r) => ({
        id: r.id,
        visitId: r.visitId,
        // ISO text, not Date: plain JSON on the wire (as the chart).
        measuredAt: r.measuredAt.toISOString(),
        measuredOn: todayInJapan(r.measuredAt),
        ...describeVitals(vitalValuesOf(r)),
        enteredBy: r.enteredBy ? (names.get(r.enteredBy) ?? '') : '',
        corrected: r.supersedes !== null,
        correctionReason: r.correctionReason,
      })),
      today: merged ? describeVitals(merged) : null,
    };
  });
}

function toIntake(row: NonNullable<Awaited<ReturnType<typeof latestIntake>>>, names: Map<string, string>) {
  const fields = intakeFieldsOf(row);
  return {
    version: row.version,
    fields,
    text: intakeText(fields),
    enteredBy: row.enteredBy ? (names.get(row.enteredBy) ?? '') : '',
    savedAt: row.createdAt.toISOString(),
  };
}

/** 問診 of a visit: its newest version (null before the first save). */
export async function getIntake(db: Database, actor: Actor, visitId: string) {
  return db.transaction(async (tx) => {
    const visit = await mustHaveVisit(tx, actor, visitId);
    const row = await latestIntake(tx, actor.facilityId, visitId);
    const names = new Map((await listUsers(tx, actor.facilityId)).map((u) => [u.id, u.displayName]));
    await recordAccess(tx, actor, 'read', visit.patientId, { what: 'intake', visitId });
    return { visitId, patientId: visit.patientId, intake: row ? toIntake(row, names) : null };
  });
}

/**
 * 問診を保存: a new version on top of the one the form was opened with (`baseVersion`, 0 for the first).
 * A save based on an older version is refused as a conflict — never an overwrite of someone's newer text.
 */
export async function saveIntake(
  db: Database,
  actor: Actor,
  input: { visitId: string; baseVersion: number; fields: IntakeFields },
) {
  return db.transaction(async (tx) => {
    const visit = await mustHaveVisit(tx, actor, input.visitId);
    const current = await latestIntake(tx, actor.facilityId, input.visitId);
    const conflict = () =>
      new TRPCError({
        code: 'CONFLICT',
        message: 'この問診は他の端末で先に保存されました。画面を更新して最新の内容を確認してください',
      });
    if ((current?.version ?? 0) !== input.baseVersion) throw conflict();
    try {
      const row = await insertIntake(tx, actor.facilityId, {
        patientId: visit.patientId,
        visitId: visit.id,
        version: input.baseVersion + 1,
        fields: input.fields,
        enteredBy: actor.userId,
      });
      await recordAccess(tx, actor, input.baseVersion === 0 ? 'create' : 'update', visit.patientId, {
        what: 'intake',
        visitId: visit.id,
        version: row.version,
      });
      return { version: row.version };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict();
      throw error;
    }
  });
}

/** What the S and O of an encounter's note can take in: its visit's 問診 and that day's vitals line. */
async function draftSourcesIn(
  tx: Tx,
  facilityId: string,
  encounter: { patientId: string; visitId: string | null; encounterDate: string },
) {
  const intake = encounter.visitId ? await latestIntake(tx, facilityId, encounter.visitId) : null;
  const merged = mergeVitals(
    (await vitalSignsOn(tx, facilityId, encounter.patientId, encounter.encounterDate)).map(vitalValuesOf),
  );
  return {
    intakeText: intake ? intakeText(intakeFieldsOf(intake)) : null,
    intakeVersion: intake?.version ?? null,
    vitalsLine: merged ? vitalsLine(merged) : null,
  };
}

/** For the SOAP editor's 問診を取り込む / バイタルを取り込む. */
export async function draftSources(db: Database, actor: Actor, encounterId: string) {
  return db.transaction(async (tx) => {
    const encounter = await getEncounter(tx, actor.facilityId, encounterId);
    if (!encounter) throw notFound('診療が見つかりません');
    const sources = await draftSourcesIn(tx, actor.facilityId, encounter);
    await recordAccess(tx, actor, 'read', encounter.patientId, { what: 'draft-sources', encounterId });
    return sources;
  });
}

/**
 * The S and O a new encounter's first note starts from (問診 and today's vitals), or null when there is
 * neither. Called by openEncounter inside its transaction; it audits what it read.
 */
export async function soapPrefill(
  tx: Tx,
  actor: Actor,
  encounter: { id: string; patientId: string; visitId: string | null; encounterDate: string },
) {
  const sources = await draftSourcesIn(tx, actor.facilityId, encounter);
  if (!sources.intakeText && !sources.vitalsLine) return null;
  return { s: sources.intakeText ?? '', o: sources.vitalsLine ?? '', a: '', p: '' };
}

/**
 * When a doctor opens today's encounter for a visit with a 問診 or vitals, the first SOAP note starts as a draft
 * with S from the 問診 and O from the vitals line (the doctor edits and confirms as usual). Nurses and clerks
 * opening it get no draft (a draft needs its responsible doctor); the editor then offers 取り込む.
 */
export async function prefillSoapDraft(
  tx: Tx,
  actor: Actor,
  role: string,
  encounter: { id: string; patientId: string; visitId: string | null; encounterDate: string },
) {
  if (role !== 'doctor' || !encounter.visitId) return null;
  const draft = await soapPrefill(tx, actor, encounter);
  if (!draft) return null;
  const entry = await insertEntry(tx, actor.facilityId, {
    patientId: encounter.patientId,
    encounterId: encounter.id,
    responsibleDoctor: actor.userId,
    createdBy: actor.userId,
    kind: 'soap',
    draft,
  });
  await recordAccess(tx, actor, 'create', encounter.patientId, {
    what: 'entry-draft',
    entryId: entry.id,
    prefilledFrom: [draft.s ? 'intake' : null, draft.o ? 'vital-signs' : null].filter(Boolean),
  });
  return entry.id;
}
