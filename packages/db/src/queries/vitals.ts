import type { IntakeFields, VitalFields } from '@karte/domain';
import { and, desc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { intakes, vitalSigns } from '../schema';

export type VitalSignsRow = typeof vitalSigns.$inferSelect;
export type IntakeRow = typeof intakes.$inferSelect;

const num = (v: string | null) => (v === null ? null : Number(v));
const text = (v: number | null) => (v === null ? null : String(v));

/** A stored row's values as numbers (numeric columns come back as text). */
export function vitalValuesOf(row: VitalSignsRow): VitalFields {
  return {
    temperature: num(row.temperature),
    systolic: row.systolic,
    diastolic: row.diastolic,
    pulse: row.pulse,
    spo2: row.spo2,
    heightCm: num(row.heightCm),
    weightKg: num(row.weightKg),
  };
}

/** Measurements that no correction has taken the place of (修正 files a new row; the old one stays). */
export const currentVitalSigns = sql`not exists (select 1 from vital_signs c where c.supersedes = ${vitalSigns.id})`;

/** The date of a measurement in Japan (a clinic's day), for SQL comparisons. */
const measuredOn = sql`(${vitalSigns.measuredAt} at time zone 'Asia/Tokyo')::date`;

export async function insertVitalSigns(
  tx: Tx,
  facilityId: string,
  row: {
    patientId: string;
    visitId: string | null;
    measuredAt: Date;
    values: VitalFields;
    enteredBy: string;
    supersedes?: string;
    correctionReason?: string;
  },
) {
  const v = row.values;
  const [added] = await tx
    .insert(vitalSigns)
    .values({
      facilityId,
      patientId: row.patientId,
      visitId: row.visitId,
      measuredAt: row.measuredAt,
      temperature: text(v.temperature),
      systolic: v.systolic,
      diastolic: v.diastolic,
      pulse: v.pulse,
      spo2: v.spo2,
      heightCm: text(v.heightCm),
      weightKg: text(v.weightKg),
      enteredBy: row.enteredBy,
      supersedes: row.supersedes ?? null,
      correctionReason: row.correctionReason ?? '',
    })
    .returning();
  return added as VitalSignsRow;
}

export async function getVitalSigns(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(vitalSigns)
    .where(and(eq(vitalSigns.facilityId, facilityId), eq(vitalSigns.id, id)));
  return row ?? null;
}

/** One patient's current measurements, oldest first; `from` (YYYY-MM-DD, Japan) limits the trend's span. */
export function patientVitalSigns(tx: Tx, facilityId: string, patientId: string, from?: string) {
  const own = and(
    eq(vitalSigns.facilityId, facilityId),
    eq(vitalSigns.patientId, patientId),
    currentVitalSigns,
  );
  return tx
    .select()
    .from(vitalSigns)
    .where(from ? and(own, sql`${measuredOn} >= ${from}::date`) : own)
    .orderBy(vitalSigns.measuredAt, vitalSigns.createdAt);
}

/** The current measurements of one day (Japan), oldest first: what the chart's O shows for that day. */
export function vitalSignsOn(tx: Tx, facilityId: string, patientId: string, day: string) {
  return tx
    .select()
    .from(vitalSigns)
    .where(
      and(
        eq(vitalSigns.facilityId, facilityId),
        eq(vitalSigns.patientId, patientId),
        sql`${measuredOn} = ${day}::date`,
        currentVitalSigns,
      ),
    )
    .orderBy(vitalSigns.measuredAt, vitalSigns.createdAt);
}

/**
 * 体重 for dose checks (小児の体重換算): the most recent current weight measured on `onDate` (YYYY-MM-DD, Japan)
 * or within `withinDays` before it, in kg; null when there is none (the check then asks for a weight).
 */
export async function latestWeightKg(
  db: Tx,
  facilityId: string,
  patientId: string,
  onDate: string,
  withinDays = 30,
): Promise<number | null> {
  const [row] = await db
    .select({ weightKg: vitalSigns.weightKg })
    .from(vitalSigns)
    .where(
      and(
        eq(vitalSigns.facilityId, facilityId),
        eq(vitalSigns.patientId, patientId),
        isNotNull(vitalSigns.weightKg),
        lte(measuredOn, sql`${onDate}::date`),
        gte(measuredOn, sql`${onDate}::date - ${withinDays}::int`),
        currentVitalSigns,
      ),
    )
    .orderBy(desc(vitalSigns.measuredAt), desc(vitalSigns.createdAt))
    .limit(1);
  return row?.weightKg == null ? null : Number(row.weightKg);
}

/** The newest version of a visit's 問診, or null. */
export async function latestIntake(tx: Tx, facilityId: string, visitId: string) {
  const [row] = await tx
    .select()
    .from(intakes)
    .where(and(eq(intakes.facilityId, facilityId), eq(intakes.visitId, visitId)))
    .orderBy(desc(intakes.version))
    .limit(1);
  return row ?? null;
}

/** A new version of a visit's 問診 (unique per visit and version: a second save of the same version fails). */
export async function insertIntake(
  tx: Tx,
  facilityId: string,
  row: { patientId: string; visitId: string; version: number; fields: IntakeFields; enteredBy: string },
) {
  const [added] = await tx
    .insert(intakes)
    .values({
      facilityId,
      patientId: row.patientId,
      visitId: row.visitId,
      version: row.version,
      ...row.fields,
      enteredBy: row.enteredBy,
    })
    .returning();
  return added as IntakeRow;
}

export function intakeFieldsOf(row: IntakeRow): IntakeFields {
  return {
    chiefComplaint: row.chiefComplaint,
    course: row.course,
    medication: row.medication,
    allergy: row.allergy,
    allergyDetail: row.allergyDetail,
    pregnancy: row.pregnancy,
  };
}
