import { schema } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorDeps } from '../services/auditTrail/service';
import { verifyAnchored } from '../services/auditTrail/verify';
import { loginAs, startTestApp, type TestApp, type TestClient } from '../testing';
import { clinicDayBefore, DEMO_HISTORY_PATIENTS, demoHistoryPlan } from './demoHistory';

let app: TestApp;
let doctor: TestClient;
let facilityId: string;
let patients: { id: string; number: number }[];

beforeAll(async () => {
  app = await startTestApp(); // the demo clinic as first boot seeds it
  doctor = await loginAs(app.url, 'doctor');
  facilityId = (await doctor.auth.me.query()).auth?.facility.id ?? '';
  patients = await app.karte.db
    .select({ id: schema.patients.id, number: schema.patients.patientNumber })
    .from(schema.patients)
    .where(eq(schema.patients.facilityId, facilityId))
    .orderBy(asc(schema.patients.patientNumber))
    .limit(DEMO_HISTORY_PATIENTS);
});
afterAll(() => app?.close());

const doneVisits = (patientId: string) =>
  app.karte.db
    .select()
    .from(schema.visits)
    .where(and(eq(schema.visits.patientId, patientId), eq(schema.visits.state, 'done')))
    .orderBy(asc(schema.visits.visitDate));

describe('デモクリニックの履歴', () => {
  it('gives chronic patients months of finished visits with confirmed SOAP and prescriptions', async () => {
    const today = todayInJapan();
    const seventh = patients[6]; // the first chronic patient after the 会計 demo's
    const visits = await doneVisits(seventh?.id ?? '');
    expect(visits.length).toBeGreaterThanOrEqual(4);
    const first = visits[0]?.visitDate ?? '';
    const last = visits.at(-1)?.visitDate ?? '';
    expect(Date.parse(last) - Date.parse(first)).toBeGreaterThanOrEqual(80 * 86_400_000); // ≥ ~3 months
    expect(last < today).toBe(true);
    for (const v of visits) expect(new Date(`${v.visitDate}T00:00:00Z`).getUTCDay()).not.toBe(0); // 日曜休診
    // Each visit: one encounter, a confirmed SOAP and prescription, shown in the chart as 確定.
    const chart = await doctor.chart.chart.query({ patientId: seventh?.id ?? '' });
    const text = JSON.stringify(chart);
    expect(text).toContain('高血圧');
    const versions = await app.karte.db
      .select({ kind: schema.entries.kind, n: count() })
      .from(schema.entries)
      .innerJoin(schema.entryVersions, eq(schema.entryVersions.entryId, schema.entries.id))
      .where(eq(schema.entries.patientId, seventh?.id ?? ''))
      .groupBy(schema.entries.kind);
    expect(Object.fromEntries(versions.map((v) => [v.kind, v.n]))).toEqual({
      soap: visits.length,
      prescription: visits.length,
    });
    // Do from an earlier day: the last confirmed prescription comes back, from the last visit.
    const last_ = await doctor.orders.lastPrescription.query({ patientId: seventh?.id ?? '' });
    expect(last_?.date).toBe(last);
    expect(last_?.content.rps[0]?.drugs[0]?.name).toMatch(/ノルバスク/);
  });

  it('files lab results every month or two, so the trends have points', async () => {
    const [first] = patients;
    const trend = await doctor.orders.labTrend.query({
      patientId: first?.id ?? '',
      code: '3D046000001906202',
    });
    expect(trend.length).toBeGreaterThanOrEqual(4); // months of history and the demo chart's own
    const values = trend.map((p) => p.valueNum);
    expect(values.at(-1)).toBe(7.2);
    expect(values[0]).toBeLessThan(7);
    const labs = await app.karte.db
      .select({ patientId: schema.labResults.patientId, n: count() })
      .from(schema.labResults)
      .where(
        inArray(
          schema.labResults.patientId,
          patients.slice(6).map((p) => p.id),
        ),
      )
      .groupBy(schema.labResults.patientId);
    expect(labs.length).toBeGreaterThanOrEqual(10);
  });

  it('is sealed in the audit chain: the tamper check passes on the fresh demo', async () => {
    const report = await verifyAnchored(app.karte.db, facilityId, anchorDeps(app.config));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const [history] = await app.karte.db
      .select({ n: count() })
      .from(schema.entryVersions)
      .where(eq(schema.entryVersions.facilityId, facilityId));
    expect(report.sealedRows).toBeGreaterThanOrEqual(history?.n ?? 0);
  });

  it('sends nothing of the history patients without 保険 to the share service, and patient 1’s past lab reports', async () => {
    const queued = await app.karte.db
      .select({ patientId: schema.shareSubmissions.patientId })
      .from(schema.shareSubmissions)
      .where(
        inArray(
          schema.shareSubmissions.patientId,
          patients.slice(6).map((p) => p.id),
        ),
      );
    expect(queued).toEqual([]);
    // Patient 1's past lab reports go as filed results do: one Bundle per collection day.
    const labs = await app.karte.db
      .select({ identifier: schema.shareSubmissions.identifier })
      .from(schema.shareSubmissions)
      .where(
        and(
          eq(schema.shareSubmissions.patientId, patients[0]?.id ?? ''),
          eq(schema.shareSubmissions.kind, 'labs'),
        ),
      );
    expect(labs).toHaveLength(4);
  });

  it('is the same plan on every boot of a day, dated before today only', () => {
    const today = '2026-12-01';
    for (const [i, n] of [
      [0, 1],
      [6, 7],
      [9, 10],
      [20, 21],
    ] as const) {
      const plan = demoHistoryPlan(i, n, today);
      expect(plan).toEqual(demoHistoryPlan(i, n, today));
      for (const v of plan?.visits ?? []) expect(clinicDayBefore(today, v.daysAgo) < today).toBe(true);
    }
    expect(demoHistoryPlan(2, 3, today)).toBeNull(); // the 会計 demo's patients keep their own visits
    expect(clinicDayBefore('2026-12-07', 1)).toBe('2026-12-05'); // Sunday 6th → Saturday
  });
});
