import {
  customType,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { facilities, users } from './admin';

/**
 * Text in the "C" collation: byte order, so that one plain btree serves both `LIKE 'prefix%'`
 * and ORDER BY (katakana in code-point order is 五十音順).
 */
const searchText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/** 患者 registry. The *_norm columns hold the search form (see @karte/domain normalizeForSearch). */
export const patients = pgTable(
  'patients',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    patientNumber: integer().notNull(), // 患者番号, per facility
    familyName: text().notNull(), // 氏 (漢字)
    givenName: text().notNull(), // 名 (漢字)
    familyNameKana: text().notNull(),
    givenNameKana: text().notNull(),
    sex: text({ enum: ['male', 'female', 'other', 'unknown'] }).notNull(),
    birthDate: date({ mode: 'string' }).notNull(),
    postalCode: text().notNull().default(''),
    address: text().notNull().default(''),
    phone: text().notNull().default(''),
    nameNorm: searchText().notNull(),
    kanaNorm: searchText().notNull(),
    phoneNorm: text().notNull().default(''),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid().references(() => users.id),
  },
  (t) => [
    unique('patients_facility_number_key').on(t.facilityId, t.patientNumber),
    index('patients_kana_idx').on(t.facilityId, t.kanaNorm, t.id),
    index('patients_name_idx').on(t.facilityId, t.nameNorm, t.id),
    index('patients_birth_idx').on(t.facilityId, t.birthDate),
    index('patients_phone_idx').on(t.facilityId, t.phoneNorm),
  ],
);

/** Next 患者番号 per facility; the row lock serialises numbering. */
export const patientCounters = pgTable('patient_counters', {
  facilityId: uuid()
    .primaryKey()
    .references(() => facilities.id),
  lastNumber: integer().notNull().default(0),
});
