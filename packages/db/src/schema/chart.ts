import type { SoapContent } from '@karte/domain';
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
import { facilities, users } from './admin';
import { patients, visits } from './reception';

/** 診療: one encounter per visit (or opened by the doctor without one). */
export const encounters = pgTable(
  'encounters',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    visitId: uuid().references(() => visits.id),
    encounterDate: date({ mode: 'string' }).notNull(),
    doctorId: uuid().references(() => users.id),
    createdBy: uuid().references(() => users.id),
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
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    encounterId: uuid()
      .notNull()
      .references(() => encounters.id),
    kind: text({ enum: ['soap'] }).notNull(),
    /** 0 while never confirmed. */
    currentVersion: integer().notNull().default(0),
    draft: jsonb().$type<SoapContent>(),
    /** Bumped by every draft save: a save based on an older revision is a conflict. */
    draftRev: integer().notNull().default(0),
    draftBy: uuid().references(() => users.id),
    draftAt: timestamp({ withTimezone: true }),
    /** The doctor responsible for the entry (確定者); for 代行入力, the doctor it is entered for. */
    responsibleDoctor: uuid()
      .notNull()
      .references(() => users.id),
    createdBy: uuid().references(() => users.id),
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
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    content: jsonb().$type<SoapContent>().notNull(),
    enteredBy: uuid()
      .notNull()
      .references(() => users.id), // 入力者
    responsibleDoctor: uuid()
      .notNull()
      .references(() => users.id), // 確定者
    approvedBy: uuid().references(() => users.id),
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
