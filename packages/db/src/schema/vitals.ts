import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { facilityColumn, userColumn } from './columns';
import { patients, visits } from './reception';

// Issue #15: vital signs and 問診. Both append-only (trigger karte_refuse_change, migration 0021).

/** バイタル: one measurement, any subset of the values (at least one). BMI is computed, never stored. */
export const vitalSigns = pgTable(
  'vital_signs',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    /** The 受付 it was measured at (null: measured in the chart without a visit). */
    visitId: uuid().references(() => visits.id),
    measuredAt: timestamp({ withTimezone: true }).notNull(),
    temperature: numeric({ precision: 3, scale: 1 }), // 体温 ℃
    systolic: integer(), // 血圧 収縮期 mmHg
    diastolic: integer(), // 血圧 拡張期 mmHg
    pulse: integer(), // 脈拍 /分
    spo2: integer(), // SpO2 %
    heightCm: numeric({ precision: 4, scale: 1 }), // 身長 cm
    weightKg: numeric({ precision: 5, scale: 2 }), // 体重 kg
    /** 修正: the measurement this row takes the place of (that row stays, immutable), with the reason. */
    supersedes: uuid().references((): AnyPgColumn => vitalSigns.id),
    correctionReason: text().notNull().default(''),
    enteredBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('vital_signs_patient_idx').on(t.facilityId, t.patientId, t.measuredAt),
    uniqueIndex('vital_signs_supersedes_key').on(t.supersedes).where(sql`supersedes is not null`),
    check(
      'vital_signs_some_value',
      sql`num_nonnulls(temperature, systolic, diastolic, pulse, spo2, height_cm, weight_kg) > 0`,
    ),
    check(
      'vital_signs_bp_pair',
      sql`(systolic is null) = (diastolic is null) and (systolic is null or systolic > diastolic)`,
    ),
    check(
      'vital_signs_ranges',
      sql`(temperature is null or temperature between 30 and 45) and (systolic is null or systolic between 40 and 300) and (diastolic is null or diastolic between 20 and 200) and (pulse is null or pulse between 20 and 250) and (spo2 is null or spo2 between 50 and 100) and (height_cm is null or height_cm between 20 and 250) and (weight_kg is null or weight_kg between 0.2 and 300)`,
    ),
    check('vital_signs_correction_reason', sql`supersedes is null or correction_reason <> ''`),
  ],
);

/** 問診: one version of a visit's 問診 per row; a save is a new row with the next version number. */
export const intakes = pgTable(
  'intakes',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    version: integer().notNull(),
    chiefComplaint: text().notNull().default(''), // 主訴
    course: text().notNull().default(''), // 症状の経過
    medication: text().notNull().default(''), // 服薬
    /** アレルギーの有無: あり / なし / 不明, with the text. */
    allergy: text({ enum: ['yes', 'no', 'unknown'] }).notNull(),
    allergyDetail: text().notNull().default(''),
    /** 妊娠・授乳: 妊娠中 / 授乳中 / 可能性あり / なし / 該当なし. */
    pregnancy: text({ enum: ['pregnant', 'nursing', 'possible', 'no', 'na'] }).notNull(),
    enteredBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('intakes_visit_version_key').on(t.facilityId, t.visitId, t.version),
    check('intakes_version_positive', sql`version > 0`),
    check('intakes_allergy', sql`allergy in ('yes', 'no', 'unknown')`),
    check('intakes_pregnancy', sql`pregnancy in ('pregnant', 'nursing', 'possible', 'no', 'na')`),
  ],
);
