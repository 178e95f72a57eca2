import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
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
import { patients } from './reception';

// Prescriptions are chart entries of kind 'prescription' (entries/entry_versions): same drafts, 確定,
// versions and proxy approval as SOAP. Lab results live here.

/** A lab file as imported: its hash makes a second import of the same file a no-op. */
export const labImports = pgTable(
  'lab_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    sha256: text().notNull(),
    fileName: text().notNull(),
    rows: integer().notNull(),
    importedBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lab_imports_file_key').on(t.facilityId, t.sha256)],
);

/** 検体検査結果: one value of one item on one collection date. Filed rows never change (trigger). */
export const labResults = pgTable(
  'lab_results',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    collectedOn: date({ mode: 'string' }).notNull(), // 採取日
    code: text().notNull(), // JLAC10 17桁 or a local code
    /** jlac10: found in the JP-CLINS JLAC10 lists; local: the facility's own code. */
    codeSystem: text({ enum: ['jlac10', 'local'] }).notNull(),
    name: text().notNull(),
    value: text().notNull(), // as reported (陰性, <0.5, 4.2)
    valueNum: numeric({ precision: 14, scale: 4 }),
    unit: text().notNull().default(''),
    refLow: numeric({ precision: 14, scale: 4 }),
    refHigh: numeric({ precision: 14, scale: 4 }),
    refText: text().notNull().default(''),
    flag: text({ enum: ['', 'H', 'L'] })
      .notNull()
      .default(''),
    importId: uuid().references(() => labImports.id),
    /** 修正: the result this one takes the place of (that row stays, immutable), with the reason. */
    supersedes: uuid().references((): AnyPgColumn => labResults.id),
    correctionReason: text().notNull().default(''),
    enteredBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lab_results_trend_idx').on(t.facilityId, t.patientId, t.code, t.collectedOn),
    index('lab_results_date_idx').on(t.facilityId, t.patientId, t.collectedOn),
    index('lab_results_import_idx').on(t.importId).where(sql`import_id is not null`),
    // A result is corrected once; a later correction corrects the correction (a chain, never a fork).
    uniqueIndex('lab_results_supersedes_key').on(t.supersedes).where(sql`supersedes is not null`),
    check('lab_results_correction_reason', sql`supersedes is null or correction_reason <> ''`),
  ],
);
