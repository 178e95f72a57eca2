import { bigint, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { facilities, users } from './admin';
import { facilityColumn } from './columns';

/** A facility's 2段階認証 policy for users other than administrators (administrators: always required). */
export const twoFactorPolicies = pgTable('two_factor_policies', {
  facilityId: uuid()
    .primaryKey()
    .references(() => facilities.id),
  others: text({ enum: ['optional', 'required'] })
    .notNull()
    .default('optional'),
  updatedBy: uuid().references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * One TOTP authenticator per user. `secret` is encrypted with the key file (KARTE_MFA_KEY_FILE), so a
 * database dump alone does not yield it; unconfirmed until the user typed a code from it. `last_step`
 * is the 30-second step of the last code accepted: a code of that step or earlier is a replay.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id),
  facilityId: facilityColumn(),
  secret: text().notNull(),
  confirmedAt: timestamp({ withTimezone: true }),
  lastStep: bigint({ mode: 'number' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** One-time recovery codes, stored as HMAC-SHA256 under the key file; used_at set when spent. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId)],
);

/** WebAuthn credentials (passkeys): the public key only; the private key never leaves the authenticator. */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** base64url credential id, as the browser reports it. */
    credentialId: text().notNull(),
    /** base64url COSE public key. */
    publicKey: text().notNull(),
    counter: bigint({ mode: 'number' }).notNull().default(0),
    /** Comma-separated transports (usb, internal, hybrid…). */
    transports: text().notNull().default(''),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('passkeys_credential_id_key').on(t.credentialId), index().on(t.userId)],
);

/**
 * Short-lived sign-in state: a password accepted and a second factor awaited ('second-factor'), an
 * enrolment forced by policy ('enrol'), a passwordless passkey sign-in ('passkey-login'), or a passkey
 * being registered ('passkey-register'). The id is sha256 of the token in the browser's cookie.
 */
export const loginChallenges = pgTable(
  'login_challenges',
  {
    id: text().primaryKey(),
    facilityId: facilityColumn(),
    userId: uuid().references(() => users.id),
    kind: text({ enum: ['second-factor', 'enrol', 'passkey-login', 'passkey-register'] }).notNull(),
    /** The WebAuthn challenge issued for this state, if any. */
    challenge: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.expiresAt)],
);
