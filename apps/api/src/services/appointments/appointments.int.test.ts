/**
 * 予約: booking in the clinic's hours, double bookings refused (also when two clerks book the same slot at the
 * same moment — on PostgreSQL the calls run in parallel transactions), moves, cancels, 不来院, and 受付 from
 * an appointment in one step.
 */
import { schema } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { TRPCClientError } from '@trpc/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../routers/_app';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';
import { defaultBillingSettings } from '../billing/settings';
import { addDays, calendarDay } from './slots';

let app: TestApp;
let clerk: TestClient;
let clerks: TestClient[];
let doctor: TestClient;
let patients: { id: string }[];
let doctorId: string;
let facilityId: string;
/** An open day (default hours) six weeks on, after the demo clinic's booked weeks. */
let day: string;

const outcomeOf = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: unknown) => (e instanceof TRPCClientError ? String(e.data?.code) : 'UNKNOWN'),
  );

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  clerks = await Promise.all(Array.from({ length: 6 }, () => loginAs(app.url, 'clerk')));
  doctor = await loginAs(app.url, 'doctor');
  patients = await clerk.reception.searchPatients.query({ query: 'サ', limit: 12 });
  const [u] = await app.karte.db.select().from(schema.users).where(eq(schema.users.username, 'doctor'));
  doctorId = u!.id;
  facilityId = u!.facilityId;
  // Past the demo's four booked weeks: the slots of this day are the tests' own.
  day = addDays(todayInJapan(), 42);
  while (calendarDay(day, defaultBillingSettings()).closed) day = addDays(day, 1);
}, 120_000);
afterAll(() => app?.close());

const book = (c: TestClient, patientId: string, startTime: string, over: Record<string, unknown> = {}) =>
  c.appointments.book.mutate({
    patientId,
    doctorId,
    department: '内科',
    date: day,
    startTime,
    durationMinutes: 15,
    purpose: '再診',
    memo: '',
    ...over,
  });

/** A booked appointment for today, written directly (today may be a closed day or past the hours). */
async function todaysAppointment(patientId: string, startMinute = 600) {
  const [row] = await app.karte.db
    .insert(schema.appointments)
    .values({
      facilityId,
      patientId,
      doctorId,
      department: '内科',
      appointmentDate: todayInJapan(),
      startMinute,
      durationMinutes: 15,
      purpose: '再診',
    })
    .returning();
  return row!;
}

describe('booking', () => {
  it('books into a slot of the clinic hours; the calendar shows it among the day’s slots', async () => {
    const a = await book(clerk, patients[0]!.id, '09:00');
    expect(a).toMatchObject({
      state: 'booked',
      startTime: '09:00',
      date: day,
      doctorName: '医師 デモ',
      version: 1,
    });
    const cal = await doctor.appointments.calendar.query({ from: day, days: 1, doctorId });
    expect(cal.days[0]?.slots[0]).toBe('09:00');
    expect(cal.days[0]?.slots).toContain('12:15');
    expect(cal.days[0]?.slots).not.toContain('12:30'); // 9:00–12:30: the last slot starts 12:15
    expect(cal.appointments.map((x) => x.id)).toContain(a.id);
    expect(cal.slotMinutes).toBe(15);
  });

  it('refuses a double booking of the doctor with a Japanese message naming the other time', async () => {
    await book(clerk, patients[1]!.id, '10:00', { durationMinutes: 30 });
    const error = await book(clerk, patients[2]!.id, '10:15').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('CONFLICT');
    expect((error as Error).message).toBe(
      `医師 デモ 医師には ${day} 10:00〜10:30 に別の予約があります（二重予約はできません）`,
    );
    // Back to back is fine; 担当医指定なし has no doctor to clash with.
    await book(clerk, patients[2]!.id, '10:30');
    await book(clerk, patients[3]!.id, '10:00', { doctorId: null });
  });

  it('two clerks booking the same slot at the same moment: exactly one wins', async () => {
    const results = await Promise.all(clerks.map((c, i) => outcomeOf(book(c, patients[4 + i]!.id, '11:00'))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(clerks.length - 1);
    const rows = await app.karte.db
      .select()
      .from(schema.appointments)
      .where(and(eq(schema.appointments.appointmentDate, day), eq(schema.appointments.startMinute, 660)));
    expect(rows).toHaveLength(1);
  });

  it('refuses the past, closed days and times outside the hours with a field error', async () => {
    const yesterday = addDays(todayInJapan(), -1);
    const past = await book(clerk, patients[0]!.id, '09:00', { date: yesterday }).catch((e) => e);
    expect(past.data?.fieldErrors?.date).toBe('過去の日付には予約できません');
    let sunday = day;
    while (new Date(`${sunday}T00:00:00Z`).getUTCDay() !== 0) sunday = addDays(sunday, 1);
    const closed = await book(clerk, patients[0]!.id, '09:00', { date: sunday }).catch((e) => e);
    expect(closed.data?.fieldErrors?.date).toMatch(/^この日は休診です/);
    const late = await book(clerk, patients[0]!.id, '12:30').catch((e) => e);
    expect(late.data?.fieldErrors?.startTime).toMatch(/診療時間外/);
    const overrun = await book(clerk, patients[0]!.id, '12:15', { durationMinutes: 30 }).catch((e) => e);
    expect(overrun.data?.fieldErrors?.startTime).toMatch(/診療時間外/);
    const dept = await book(clerk, patients[0]!.id, '09:30', { department: '眼科' }).catch((e) => e);
    expect(dept.data?.fieldErrors?.department).toMatch(/クリニック設定にありません/);
  });
});

describe('moving and cancelling', () => {
  it('moves to a free slot, refuses a taken one and a stale version; a cancel frees the slot', async () => {
    const a = await book(clerk, patients[0]!.id, '15:00');
    await book(clerk, patients[1]!.id, '15:30');
    const input = { appointmentId: a.id, version: a.version, date: day, doctorId, durationMinutes: 15 };
    expect(await errorCodeOf(clerk.appointments.move.mutate({ ...input, startTime: '15:30' }))).toBe(
      'CONFLICT',
    );
    const moved = await clerk.appointments.move.mutate({ ...input, startTime: '15:15' });
    expect(moved).toMatchObject({ startTime: '15:15', version: 2 });
    // Its own old time does not clash with itself.
    const back = await clerk.appointments.move.mutate({ ...input, version: 2, startTime: '15:00' });
    expect(back.startTime).toBe('15:00');
    expect(await errorCodeOf(clerk.appointments.move.mutate({ ...input, startTime: '16:00' }))).toBe(
      'CONFLICT',
    );
    const noReason = await clerk.appointments.cancel
      .mutate({ appointmentId: a.id, version: back.version, reason: '' })
      .catch((e) => e);
    expect(noReason.data?.fieldErrors?.reason).toBe('取消の理由を入力してください');
    const cancelled = await clerk.appointments.cancel.mutate({
      appointmentId: a.id,
      version: back.version,
      reason: '本人より電話で取消',
    });
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelReason: '本人より電話で取消' });
    await book(clerk, patients[2]!.id, '15:00'); // the slot is free again
    expect(
      await errorCodeOf(
        clerk.appointments.cancel.mutate({ appointmentId: a.id, version: cancelled.version, reason: 'x' }),
      ),
    ).toBe('CONFLICT');
  });

  it('不来院 only once the day has come', async () => {
    const future = await book(clerk, patients[3]!.id, '16:00');
    expect(
      await errorCodeOf(clerk.appointments.markNoShow.mutate({ appointmentId: future.id, version: 1 })),
    ).toBe('BAD_REQUEST');
    const today = await todaysAppointment(patients[3]!.id, 540);
    const marked = await clerk.appointments.markNoShow.mutate({ appointmentId: today.id, version: 1 });
    expect(marked.state).toBe('no_show');
  });
});

describe('受付 from an appointment', () => {
  it('checks the patient in and links the visit in one step; the board and its stamp follow', async () => {
    const p = patients[8]!.id;
    const appt = await todaysAppointment(p, 630);
    const stamp = await clerk.reception.boardStamp.query();
    const list = await clerk.appointments.today.query();
    expect(list.find((x) => x.id === appt.id)).toMatchObject({ state: 'booked', startTime: '10:30' });
    const { appointment, visit } = await clerk.appointments.checkIn.mutate({
      appointmentId: appt.id,
      version: 1,
    });
    expect(appointment).toMatchObject({ state: 'checked_in', visitId: visit.id });
    expect(visit).toMatchObject({ patientId: p, department: '内科', purpose: '再診', state: 'received' });
    const board = await clerk.reception.board.query();
    expect(board.find((v) => v.id === visit.id)?.patientId).toBe(p);
    expect(await clerk.reception.boardStamp.query()).not.toBe(stamp);
    // Twice is a conflict, not a second visit.
    expect(await errorCodeOf(clerk.appointments.checkIn.mutate({ appointmentId: appt.id, version: 2 }))).toBe(
      'CONFLICT',
    );
  });

  it('a patient already checked in: refused, and the appointment stays 予約 (one transaction)', async () => {
    const p = patients[9]!.id;
    const appt = await todaysAppointment(p, 660);
    await clerk.reception.checkIn.mutate({ patientId: p, purpose: '再診', department: '内科', memo: '' });
    const error = await clerk.appointments.checkIn
      .mutate({ appointmentId: appt.id, version: 1 })
      .catch((e) => e);
    expect(error.message).toMatch(/本日すでに受付済みです/);
    const [row] = await app.karte.db
      .select()
      .from(schema.appointments)
      .where(eq(schema.appointments.id, appt.id));
    expect(row).toMatchObject({ state: 'booked', visitId: null, version: 1 });
  });

  it('refuses a doctor (受付 is reception’s) and an appointment of another day', async () => {
    const appt = await todaysAppointment(patients[10]!.id, 690);
    expect(
      await errorCodeOf(doctor.appointments.checkIn.mutate({ appointmentId: appt.id, version: 1 })),
    ).toBe('FORBIDDEN');
    const future = await book(clerk, patients[10]!.id, '17:00');
    expect(
      await errorCodeOf(clerk.appointments.checkIn.mutate({ appointmentId: future.id, version: 1 })),
    ).toBe('BAD_REQUEST');
  });

  it('the slip has the clinic, the patient and the time', async () => {
    const a = await book(clerk, patients[11]!.id, '17:15');
    const slip = await clerk.appointments.get.query({ appointmentId: a.id });
    expect(slip.clinic.name).toBe('カルテ内科クリニック（デモ）');
    expect(slip.appointment).toMatchObject({ id: a.id, startTime: '17:15', date: day, department: '内科' });
    expect(slip.appointment.familyName.length).toBeGreaterThan(0);
  });
});
