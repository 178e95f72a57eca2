import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { facilities } from './admin';

/**
 * Append-only audit trail, hash-chained per facility: hash = sha256(prev_hash | seq | canonical row).
 * A trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    facilityId: uuid()
      .notNull()
      .references(() => facilities.id),
    seq: bigint({ mode: 'number' }).notNull(),
    occurredAt: timestamp({ withTimezone: true, mode: 'string' }).notNull(),
    userId: uuid(),
    patientId: uuid(),
    action: text().notNull(), // read | search | create | update | login | …
    procedure: text().notNull(),
    outcome: text().notNull(), // ok | denied | error | conflict | invalid
    detail: jsonb().$type<Record<string, unknown>>().notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (t) => [
    unique('audit_events_facility_seq_key').on(t.facilityId, t.seq),
    index('audit_events_patient_idx').on(t.facilityId, t.patientId, t.seq),
    index('audit_events_user_idx').on(t.facilityId, t.userId, t.seq),
    index('audit_events_time_idx').on(t.facilityId, t.occurredAt),
  ],
);

/** The head of each facility's chain; its row lock serialises appends. */
export const auditHeads = pgTable('audit_heads', {
  facilityId: uuid()
    .primaryKey()
    .references(() => facilities.id),
  seq: bigint({ mode: 'number' }).notNull(),
  hash: text().notNull(),
});
