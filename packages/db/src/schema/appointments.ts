import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './admin';
import { facilityColumn, userColumn } from './columns';
import { patients, visits } from './reception';

export const appointmentStates = ['booked', 'checked_in', 'no_show', 'cancelled'] as const;

/**
 * 予約: a patient's appointment with a doctor (null: any doctor of the 診療科) at a time of a day. Booked, then
 * checked in (linked to the visit it became), marked 不来院, or cancelled with a reason; never deleted.
 * Times are minutes after midnight (Japan time) of `appointment_date`.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid().primaryKey().defaultRandom(),
    facilityId: facilityColumn(),
    patientId: uuid()
      .notNull()
      .references(() => patients.id),
    doctorId: uuid().references(() => users.id),
    department: text().notNull(), // 診療科 (the clinic's name, as in クリニック設定)
    appointmentDate: date({ mode: 'string' }).notNull(),
    startMinute: smallint().notNull(),
    durationMinutes: smallint().notNull(),
    purpose: text().notNull().default(''), // 予約目的
    memo: text().notNull().default(''),
    state: text({ enum: appointmentStates }).notNull().default('booked'),
    visitId: uuid().references(() => visits.id), // the visit it became (受付済)
    cancelReason: text().notNull().default(''),
    version: integer().notNull().default(1),
    createdBy: userColumn(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: userColumn(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('appointments_day_idx').on(t.facilityId, t.appointmentDate, t.startMinute),
    index('appointments_doctor_day_idx').on(t.facilityId, t.doctorId, t.appointmentDate),
    index('appointments_patient_idx').on(t.facilityId, t.patientId, t.appointmentDate),
    uniqueIndex('appointments_visit_key').on(t.visitId).where(sql`visit_id is not null`),
  ],
);
