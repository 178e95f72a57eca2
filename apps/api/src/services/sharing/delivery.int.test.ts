/**
 * The share-service outbox against the simulator over real HTTP, with faults on: 30% of POSTs answered 503
 * and added latency. Every queued item must arrive, and the simulator must hold exactly the latest version of
 * each identifier, never an older one after a newer.
 */
import { join } from 'node:path';
import { schema, verifyAuditChain } from '@karte/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startShareSimulator } from '../../simulator';
import { loginAs, problemFields, startTestApp, type TestApp, type TestClient } from '../../testing';

const repoRoot = join(import.meta.dirname, '../../../../..');
let sim: RunningSimulator;
let app: TestApp;
let doctor: TestClient;
let clerk: TestClient;

interface Stats {
  posts: number;
  accepted: number;
  injected503: number;
  regressions: number;
  held: { identifier: string; deleted: boolean; history: string[] }[];
}
const stats = async () => (await (await fetch(`${sim.url}/_stats`)).json()) as Stats;
const held = async (identifier: string) => {
  const res = await fetch(`${sim.url}/Bundle?identifier=${encodeURIComponent(identifier)}`);
  return res.ok ? ((await res.json()) as { timestamp: string; entry: unknown[] }) : null;
};

async function settled(timeoutMs = 90_000) {
  const started = Date.now();
  for (;;) {
    const rows = await app.karte.db.select().from(schema.shareSubmissions);
    if (rows.length > 0 && rows.every((r) => r.status === 'sent' && r.sentVersion === r.version)) return rows;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `not delivered: ${JSON.stringify(rows.filter((r) => r.status !== 'sent').map((r) => [r.identifier, r.status, r.attempts, r.lastError]))}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  sim = await startShareSimulator(['--import', 'tsx', join(repoRoot, 'apps/share-sim/src/main.ts')], {
    SHARE_SIM_ERROR_RATE: '0.3',
    SHARE_SIM_FAIL_FIRST: '2', // and the first two for certain: a run without any 503 proves nothing
    SHARE_SIM_LATENCY_MS: '15',
  });
  app = await startTestApp({
    shareServiceUrl: sim.url,
    share: { maxAttempts: 30, backoffBaseSeconds: 0.05, timeoutMs: 5000 },
  });
  doctor = await loginAs(app.url, 'doctor');
  clerk = await loginAs(app.url, 'clerk');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await sim?.stop();
});

describe('share-service delivery', () => {
  it('delivers the demo clinic’s queued submissions without a click, through 30% 503s', async () => {
    const rows = await settled();
    const kinds = rows.map((r) => r.kind).sort();
    // labs: one report per collection day of patient 1 — the demo chart's and three of its history (demoHistory.ts).
    expect(kinds).toEqual([
      'allergies',
      'checkup',
      'conditions',
      'discharge',
      'labs',
      'labs',
      'labs',
      'labs',
      'referral',
    ]);
    const s = await stats();
    expect(s.injected503).toBeGreaterThan(0); // the faults were real
    for (const r of rows) {
      const got = await held(r.identifier);
      expect(got, r.identifier).not.toBeNull();
      expect(got?.timestamp).toBe(r.bundle.timestamp);
      // What arrived is the Bundle as Karte built it, byte for byte (resourceType first, keys in their order).
      expect(JSON.stringify(got)).toBe(r.body);
      expect(Object.keys(got ?? {})[0]).toBe('resourceType');
    }
    // Each delivery disclosed patient data: it is on the (intact) audit chain with the patient.
    const sends = await app.karte.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'share-send'));
    expect(sends.length).toBeGreaterThanOrEqual(rows.length);
    expect(sends.every((e) => e.patientId === rows[0]?.patientId)).toBe(true);
    expect((await verifyAuditChain(app.karte.db, rows[0]!.facilityId)).ok).toBe(true);
  }, 120_000);

  it('a burst of changes on many patients: every item arrives, the latest version wins, no regressions', async () => {
    const patients = (await doctor.reception.searchPatients.query({ query: 'ア', limit: 20 })).slice(0, 12);
    await Promise.all(
      patients.map((p, i) =>
        clerk.reception.saveCoverage
          .mutate({
            patientId: p.id,
            basedOn: null,
            coverage: {
              insurerNumber: '01130012',
              symbol: '',
              number: String(1000 + i),
              branch: '',
              relationship: 'self',
              acquiredOn: '',
              validUntil: '',
              limitCategory: '',
              wariOverride: '',
            },
          })
          .catch(() => null),
      ),
    );
    // Three changes per patient, in parallel across patients: each identifier gets versions 1..3.
    await Promise.all(
      patients.map(async (p) => {
        await doctor.chart.addProblem.mutate({
          patientId: p.id,
          problem: problemFields('本態性高血圧症', '20076157'),
        });
        await doctor.chart.addProblem.mutate({
          patientId: p.id,
          problem: problemFields('２型糖尿病', '20050020'),
        });
        await doctor.chart.addAllergy.mutate({
          patientId: p.id,
          allergy: {
            category: 'food',
            drugCode: null,
            substance: 'そば',
            criticality: 'high',
            reaction: '',
            onsetDate: '',
            status: 'active',
          },
        });
      }),
    );
    const rows = await settled();
    const s = await stats();
    expect(s.regressions).toBe(0);
    for (const r of rows) {
      const got = await held(r.identifier);
      // The simulator holds exactly what Karte queued last for this identifier.
      expect(got?.timestamp, r.identifier).toBe(r.bundle.timestamp);
    }
    const snapshots = rows.filter((r) => r.identifier.includes('^C-'));
    expect(snapshots.length).toBeGreaterThanOrEqual(patients.length);
    const withTwo = await held(snapshots.at(-1)?.identifier ?? '');
    expect(withTwo?.entry).toHaveLength(3); // Patient + both conditions: the last version, not an earlier one
    // Every attempt is on record, and each delivered version is the one accepted last.
    const attempts = await app.karte.db.select().from(schema.shareAttempts);
    expect(attempts.filter((a) => a.outcome === 'transient').length).toBeGreaterThan(0);
  }, 180_000);

  it('a change of insurance sends again what was shared, under the same identifiers, with the new Patient', async () => {
    const before = await settled();
    const patientId = before.find((r) => r.kind === 'referral')!.patientId; // the demo patient: every kind
    const coverage = (number: string) => ({
      insurerNumber: '01130012',
      symbol: '',
      number,
      branch: '01',
      relationship: 'self' as const,
      acquiredOn: '',
      validUntil: '',
      limitCategory: '',
      wariOverride: '' as const,
    });
    const ins = await clerk.reception.insurance.query({ patientId });
    await clerk.reception.saveCoverage.mutate({
      patientId,
      basedOn: ins.current?.id ?? null,
      coverage: coverage('7777'),
    });
    const after = (await settled()).filter((r) => r.patientId === patientId);
    expect(after.map((r) => r.kind).sort()).toEqual([
      'allergies',
      'checkup',
      'conditions',
      'discharge',
      'labs',
      'labs',
      'labs',
      'labs',
      'referral',
    ]);
    for (const r of after) {
      const was = before.find((b) => b.id === r.id)!;
      const got = JSON.stringify(await held(r.identifier));
      if (['conditions', 'allergies', 'labs'].includes(r.kind)) {
        expect(r.version, r.kind).toBe(was.version + 1);
        expect(got, r.kind).toContain('"01130012::7777:01"');
      } else {
        expect(r.version, r.kind).toBe(was.version); // documents stay as they were issued
        // The new insured-person identifier exactly (a bare '7777' also turns up inside random uuids).
        expect(got, r.kind).not.toContain('"01130012::7777:01"');
      }
    }
    // A patient who never shared anything: a new insurance queues nothing (that waits for its own trigger).
    const sharing = new Set(before.map((r) => r.patientId));
    const other = (await doctor.reception.searchPatients.query({ query: 'ヤ', limit: 20 })).find(
      (p) => !sharing.has(p.id),
    );
    expect(other).toBeDefined();
    const queued = await app.karte.db.$count(schema.shareSubmissions);
    const otherIns = await clerk.reception.insurance.query({ patientId: other!.id });
    await clerk.reception.saveCoverage.mutate({
      patientId: other!.id,
      basedOn: otherIns.current?.id ?? null,
      coverage: coverage('8888'),
    });
    expect((await doctor.sharing.patientSubmissions.query({ patientId: other!.id })).submissions).toEqual([]);
    expect(await app.karte.db.$count(schema.shareSubmissions)).toBe(queued);
  }, 120_000);

  it('withdrawn consent deletes what was sent and stops new submissions; a rejected Bundle shows the service’s reason', async () => {
    const rows = await app.karte.db
      .select()
      .from(schema.shareSubmissions)
      .where(eq(schema.shareSubmissions.kind, 'conditions'));
    const target = rows.find((r) => !r.identifier.endsWith('C-1'))!;
    await clerk.sharing.setConsent.mutate({ patientId: target.patientId, withdrawn: true });
    await settled();
    expect(await held(target.identifier)).toBeNull(); // deleted at the service
    const status = await doctor.sharing.patientSubmissions.query({ patientId: target.patientId });
    expect(status.consentWithdrawn).toBe(true);
    await doctor.chart.addProblem.mutate({
      patientId: target.patientId,
      problem: problemFields('脂質異常症', '20091221'),
    });
    const after = await app.karte.db
      .select()
      .from(schema.shareSubmissions)
      .where(and(eq(schema.shareSubmissions.identifier, target.identifier)));
    expect(after[0]?.action).toBe('delete'); // nothing new queued after the withdrawal

    // A Bundle the service refuses (4xx): error with the service's text, then 再送 after the fix.
    await fetch(`${sim.url}/_control/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 0 }) });
    const broken = { ...target.bundle, identifier: { system: 'x', value: 'bad-identifier' } };
    await app.karte.db
      .update(schema.shareSubmissions)
      .set({
        bundle: broken as typeof target.bundle,
        body: JSON.stringify(broken),
        version: 99,
        status: 'pending',
        sentVersion: 0,
      })
      // Not the withdrawn patient's (the worker would not post it): the rows come in no set order.
      .where(eq(schema.shareSubmissions.id, rows.find((r) => r.patientId !== target.patientId)!.id));
    await app.share?.drain();
    const list = await doctor.sharing.submissions.query({ status: 'error', limit: 50 });
    expect(list.rows.map((r) => r.state)).toContain('エラー');
    expect(list.rows[0]?.lastError).toMatch(/R2152|bundle-identifier|規則/);
    expect(list.counts.error).toBe(1);
  }, 120_000);
});
