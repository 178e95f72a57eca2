/** The demo clinic's 予約: today's list, the coming weeks, and every past visit linked to its appointment. */
import { ensureMasters, schema } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { todayInJapan } from '@karte/domain';
import { and, eq, lt, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config';
import { log } from '../log';
import { addDays } from '../services/appointments/slots';
import { seedIfEmpty } from './seed';

describe('demo appointments', () => {
  it('books today and the coming four weeks, links every past visit, marks a few 不来院, never double-books', async () => {
    const karte = await openTestDb();
    try {
      await ensureMasters(karte.db);
      await seedIfEmpty(karte.db, configFromEnv({ KARTE_DEMO: '1' }), log);
      const today = todayInJapan();
      const all = await karte.db.select().from(schema.appointments);
      const todays = all.filter((a) => a.appointmentDate === today);
      expect(todays.filter((a) => a.state === 'booked').length).toBeGreaterThanOrEqual(5);
      // One appointment per patient today (each can be checked in).
      expect(new Set(todays.map((a) => a.patientId)).size).toBe(todays.length);
      const coming = all.filter((a) => a.appointmentDate > today && a.appointmentDate <= addDays(today, 28));
      expect(coming.length).toBeGreaterThanOrEqual(40);
      expect(new Set(coming.map((a) => a.appointmentDate)).size).toBeGreaterThanOrEqual(15);
      expect(all.filter((a) => a.state === 'no_show').length).toBeGreaterThanOrEqual(3);
      // Every past visit came from an appointment, checked in and linked.
      const past = await karte.db
        .select()
        .from(schema.visits)
        .where(and(lt(schema.visits.visitDate, today), ne(schema.visits.state, 'cancelled')));
      expect(past.length).toBeGreaterThan(0);
      const linked = new Map(all.filter((a) => a.visitId).map((a) => [a.visitId, a]));
      for (const v of past)
        expect(linked.get(v.id), v.id).toMatchObject({ state: 'checked_in', appointmentDate: v.visitDate });
      // No two live future appointments of the doctor at the same time.
      const live = all.filter((a) => a.doctorId && a.appointmentDate >= today && a.state === 'booked');
      const keys = live.map((a) => `${a.doctorId}/${a.appointmentDate}/${a.startMinute}`);
      expect(new Set(keys).size).toBe(keys.length);
      // Today's visits made by another demo step are the checked-in appointments of today, not a second one.
      const todaysVisits = await karte.db
        .select()
        .from(schema.visits)
        .where(and(eq(schema.visits.visitDate, today), ne(schema.visits.state, 'cancelled')));
      for (const a of todays.filter((x) => x.state === 'booked'))
        expect(todaysVisits.map((v) => v.patientId)).not.toContain(a.patientId);
    } finally {
      await karte.close();
    }
    // The whole demo seed with the masters: tens of seconds on a busy machine.
  }, 120_000);
});
