/** 受付 and the visit queue: numbering, one visit per day, role-checked moves, the board. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let clerk: TestClient;
let clerk2: TestClient;
let doctor: TestClient;
let patients: { id: string }[];

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  clerk2 = await loginAs(app.url, 'clerk');
  doctor = await loginAs(app.url, 'doctor');
  patients = await clerk.reception.searchPatients.query({ query: 'ア', limit: 10 });
  if (patients.length < 4)
    patients = [...patients, ...(await clerk.reception.searchPatients.query({ query: 'サ', limit: 10 }))];
});
afterAll(() => app?.close());

const checkIn = (c: TestClient, patientId: string) =>
  c.reception.checkIn.mutate({ patientId, purpose: '再診', department: '内科', memo: '血圧の薬' });

describe('visits', () => {
  it('numbers visits per day and refuses a second active visit of the same patient', async () => {
    const before = await clerk.reception.boardStamp.query();
    const first = await checkIn(clerk, patients[0]!.id);
    const second = await checkIn(clerk, patients[1]!.id);
    expect(second.receptionNumber).toBe(first.receptionNumber + 1);
    expect(first.state).toBe('received');
    try {
      await checkIn(clerk, patients[0]!.id);
      throw new Error('expected a conflict');
    } catch (error) {
      expect((error as Error).message).toBe(
        `この患者は本日すでに受付済みです（受付番号 ${first.receptionNumber}）`,
      );
    }
    expect(await clerk.reception.boardStamp.query()).not.toBe(before);
  });

  it('two clerks checking in the same patient at the same moment make one visit', async () => {
    const id = patients[2]!.id;
    const results = await Promise.allSettled([checkIn(clerk, id), checkIn(clerk2, id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as Error).message).toMatch(/本日すでに受付済みです/);
    const board = await clerk.reception.board.query();
    expect(board.filter((v) => v.patientId === id)).toHaveLength(1);
  });

  it('moves through the queue by role, and refuses stale moves', async () => {
    const v = await checkIn(clerk, patients[3]!.id);
    expect(
      await errorCodeOf(doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'done', version: v.version })),
    ).toBe('FORBIDDEN');
    const waiting = await clerk.reception.moveVisit.mutate({
      visitId: v.id,
      to: 'waiting',
      version: v.version,
    });
    expect(
      await errorCodeOf(
        clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'in_consult', version: waiting.version }),
      ),
    ).toBe('FORBIDDEN');
    const inConsult = await doctor.reception.moveVisit.mutate({
      visitId: v.id,
      to: 'in_consult',
      version: waiting.version,
    });
    expect(
      await errorCodeOf(
        doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'billing', version: waiting.version }),
      ),
    ).toBe('CONFLICT');
    const billing = await doctor.reception.moveVisit.mutate({
      visitId: v.id,
      to: 'billing',
      version: inConsult.version,
    });
    const done = await clerk.reception.moveVisit.mutate({
      visitId: v.id,
      to: 'done',
      version: billing.version,
    });
    expect(done.state).toBe('done');
    const row = (await doctor.reception.board.query()).find((b) => b.id === v.id);
    expect(row).toMatchObject({ state: 'done', purpose: '再診', department: '内科' });
  });

  it('a cancelled visit frees the patient for a new check-in; bad input is refused with a message', async () => {
    const board = await clerk.reception.board.query();
    const v = board.find((b) => b.patientId === patients[1]!.id)!;
    await clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'cancelled', version: v.version });
    const again = await checkIn(clerk, patients[1]!.id);
    expect(again.receptionNumber).toBeGreaterThan(v.receptionNumber);
    expect(
      await errorCodeOf(
        clerk.reception.checkIn.mutate({
          patientId: patients[1]!.id,
          purpose: '',
          department: '内科',
          memo: '',
        }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('refuses check-in while the registered coverage has expired', async () => {
    const id = patients[4]?.id ?? patients[0]!.id;
    const current = (await clerk.reception.insurance.query({ patientId: id })).current;
    await clerk.reception.saveCoverage.mutate({
      patientId: id,
      basedOn: current?.id ?? null,
      coverage: {
        insurerNumber: '01130012',
        symbol: '',
        number: '1',
        branch: '',
        relationship: 'self',
        acquiredOn: '2020-04-01',
        validUntil: '2021-03-31',
        limitCategory: '',
        wariOverride: '',
      },
    });
    try {
      await checkIn(clerk, id);
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).toMatch(/保険の有効期限（2021-03-31）が切れています/);
    }
  });
});
