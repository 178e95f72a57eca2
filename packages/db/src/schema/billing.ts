import { sql } from 'drizzle-orm';
import {
  check,
  customType,
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
import { facilityColumn, userColumn } from './columns';
import { patients, visits } from './reception';

const searchText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/**
 * 支払基金 基本マスター with history: one row per code and version. The official file keeps only the current
 * value, so Karte keeps every version it has loaded, each valid from its 変更年月日 (shared by every facility).
 */
export const tariffItems = pgTable(
  'tariff_items',
  {
    kind: text({ enum: ['procedure', 'drug', 'material', 'comment'] }).notNull(), // s_ / y_ / t_ / c_
    code: text().notNull(),
    validFrom: date({ mode: 'string' }).notNull(), // 変更年月日
    validTo: date({ mode: 'string' }), // the day before the next version, or 廃止年月日
    name: text().notNull(),
    nameNorm: searchText().notNull(),
    kanaNorm: searchText().notNull(),
    /** The master row's columns as published (decoded), read by @karte/billing. */
    cols: jsonb().$type<string[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.code, t.validFrom] }),
    index('tariff_items_name_idx').on(t.nameNorm),
    index('tariff_items_kana_idx').on(t.kanaNorm),
  ],
);

/** The facility's billing settings (届出, 診療時間, 休診日, 地方単独 公費, 自費 price list), versioned. */
export const billingSettings = pgTable('billing_settings', {
  facilityId: facilityColumn().primaryKey(),
  version: integer().notNull().default(1),
  content: jsonb().$type<Record<string, unknown>>().notNull(),
  updatedBy: userColumn(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** 会計: one per visit; its content lives in immutable versions. */
export const bills = pgTable(
  'bills',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    visitId: uuid()
      .notNull()
      .references(() => visits.id),
    visitDate: date({ mode: 'string' }).notNull(),
    currentVersion: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bills_visit_key').on(t.visitId),
    index('bills_patient_idx').on(t.facilityId, t.patientId, t.visitDate),
    index('bills_date_idx').on(t.facilityId, t.visitDate),
  ],
);

/** One confirmed state of a 会計 (the first, or a 訂正 with its reason). Never changes (trigger). */
export const billVersions = pgTable(
  'bill_versions',
  {
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    version: integer().notNull(),
    facilityId: facilityColumn(),
    /** The draft as confirmed and the computed totals (BillDraft + BillTotals). */
    content: jsonb().$type<Record<string, unknown>>().notNull(),
    points: integer().notNull(),
    chargeYen: integer().notNull(), // 請求額 (保険分の窓口負担 + 自費)
    reason: text().notNull().default(''),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.billId, t.version] }),
    check('bill_versions_correction_reason', sql`version = 1 or reason <> ''`),
  ],
);

/** 入金 (and 返金 as a negative amount). Never changes (trigger). */
export const billPayments = pgTable(
  'bill_payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    amountYen: integer().notNull(),
    method: text({ enum: ['cash', 'card', 'qr', 'transfer', 'other'] }).notNull(),
    tenderedYen: integer(),
    businessDate: date({ mode: 'string' }).notNull(), // the day the money moved (日計表)
    receivedBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bill_payments_bill_idx').on(t.billId),
    index('bill_payments_day_idx').on(t.facilityId, t.businessDate),
    index('bill_payments_patient_idx').on(t.facilityId, t.patientId),
  ],
);

/** Every 領収証 / 明細書 printed: a second print of the same version is a 再発行. Append-only. */
export const billPrints = pgTable(
  'bill_prints',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    version: integer().notNull(),
    kind: text({ enum: ['receipt', 'statement'] }).notNull(),
    printedBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bill_prints_bill_idx').on(t.billId, t.kind)],
);
