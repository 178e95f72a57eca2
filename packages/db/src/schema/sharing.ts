import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Bundle } from 'fhir/r4';
import { facilityColumn, userColumn } from './columns';
import { patients } from './reception';

/**
 * The share-service outbox: one row per Bundle.identifier holding the latest Bundle to send. A change
 * and its row (version + 1) commit in one transaction; the worker sends the latest version only, one at
 * a time per identifier (lease), so an older version can never arrive after a newer one.
 */
export const shareSubmissions = pgTable(
  'share_submissions',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    /** conditions | allergies | labs | referral | discharge | checkup */
    kind: text().notNull(),
    /** send, or delete (the Patient-only Bundle). */
    action: text({ enum: ['send', 'delete'] })
      .notNull()
      .default('send'),
    identifier: text().notNull(), // Bundle.identifier.value
    entryId: uuid(), // the document entry, for documents
    bundle: jsonb().$type<Bundle>().notNull(),
    /**
     * The same Bundle as the JSON text that is posted, byte for byte as Karte built it (jsonb reorders keys);
     * stored uncompressed (migration 0011) so that the worker hands it to the HTTP client without conversion.
     */
    body: text().notNull(),
    version: integer().notNull().default(1),
    sentVersion: integer().notNull().default(0),
    /**
     * pending (送信待ち / 再送中), sent (送信済), error (rejected: 4xx), failed (retries used up), cancelled (the
     * patient withdrew consent before it went: 取消（同意撤回）).
     */
    status: text({ enum: ['pending', 'sent', 'error', 'failed', 'cancelled'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp({ withTimezone: true }),
    lastError: text().notNull().default(''),
    sentAt: timestamp({ withTimezone: true }),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('share_submissions_identifier_key').on(t.facilityId, t.identifier),
    index('share_submissions_patient_idx').on(t.facilityId, t.patientId),
    index('share_submissions_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending' and sent_version < version`),
  ],
);

/** Every delivery attempt: what was sent (version), when, and what the service answered. */
export const shareAttempts = pgTable(
  'share_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    facilityId: facilityColumn(),
    submissionId: uuid()
      .notNull()
      .references(() => shareSubmissions.id),
    version: integer().notNull(),
    outcome: text({ enum: ['accepted', 'rejected', 'transient'] }).notNull(),
    httpStatus: integer(),
    message: text().notNull().default(''),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_attempts_submission_idx').on(t.submissionId, t.at)],
);

/** 共有への同意: a patient who withdrew it is not sent (what was sent is deleted). Absent row = not withdrawn. */
export const shareConsents = pgTable('share_consents', {
  patientId: uuid()
    .primaryKey()
    .references(() => patients.id),
  facilityId: facilityColumn(),
  withdrawn: boolean().notNull(),
  changedBy: userColumn(),
  changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
