import {
  type AppointmentRow,
  appointmentList,
  type Database,
  facilityDoctors,
  getAppointment,
  getDoctor,
  getFacility,
  getPatient,
  insertAppointment,
  lockDoctorDay,
  overlappingAppointment,
  type Tx,
  updateAppointment,
} from '@karte/db';
import {
  type AppointmentBookInput,
  type AppointmentCalendarInput,
  type AppointmentMoveInput,
  type AppointmentView,
  appointmentStateLabels,
  hhmmOf,
  minutesOf,
  SLOT_MINUTES,
  todayInJapan,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { billingSettingsOf } from '../billing/settings';
import { fieldError } from '../fieldError';
import { asAlreadyCheckedIn, checkInWithin } from '../reception/visits';
import { changeAndShare } from '../sharing/outbox';
import { addDays, calendarDay, closedReason, withinHours } from './slots';

// 予約: booking, moving, cancelling, 不来院 and 受付 from an appointment; the calendar and today's list.

type ListRow = Awaited<ReturnType<typeof appointmentList>>[number];

export function toView(r: ListRow): AppointmentView & { birthDate: string; sex: string } {
  const { startMinute, ...rest } = r;
  return { ...rest, startTime: hhmmOf(startMinute) };
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: '予約が見つかりません' });
const stale = () =>
  new TRPCError({
    code: 'CONFLICT',
    message: '他の端末でこの予約が変更されました。予約表を開き直して確認してください',
  });

/** The day's and the week's grid, the appointments in it, and the doctors and 診療科 to filter by. */
export async function calendar(db: Database, actor: Actor, input: AppointmentCalendarInput) {
  return db.transaction(async (tx) => {
    const settings = await billingSettingsOf(tx, actor.facilityId);
    const to = addDays(input.from, input.days - 1);
    const days = Array.from({ length: input.days }, (_, i) => calendarDay(addDays(input.from, i), settings));
    const rows = await appointmentList(tx, actor.facilityId, {
      from: input.from,
      to,
      doctorId: input.doctorId ?? null,
      department: input.department || undefined,
    });
    const doctors = await facilityDoctors(tx, actor.facilityId);
    const facility = await getFacility(tx, actor.facilityId);
    await recordAccess(tx, actor, 'read', null, {
      what: 'appointment-calendar',
      from: input.from,
      to,
      patientIds: [...new Set(rows.map((r) => r.patientId))],
    });
    return {
      slotMinutes: SLOT_MINUTES,
      today: todayInJapan(),
      days,
      appointments: rows.map(toView),
      doctors,
      departments: (facility?.departments ?? []).map((d) => d.name),
    };
  });
}

interface Placement {
  doctorId: string | null;
  department: string;
  date: string;
  startMinute: number;
  durationMinutes: number;
}

/** What booking and moving both check: the doctor, the 診療科, the day and hours, and a free slot. */
async function checkPlacement(tx: Tx, actor: Actor, p: Placement, exceptId: string | null) {
  const doctor = p.doctorId ? await getDoctor(tx, actor.facilityId, p.doctorId) : null;
  if (p.doctorId && !doctor) throw new TRPCError({ code: 'NOT_FOUND', message: '医師が見つかりません' });
  const facility = await getFacility(tx, actor.facilityId);
  if (!facility?.departments.some((d) => d.name === p.department))
    throw fieldError('department', 'この診療科はクリニック設定にありません。一覧から選択してください');
  if (p.date < todayInJapan()) throw fieldError('date', '過去の日付には予約できません');
  const settings = await billingSettingsOf(tx, actor.facilityId);
  const closed = closedReason(p.date, settings);
  if (closed) throw fieldError('date', `この日は休診です（${closed}）`);
  if (!withinHours(p.date, p.startMinute, p.durationMinutes, settings))
    throw fieldError('startTime', '診療時間外です。診療時間内の枠を選んでください');
  if (!doctor) return;
  // One booking of this doctor's day at a time: the second of two simultaneous bookings sees the first.
  await lockDoctorDay(tx, actor.facilityId, doctor.id, p.date);
  const other = await overlappingAppointment(
    tx,
    actor.facilityId,
    doctor.id,
    p.date,
    p.startMinute,
    p.startMinute + p.durationMinutes,
    exceptId,
  );
  if (other) {
    const end = hhmmOf(other.startMinute + other.durationMinutes);
    throw new TRPCError({
      code: 'CONFLICT',
      message: `${doctor.displayName} 医師には ${other.appointmentDate} ${hhmmOf(other.startMinute)}〜${end} に別の予約があります（二重予約はできません）`,
    });
  }
}

async function viewOf(tx: Tx, facilityId: string, row: AppointmentRow) {
  const [view] = await appointmentList(tx, facilityId, {
    from: row.appointmentDate,
    to: row.appointmentDate,
    id: row.id,
  });
  if (!view) throw notFound();
  return toView(view);
}

export async function book(db: Database, actor: Actor, input: AppointmentBookInput) {
  return db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, input.patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const placement = {
      doctorId: input.doctorId,
      department: input.department,
      date: input.date,
      startMinute: minutesOf(input.startTime),
      durationMinutes: input.durationMinutes,
    };
    await checkPlacement(tx, actor, placement, null);
    const row = await insertAppointment(tx, actor.facilityId, actor.userId, {
      patientId: patient.id,
      doctorId: placement.doctorId,
      department: placement.department,
      appointmentDate: placement.date,
      startMinute: placement.startMinute,
      durationMinutes: placement.durationMinutes,
      purpose: input.purpose,
      memo: input.memo,
    });
    await recordAccess(tx, actor, 'create', patient.id, {
      what: 'appointment',
      appointmentId: row.id,
      date: row.appointmentDate,
      time: input.startTime,
    });
    return viewOf(tx, actor.facilityId, row);
  });
}

/** The appointment, locked, still 予約 and at the version the user saw. */
async function bookedAppointment(tx: Tx, actor: Actor, id: string, version: number) {
  const row = await getAppointment(tx, actor.facilityId, id, true);
  if (!row) throw notFound();
  if (row.version !== version) throw stale();
  if (row.state !== 'booked')
    throw new TRPCError({
      code: 'CONFLICT',
      message: `この予約は「${appointmentStateLabels[row.state]}」のため変更できません`,
    });
  return row;
}

export async function move(db: Database, actor: Actor, input: AppointmentMoveInput) {
  return db.transaction(async (tx) => {
    const before = await bookedAppointment(tx, actor, input.appointmentId, input.version);
    const placement = {
      doctorId: input.doctorId,
      department: before.department,
      date: input.date,
      startMinute: minutesOf(input.startTime),
      durationMinutes: input.durationMinutes,
    };
    await checkPlacement(tx, actor, placement, before.id);
    const row = await updateAppointment(tx, actor.facilityId, actor.userId, before.id, before.version, {
      doctorId: placement.doctorId,
      appointmentDate: placement.date,
      startMinute: placement.startMinute,
      durationMinutes: placement.durationMinutes,
    });
    if (!row) throw stale();
    await recordAccess(tx, actor, 'update', row.patientId, {
      what: 'appointment-move',
      appointmentId: row.id,
      from: `${before.appointmentDate} ${hhmmOf(before.startMinute)}`,
      to: `${row.appointmentDate} ${input.startTime}`,
    });
    return viewOf(tx, actor.facilityId, row);
  });
}

export async function cancel(
  db: Database,
  actor: Actor,
  input: { appointmentId: string; version: number; reason: string },
) {
  return db.transaction(async (tx) => {
    const before = await bookedAppointment(tx, actor, input.appointmentId, input.version);
    const row = await updateAppointment(tx, actor.facilityId, actor.userId, before.id, before.version, {
      state: 'cancelled',
      cancelReason: input.reason,
    });
    if (!row) throw stale();
    await recordAccess(tx, actor, 'update', row.patientId, {
      what: 'appointment-cancel',
      appointmentId: row.id,
      reason: input.reason,
    });
    return viewOf(tx, actor.facilityId, row);
  });
}

/** 不来院: the day has come (or passed) and the patient did not. */
export async function markNoShow(
  db: Database,
  actor: Actor,
  input: { appointmentId: string; version: number },
) {
  return db.transaction(async (tx) => {
    const before = await bookedAppointment(tx, actor, input.appointmentId, input.version);
    if (before.appointmentDate > todayInJapan())
      throw new TRPCError({ code: 'BAD_REQUEST', message: '予約日より前に不来院にはできません' });
    const row = await updateAppointment(tx, actor.facilityId, actor.userId, before.id, before.version, {
      state: 'no_show',
    });
    if (!row) throw stale();
    await recordAccess(tx, actor, 'update', row.patientId, {
      what: 'appointment-no-show',
      appointmentId: row.id,
    });
    return viewOf(tx, actor.facilityId, row);
  });
}

/**
 * 受付 from today's appointment in one step: today's visit (the reception check-in, with its checks and its
 * 受付番号) and the appointment linked to it, in one transaction.
 */
export async function checkInFromAppointment(
  db: Database,
  actor: Actor,
  input: { appointmentId: string; version: number },
) {
  let patientId: string | null = null;
  try {
    return await changeAndShare(db, async (tx) => {
      const before = await bookedAppointment(tx, actor, input.appointmentId, input.version);
      patientId = before.patientId;
      if (before.appointmentDate !== todayInJapan())
        throw new TRPCError({ code: 'BAD_REQUEST', message: '本日の予約ではないため受付できません' });
      const visit = await checkInWithin(tx, actor, {
        patientId: before.patientId,
        purpose: before.purpose || '予約',
        department: before.department,
        memo: before.memo,
      });
      const row = await updateAppointment(tx, actor.facilityId, actor.userId, before.id, before.version, {
        state: 'checked_in',
        visitId: visit.id,
      });
      if (!row) throw stale();
      await recordAccess(tx, actor, 'update', row.patientId, {
        what: 'appointment-check-in',
        appointmentId: row.id,
        visitId: visit.id,
      });
      return { appointment: await viewOf(tx, actor.facilityId, row), visit };
    });
  } catch (error) {
    throw patientId ? await asAlreadyCheckedIn(db, actor, patientId, error) : error;
  }
}

/** 受付一覧's panel: today's appointments of every doctor. */
export async function todaysAppointments(db: Database, actor: Actor) {
  return db.transaction(async (tx) => {
    const today = todayInJapan();
    const rows = await appointmentList(tx, actor.facilityId, { from: today, to: today });
    await recordAccess(tx, actor, 'read', null, {
      what: 'appointments-today',
      patientIds: [...new Set(rows.map((r) => r.patientId))],
    });
    return rows.map(toView);
  });
}

/** 予約票: the appointment with the clinic's name, address and phone. */
export async function appointmentSlip(db: Database, actor: Actor, appointmentId: string) {
  return db.transaction(async (tx) => {
    const row = await getAppointment(tx, actor.facilityId, appointmentId);
    if (!row) throw notFound();
    const view = await viewOf(tx, actor.facilityId, row);
    const facility = await getFacility(tx, actor.facilityId);
    await recordAccess(tx, actor, 'read', row.patientId, { what: 'appointment', appointmentId: row.id });
    return {
      appointment: view,
      clinic: { name: facility?.name ?? '', address: facility?.address ?? '', phone: facility?.phone ?? '' },
    };
  });
}
