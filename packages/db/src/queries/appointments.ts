import { and, asc, count, eq, gte, lte, max, ne, sql, sum } from 'drizzle-orm';
import type { Tx } from '../open';
import { appointments, patients, users } from '../schema';

export type AppointmentRow = typeof appointments.$inferSelect;

/**
 * Serialises bookings of one doctor's day (a transaction-scoped advisory lock): of two clerks booking the same
 * slot at once, the second sees the first's appointment and is refused.
 */
export async function lockDoctorDay(tx: Tx, facilityId: string, doctorId: string, date: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`appointments:${facilityId}:${doctorId}:${date}`}, 0))`,
  );
}

/** The doctor's live appointment (not cancelled, not 不来院) overlapping [start, end) that day, if any. */
export async function overlappingAppointment(
  tx: Tx,
  facilityId: string,
  doctorId: string,
  date: string,
  startMinute: number,
  endMinute: number,
  exceptId: string | null,
) {
  const [row] = await tx
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.facilityId, facilityId),
        eq(appointments.doctorId, doctorId),
        eq(appointments.appointmentDate, date),
        sql`${appointments.state} in ('booked', 'checked_in')`,
        sql`${appointments.startMinute} < ${endMinute}`,
        sql`${appointments.startMinute} + ${appointments.durationMinutes} > ${startMinute}`,
        exceptId ? ne(appointments.id, exceptId) : undefined,
      ),
    )
    .orderBy(asc(appointments.startMinute))
    .limit(1);
  return row ?? null;
}

export async function insertAppointment(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  v: Pick<
    typeof appointments.$inferInsert,
    | 'patientId'
    | 'doctorId'
    | 'department'
    | 'appointmentDate'
    | 'startMinute'
    | 'durationMinutes'
    | 'purpose'
    | 'memo'
  >,
) {
  const [row] = await tx
    .insert(appointments)
    .values({ ...v, facilityId, createdBy: userId, updatedBy: userId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function getAppointment(tx: Tx, facilityId: string, id: string, forUpdate = false) {
  const q = tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.facilityId, facilityId), eq(appointments.id, id)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

/** Changes an appointment still at the version the user saw; null on conflict. */
export async function updateAppointment(
  tx: Tx,
  facilityId: string,
  userId: string | null,
  id: string,
  version: number,
  set: Partial<
    Pick<
      typeof appointments.$inferInsert,
      | 'doctorId'
      | 'appointmentDate'
      | 'startMinute'
      | 'durationMinutes'
      | 'state'
      | 'visitId'
      | 'cancelReason'
    >
  >,
) {
  const [row] = await tx
    .update(appointments)
    .set({ ...set, version: sql`${appointments.version} + 1`, updatedAt: sql`now()`, updatedBy: userId })
    .where(
      and(
        eq(appointments.facilityId, facilityId),
        eq(appointments.id, id),
        eq(appointments.version, version),
      ),
    )
    .returning();
  return row ?? null;
}

/** Appointments of the days [from, to] with who they are for and with: the calendar, today's list, the slip. */
export function appointmentList(
  tx: Tx,
  facilityId: string,
  where: { from: string; to: string; doctorId?: string | null; department?: string; id?: string },
) {
  return tx
    .select({
      id: appointments.id,
      patientId: appointments.patientId,
      patientNumber: patients.patientNumber,
      familyName: patients.familyName,
      givenName: patients.givenName,
      familyNameKana: patients.familyNameKana,
      givenNameKana: patients.givenNameKana,
      birthDate: patients.birthDate,
      sex: patients.sex,
      doctorId: appointments.doctorId,
      doctorName: users.displayName,
      department: appointments.department,
      date: appointments.appointmentDate,
      startMinute: appointments.startMinute,
      durationMinutes: appointments.durationMinutes,
      purpose: appointments.purpose,
      memo: appointments.memo,
      state: appointments.state,
      visitId: appointments.visitId,
      cancelReason: appointments.cancelReason,
      version: appointments.version,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .leftJoin(users, eq(users.id, appointments.doctorId))
    .where(
      and(
        eq(appointments.facilityId, facilityId),
        gte(appointments.appointmentDate, where.from),
        lte(appointments.appointmentDate, where.to),
        where.doctorId ? eq(appointments.doctorId, where.doctorId) : undefined,
        where.department ? eq(appointments.department, where.department) : undefined,
        where.id ? eq(appointments.id, where.id) : undefined,
      ),
    )
    .orderBy(asc(appointments.appointmentDate), asc(appointments.startMinute), asc(appointments.createdAt));
}

/** The facility's active doctors (the calendar's columns and the booking form's choice). */
export function facilityDoctors(tx: Tx, facilityId: string) {
  return tx
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.facilityId, facilityId), eq(users.role, 'doctor'), eq(users.active, true)))
    .orderBy(asc(users.displayName));
}

export async function getDoctor(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select({ id: users.id, displayName: users.displayName, active: users.active })
    .from(users)
    .where(and(eq(users.facilityId, facilityId), eq(users.id, id), eq(users.role, 'doctor')));
  return row ?? null;
}

/** A fingerprint of a day's appointments without patient data (the board follows it). */
export async function appointmentStamp(tx: Tx, facilityId: string, date: string) {
  const [row] = await tx
    .select({ n: count(), versions: sum(appointments.version), last: max(appointments.updatedAt) })
    .from(appointments)
    .where(and(eq(appointments.facilityId, facilityId), eq(appointments.appointmentDate, date)));
  const last = row?.last as unknown;
  return `${row?.n ?? 0}:${row?.versions ?? 0}:${last instanceof Date ? last.toISOString() : String(last ?? '')}`;
}
