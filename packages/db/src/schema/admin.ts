import {
  boolean,
  char,
  index,
  integer,
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
  },
  (t) => [index().on(t.userId)],
);
