import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** A clinic: the tenant. Every row of patient data belongs to one. */
export const facilities = pgTable('facilities', {
  id: uuid().primaryKey().defaultRandom(),
  institutionCode: char({ length: 10 }).notNull().unique(), // 医療機関コード (10桁)
  name: text().notNull(),
  address: text().notNull().default(''), // 所在地 (処方箋, 紹介状)
  phone: text().notNull().default(''),
  /** 診療科 the clinic uses (クリニック設定): its own name and the SS-MIX2 code sent in FHIR. */
  departments: jsonb()
    .$type<{ code: string; name: string }[]>()
    .notNull()
    .default([
      { code: '01', name: '内科' },
      { code: '09', name: '小児科' },
      { code: '10', name: '外科' },
      { code: '11', name: '整形外科' },
      { code: '19', name: '皮膚科' },
    ]),
  /** Optimistic concurrency of クリニック設定: each save adds one. */
  settingsVersion: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    username: text().notNull(), // ログインID, unique within its facility (login names the 医療機関コード)
    displayName: text().notNull(),
    role: text({ enum: ['doctor', 'nurse', 'clerk', 'admin'] }).notNull(),
    passwordHash: text().notNull(),
    mustChangePassword: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    failedLogins: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Per facility: a name taken in another clinic is nobody's business here.
  (t) => [uniqueIndex('users_facility_username_key').on(t.facilityId, t.username)],
);

/** Server-side sessions: any API process can serve any request. The id is sha256(token). */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    /** What the sessions pages show and revoke by (the id, the token's hash, stays on the server). */
    ref: uuid().notNull().defaultRandom().unique('sessions_ref_key'),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    /** Why it ended (idle | absolute | logout | disabled | password | relogin | locked), for the login page. */
    endReason: text(),
    clientAddress: text().notNull().default(''),
    userAgent: text().notNull().default(''),
  },
  (t) => [
    index().on(t.userId),
    index('sessions_facility_open_index').on(t.facilityId).where(sql`${t.endedAt} is null`),
  ],
);
