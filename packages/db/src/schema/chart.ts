import type { EntryContent, SoapContent } from '@karte/domain';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './admin';
import { facilityColumn, userColumn } from './columns';
import { patients, visits } from './reception';

/** 診療: one encounter per visit (or opened by the doctor without one). */
export const encounters = pgTable(
  'encounters',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    visitId: uuid().references(() => visits.id),
    encounterDate: date({ mode: 'string' }).notNull(),
    doctorId: userColumn(),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('encounters_patient_idx').on(t.facilityId, t.patientId, t.encounterDate),
    uniqueIndex('encounters_visit_key').on(t.visitId).where(sql`visit_id is not null`),
  ],
);

/**
 * A chart entry: the head row. Its confirmed versions are immutable rows of entry_versions; the draft
 * (what is being typed, autosaved) lives here with a revision number for conflict detection.
 */
export const entries = pgTable(
  'entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    encounterId: uuid()
      .notNull()
      .references(() => encounters.id),
    /** soap: 2号用紙の記載; prescription: 処方 (orders); document: 3文書 (documents). Content follows the kind. */
    kind: text({ enum: ['soap', 'prescription', 'document'] }).notNull(),
    /** 0 while never confirmed. */
    currentVersion: integer().notNull().default(0),
    draft: jsonb().$type<EntryContent>(),
    /** Bumped by every draft save: a save based on an older revision is a conflict. */
    draftRev: integer().notNull().default(0),
    draftBy: userColumn(),
    draftAt: timestamp({ withTimezone: true }),
    /** The doctor responsible for the entry (確定者); for 代行入力, the doctor it is entered for. */
    responsibleDoctor: uuid()
      .notNull()
      .references(() => users.id),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('entries_encounter_idx').on(t.facilityId, t.encounterId)],
);

/**
 * Confirmed versions. Never updated or deleted (trigger in migration 0005); the only change allowed is
 * the responsible doctor's approval of a proxy-entered version (approved_by/approved_at, once).
 */
export const entryVersions = pgTable(
  'entry_versions',
  {
    entryId: uuid()
      .notNull()
      .references(() => entries.id),
    version: integer().notNull(),
    facilityId: facilityColumn(),
    content: jsonb().$type<EntryContent>().notNull(),
    enteredBy: uuid()
      .notNull()
      .references(() => users.id), // 入力者
    responsibleDoctor: uuid()
      .notNull()
      .references(() => users.id), // 確定者
    approvedBy: userColumn(),
    approvedAt: timestamp({ withTimezone: true }),
    reason: text().notNull().default(''), // why a correction was made
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.version] }),
    index('entry_versions_unapproved_idx')
      .on(t.facilityId, t.responsibleDoctor)
      .where(sql`approved_by is null`),
    check('entry_versions_correction_reason', sql`version = 1 or reason <> ''`),
  ],
);

/** 傷病名: the problem list, on the standard disease master (or free text, then 未コード化). */
export const problems = pgTable(
  'problems',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    diseaseCode: text(), // 病名管理番号; null = 未コード化
    name: text().notNull(),
    prefix: text().notNull().default(''), // 接頭語 (text for now)
    suffix: text().notNull().default(''), // 接尾語
    main: integer().notNull().default(0), // 主病名
    suspected: integer().notNull().default(0), // 疑い
    onsetDate: date({ mode: 'string' }).notNull(), // 開始日
    outcome: text({ enum: ['', 'cured', 'died', 'stopped', 'transferred'] })
      .notNull()
      .default(''), // 転帰
    endDate: date({ mode: 'string' }), // 終了日
    undisclosed: integer().notNull().default(0), // 未告知
    notShared: integer().notNull().default(0), // 未提供
    // 誤登録: the row stays (who, when, why) but leaves the list, FHIR and the share snapshots.
    errorAt: timestamp({ withTimezone: true }),
    errorBy: userColumn(),
    errorReason: text(),
    version: integer().notNull().default(1),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: userColumn(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('problems_patient_idx').on(t.facilityId, t.patientId),
    check('problems_end_after_onset', sql`end_date is null or end_date >= onset_date`),
    check(
      'problems_entered_in_error',
      sql`(error_at is null and error_by is null and error_reason is null) or (error_at is not null and error_by is not null and error_reason <> '')`,
    ),
  ],
);

/** アレルギー・薬剤禁忌: always shown in the patient header. */
export const allergies = pgTable(
  'allergies',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    category: text({ enum: ['food', 'environment', 'drug', 'other'] }).notNull(),
    drugCode: text(), // 薬価基準収載医薬品コード when a listed drug
    substance: text().notNull(),
    criticality: text({ enum: ['low', 'high', 'unknown'] }).notNull(),
    reaction: text().notNull().default(''),
    onsetDate: date({ mode: 'string' }),
    status: text({ enum: ['active', 'inactive', 'resolved'] })
      .notNull()
      .default('active'),
    version: integer().notNull().default(1),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('allergies_patient_idx').on(t.facilityId, t.patientId)],
);

/** 感染症: HBs抗原, HCV抗体, HIV, 梅毒 (STS, TP); entered by hand now, from lab results later. */
export const infections = pgTable(
  'infections',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    kind: text({ enum: ['HBs', 'HCV', 'HIV', 'STS', 'TP'] }).notNull(),
    result: text({ enum: ['positive', 'negative', 'unknown'] }).notNull(),
    testedOn: date({ mode: 'string' }),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('infections_patient_idx').on(t.facilityId, t.patientId, t.kind)],
);

/** セット: reusable SOAP text, for the whole facility (owner null) or one user. */
export const templates = pgTable(
  'templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    ownerId: userColumn(),
    name: text().notNull(),
    content: jsonb().$type<SoapContent>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('templates_facility_idx').on(t.facilityId, t.ownerId)],
);
