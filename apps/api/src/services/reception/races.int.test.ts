/**
 * Issue #12-12: twelve clerks at once. On PostgreSQL the calls run in parallel transactions; the duplicate
 * warning, the current coverage and the 公費 priority slot must each hold for exactly one of them.
 */
import { schema } from '@karte/db';
import { TRPCClientError } from '@trpc/client';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

/** 'ok', or the error's tRPC code (a 500 shows as INTERNAL_SERVER_ERROR). */
const outcomeOf = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: unknown) => (e instanceof TRPCClientError ? String(e.data?.code) : 'UNKNOWN'),
  );

let app: TestApp;
let clerks: TestClient[];

beforeAll(async () => {
  app = await startTestApp();
  clerks = await Promise.all(Array.from({ length: 12 }, () => loginAs(app.url, 'clerk')));
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const person = {
  familyName: '競合',
  givenName: '一郎',
  familyNameKana: 'キョウゴウ',
  givenNameKana: 'イチロウ',
  sex: 'male' as const,
  birthDate: '1961-06-15',
  postalCode: '',
  address: '',
  phone: '',
};

async function newPatient(givenNameKana: string) {
  const r = await clerks[0]!.reception.registerPatient.mutate({
    ...person,
    givenName: givenNameKana,
    givenNameKana,
    birthDate: `1958-01-0${givenNameKana.length}`,
    confirmDuplicate: true,
  });
  if (r.status !== 'created') throw new Error('setup');
  return r.patient.id;
}

describe('twelve simultaneous calls', () => {
  it('registering one person twelve times at once makes one patient; the others get the duplicate warning', async () => {
    const results = await Promise.all(
      clerks.map((c) => c.reception.registerPatient.mutate({ ...person, confirmDuplicate: false })),
    );
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(11);
    const rows = await app.karte.db
      .select()
      .from(schema.patients)
      .where(and(eq(schema.patients.birthDate, person.birthDate), eq(schema.patients.familyName, '競合')));
    expect(rows).toHaveLength(1);
  }, 60_000);

  it('twelve first coverages at once: one is current, the rest are conflicts', async () => {
    const patientId = await newPatient('ホケン');
    const outcomes = await Promise.all(
      clerks.map((c, i) =>
        outcomeOf(
          c.reception.saveCoverage.mutate({
            patientId,
            basedOn: null,
            coverage: {
              insurerNumber: '01130012',
              symbol: '',
              number: String(100 + i),
              branch: '',
              relationship: 'self',
              acquiredOn: '',
              validUntil: '',
              limitCategory: '',
              wariOverride: '',
            },
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(11);
    const current = await app.karte.db
      .select()
      .from(schema.coverages)
      .where(and(eq(schema.coverages.patientId, patientId), isNull(schema.coverages.endedAt)));
    expect(current).toHaveLength(1);
  }, 60_000);

  it('twelve 第1公費 at once: one takes the slot, the rest are conflicts (never a 500)', async () => {
    const patientId = await newPatient('コウヒ');
    const outcomes = await Promise.all(
      clerks.map((c) =>
        outcomeOf(
          c.reception.addPublicSubsidy.mutate({
            patientId,
            subsidy: {
              priority: 1,
              payerNumber: '54016027',
              recipientNumber: '1234566',
              validFrom: '',
              validUntil: '',
              monthlyCap: 5000,
            },
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(11);
  }, 60_000);
});
