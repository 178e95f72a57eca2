import { sql } from 'drizzle-orm';
import {
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { facilities } from './admin';
import { facilityColumn, userColumn } from './columns';

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
    facilityId: facilityColumn(),
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
    createdBy: userColumn(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: userColumn(),
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

/**
 * 保険: one row per version. A change ends the current row (ended_at) and adds a new one, so the
 * history of what was registered, when and by whom stays.
 */
export const coverages = pgTable(
  'coverages',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    insurerNumber: text().notNull(), // 保険者番号 (6 or 8 digits)
    symbol: text().notNull().default(''), // 記号, as entered
    number: text().notNull(), // 番号, as entered
    branch: text().notNull().default(''), // 枝番
    relationship: text({ enum: ['self', 'family'] }).notNull(), // 本人/家族
    acquiredOn: date({ mode: 'string' }), // 資格取得日
    validUntil: date({ mode: 'string' }), // 有効期限
    limitCategory: text().notNull().default(''), // 限度額適用区分 code (A01…B10)
    wariOverride: smallint(), // 負担割合 from the eligibility check or the card, when not by age
    wariSource: text().notNull().default(''), // why the override: 資格確認 / 手入力
    eligibilityCheckId: uuid(), // the check it was applied from
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    endedBy: userColumn(),
  },
  (t) => [
    index('coverages_patient_idx').on(t.facilityId, t.patientId, t.createdAt),
    // One current version per patient, even when two clerks save the first coverage at once.
    uniqueIndex('coverages_current_key').on(t.facilityId, t.patientId).where(sql`ended_at is null`),
  ],
);

/** 公費, up to four per patient in priority order; versioned like coverages. */
export const publicSubsidies = pgTable(
  'public_subsidies',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    priority: smallint().notNull(),
    payerNumber: text().notNull(), // 公費負担者番号
    recipientNumber: text().notNull().default(''), // 受給者番号
    validFrom: date({ mode: 'string' }),
    validUntil: date({ mode: 'string' }),
    monthlyCap: integer(), // 自己負担上限月額 (yen)
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    endedBy: userColumn(),
  },
  (t) => [
    index('public_subsidies_patient_idx').on(t.facilityId, t.patientId),
    uniqueIndex('public_subsidies_priority_key')
      .on(t.facilityId, t.patientId, t.priority)
      .where(sql`ended_at is null`),
  ],
);

/** オンライン資格確認: every query, its raw response, and who applied it. */
export const eligibilityChecks = pgTable(
  'eligibility_checks',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    method: text({ enum: ['card', 'insurance'] }).notNull(),
    outcome: text().notNull(), // valid | invalid | … | unavailable
    response: jsonb().$type<Record<string, unknown>>(),
    error: text(),
    requestedBy: userColumn(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    appliedBy: userColumn(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('eligibility_checks_patient_idx').on(t.facilityId, t.patientId, t.requestedAt)],
);

/** 受付: today's visits. One active visit per patient and day, enforced by a partial unique index. */
export const visits = pgTable(
  'visits',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    visitDate: date({ mode: 'string' }).notNull(),
    receptionNumber: integer().notNull(), // 受付番号, per facility and day
    state: text({
      enum: ['received', 'waiting', 'in_consult', 'billing', 'done', 'on_hold', 'cancelled', 'absent'],
    }).notNull(),
    purpose: text().notNull(), // 来院目的
    department: text().notNull(),
    memo: text().notNull().default(''),
    coverageId: uuid().references(() => coverages.id),
    eligibilityConfirmed: integer().notNull().default(0), // 1 = confirmed online today, 0 = 未確認
    version: integer().notNull().default(1),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: userColumn(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('visits_reception_number_key').on(t.facilityId, t.visitDate, t.receptionNumber),
    uniqueIndex('visits_one_active_per_day_key')
      .on(t.facilityId, t.patientId, t.visitDate)
      .where(sql`state <> 'cancelled'`),
    index('visits_board_idx').on(t.facilityId, t.visitDate, t.updatedAt),
  ],
);

export const visitCounters = pgTable(
  'visit_counters',
  {
    facilityId: facilityColumn(),
    visitDate: date({ mode: 'string' }).notNull(),
    lastNumber: integer().notNull().default(0),
  },
  (t) => [unique('visit_counters_key').on(t.facilityId, t.visitDate)],
);
