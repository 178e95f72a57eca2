import { type Database, schema } from '@karte/db';
import { minutesOf, SLOT_MINUTES, todayInJapan } from '@karte/domain';
import { and, asc, eq, lt, ne } from 'drizzle-orm';
import { addDays, calendarDay } from '../services/appointments/slots';
import { defaultBillingSettings } from '../services/billing/settings';

// 予約 for the demo clinic: a list for reception today, the coming four weeks booked here and there, and the
// past — every earlier visit of a demo patient came from an appointment (checked in and linked), a few 不来院.
// Runs after every other demo step (demo history's past visits included, when there are any); one bulk insert.

type Row = typeof schema.appointments.$inferInsert;

/** A small deterministic generator: the demo looks the same on every first start of the same day. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedDemoAppointments(
  db: Database,
  facilityId: string,
  clerkId: string,
  doctorId: string,
) {
  const today = todayInJapan();
  const settings = defaultBillingSettings();
  const rand = random(Number(today.replaceAll('-', '')));
  const patients = await db
    .select({ id: schema.patients.id })
    .from(schema.patients)
    .where(eq(schema.patients.facilityId, facilityId))
    .orderBy(asc(schema.patients.patientNumber));
  if (patients.length === 0) return { appointments: 0 };
  const base = {
    facilityId,
    department: '内科',
    durationMinutes: SLOT_MINUTES,
    createdBy: clerkId,
    updatedBy: clerkId,
  };
  const rows: Row[] = [];
  const pick = () => patients[Math.floor(rand() * patients.length)]?.id as string;

  // The past: each earlier visit was booked, and checked in from its appointment.
  const visits = await db
    .select({
      id: schema.visits.id,
      patientId: schema.visits.patientId,
      visitDate: schema.visits.visitDate,
      receptionNumber: schema.visits.receptionNumber,
      department: schema.visits.department,
      purpose: schema.visits.purpose,
    })
    .from(schema.visits)
    .where(
      and(
        eq(schema.visits.facilityId, facilityId),
        lt(schema.visits.visitDate, today),
        ne(schema.visits.state, 'cancelled'),
      ),
    );
  const pastDays = new Map<string, number>();
  for (const v of visits) {
    const slots = calendarDay(v.visitDate, settings).slots;
    // In the order they came, one slot each (a day with more visits than slots wraps round).
    const slot = slots.length ? slots[(v.receptionNumber - 1) % slots.length] : '09:00';
    pastDays.set(v.visitDate, (pastDays.get(v.visitDate) ?? 0) + 1);
    rows.push({
      ...base,
      patientId: v.patientId,
      doctorId,
      department: v.department,
      appointmentDate: v.visitDate,
      startMinute: minutesOf(slot ?? '09:00'),
      purpose: v.purpose,
      state: 'checked_in',
      visitId: v.id,
      createdAt: new Date(`${addDays(v.visitDate, -28)}T10:00:00+09:00`),
    });
  }
  // A few 不来院 in the last weeks, at the end of the morning (after the visits' slots).
  for (let i = 1, made = 0; i <= 28 && made < 5; i++) {
    const date = addDays(today, -i);
    const day = calendarDay(date, settings);
    if (day.closed || i % 4 !== 0) continue;
    const slot = day.slots[Math.min(day.slots.length - 1, (pastDays.get(date) ?? 0) + 2)] ?? '12:00';
    rows.push({
      ...base,
      patientId: pick(),
      doctorId,
      appointmentDate: date,
      startMinute: minutesOf(slot),
      purpose: '再診',
      state: 'no_show',
    });
    made++;
  }

  // Today and the coming four weeks: a handful of booked slots each open day, never two at once for the doctor.
  const todaysPatients = new Set<string>();
  for (let i = 0; i <= 28; i++) {
    const date = addDays(today, i);
    let slots = calendarDay(date, settings).slots;
    // Today reception sees a list even on a day the default hours have none (a demo started on a Sunday).
    if (i === 0 && slots.length === 0)
      slots = calendarDay(addDays(today, 1), { ...settings, closedDays: [] }).slots;
    if (slots.length === 0) continue;
    const count = i === 0 ? Math.min(10, slots.length) : 3 + Math.floor(rand() * 5);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(count, slots.length))
      chosen.add(slots[Math.floor(rand() * slots.length)] as string);
    for (const slot of [...chosen].sort()) {
      let patientId = pick();
      if (i === 0) {
        while (todaysPatients.has(patientId)) patientId = pick();
        todaysPatients.add(patientId);
      }
      rows.push({
        ...base,
        patientId,
        // Most with the doctor; now and then 担当医指定なし.
        doctorId: rand() < 0.85 ? doctorId : null,
        appointmentDate: date,
        startMinute: minutesOf(slot),
        purpose: rand() < 0.8 ? '再診' : '定期検査',
      });
    }
  }

  // Today's patients already checked in by another demo step keep their visit; their appointment says so.
  const todaysVisits = await db
    .select({ id: schema.visits.id, patientId: schema.visits.patientId })
    .from(schema.visits)
    .where(
      and(
        eq(schema.visits.facilityId, facilityId),
        eq(schema.visits.visitDate, today),
        ne(schema.visits.state, 'cancelled'),
      ),
    );
  const visitOf = new Map(todaysVisits.map((v) => [v.patientId, v.id]));
  for (const r of rows) {
    const visitId = r.appointmentDate === today ? visitOf.get(r.patientId) : undefined;
    if (visitId && !r.visitId) {
      r.state = 'checked_in';
      r.visitId = visitId;
      visitOf.delete(r.patientId);
    }
  }
  for (let i = 0; i < rows.length; i += 500)
    await db.insert(schema.appointments).values(rows.slice(i, i + 500));
  return { appointments: rows.length };
}
