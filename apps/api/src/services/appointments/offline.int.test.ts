/** The offline export (見読性) carries today's and the coming days' 予約, each patient in it audited. */
import { schema, searchAudit } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestApp, type TestApp } from '../../testing';
import { decryptOffline, envelopeOfHtml } from '../offline/crypto';
import type { OfflineDocument } from '../offline/html';
import { addDays } from './slots';

const PASSPHRASE = '予約表も停電時に読める-2026';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('offline export of 予約', () => {
  it('lists today’s and the coming days’ appointments (not cancelled ones, not next month’s)', async () => {
    const admin = await loginAs(app.url, 'admin');
    const [doctor] = await app.karte.db
      .select()
      .from(schema.users)
      .where(eq(schema.users.username, 'doctor'));
    const [patient] = await app.karte.db
      .select()
      .from(schema.patients)
      .where(eq(schema.patients.facilityId, doctor!.facilityId))
      .orderBy(schema.patients.patientNumber)
      .limit(1);
    const base = {
      facilityId: doctor!.facilityId,
      patientId: patient!.id,
      doctorId: doctor!.id,
      department: '内科',
      durationMinutes: 15,
    };
    const today = todayInJapan();
    const [soon] = await app.karte.db
      .insert(schema.appointments)
      .values([
        { ...base, appointmentDate: addDays(today, 3), startMinute: 23 * 60 + 30 },
        { ...base, appointmentDate: addDays(today, 3), startMinute: 23 * 60, state: 'cancelled' },
        { ...base, appointmentDate: addDays(today, 40), startMinute: 23 * 60 },
      ])
      .returning();
    await admin.offline.setPassphrase.mutate({ passphrase: PASSPHRASE, confirm: PASSPHRASE });
    await admin.offline.exportNow.mutate();
    const { html } = await admin.offline.download.query({ date: today });
    expect(html).not.toContain(patient!.familyName);
    const embedded = envelopeOfHtml(html);
    if (!embedded) throw new Error('no envelope');
    const doc = JSON.parse(
      (await decryptOffline(embedded.envelope, PASSPHRASE)).plaintext,
    ) as OfflineDocument;
    const mine = (doc.appointments ?? []).filter((a) => a.number === patient!.patientNumber);
    expect(mine).toContainEqual({
      date: soon!.appointmentDate,
      time: '23:30',
      number: patient!.patientNumber,
      name: `${patient!.familyName} ${patient!.givenName}`,
      kana: `${patient!.familyNameKana} ${patient!.givenNameKana}`,
      department: '内科',
      doctor: '医師 デモ',
      state: '予約',
    });
    expect(mine.filter((a) => a.time === '23:00')).toHaveLength(0);
    expect((doc.appointments ?? []).every((a) => a.date >= today && a.date <= addDays(today, 7))).toBe(true);
    // Today's demo appointments are in it too, and the page draws the list.
    expect((doc.appointments ?? []).some((a) => a.date === today)).toBe(true);
    expect(html).toContain("'予約（本日から'");
    const events = await searchAudit(app.karte.db, doctor!.facilityId, { patientId: patient!.id, limit: 50 });
    expect(events.some((e) => e.action === 'offline-export')).toBe(true);
  });
});
