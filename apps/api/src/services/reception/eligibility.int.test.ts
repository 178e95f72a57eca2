/** The eligibility flow against the simulator as a real HTTP process, including its faults. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startEligibilitySimulator } from '../../simulator';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let sim: RunningSimulator;
let app: TestApp;
let clerk: TestClient;
const repoRoot = join(import.meta.dirname, '../../../../..');

const faults = (body: Record<string, unknown>) =>
  fetch(`${sim.url}/_control/faults`, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  sim = await startEligibilitySimulator([
    '--import',
    'tsx',
    join(repoRoot, 'apps/eligibility-sim/src/main.ts'),
  ]);
  app = await startTestApp({ eligibilityUrl: sim.url });
  clerk = await loginAs(app.url, 'clerk');
});
afterAll(async () => {
  await app?.close();
  await sim?.stop();
});

let n = 0;
async function newPatient(birthDate: string, familyNameKana = 'シカク') {
  n++;
  const r = await clerk.reception.registerPatient.mutate({
    familyName: '資格',
    givenName: `確認${n}`,
    familyNameKana,
    givenNameKana: `カクニン${'ア'.repeat(n)}`,
    sex: 'female',
    birthDate,
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (r.status !== 'created') throw new Error('setup');
  return r.patient.id;
}
const consent = { limit: true, medication: true, checkup: false };
/** What the differences table showed: the apply sends it back. */
const shown = (check: { differences: { field: string }[] }) =>
  check.differences.map((d) => d.field) as never[];
const coverage = (number: string) => ({
  insurerNumber: '01130012',
  symbol: '１２',
  number,
  branch: '',
  relationship: 'self' as const,
  acquiredOn: '',
  validUntil: '',
  limitCategory: '',
  wariOverride: '' as const,
});

describe('online eligibility', () => {
  it('card read: shows the differences, applies them in one click, keeps who applied', async () => {
    const patientId = await newPatient('1980-05-05');
    const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
    expect(check.outcome).toBe('valid');
    expect(check.outcomeLabel).toBe('有効');
    expect(check.response?.referenceClassification).toBe(1);
    expect(check.response?.consents.limit.granted).toBe(true);
    expect(check.response?.qualification?.limitCategory).toBe('A03');
    expect(check.differences.map((d) => d.field)).toEqual(
      expect.arrayContaining(['insurerNumber', 'number', 'wari', 'limitCategory']),
    );
    const applied = await clerk.reception.applyEligibility.mutate({
      checkId: check.checkId,
      basedOn: check.basedOn,
      fields: shown(check),
    });
    expect(applied).toMatchObject({ wari: 3, wariReason: '資格確認の結果', limitCategoryLabel: 'ウ' });
    expect(
      await errorCodeOf(
        clerk.reception.applyEligibility.mutate({
          checkId: check.checkId,
          basedOn: applied.id,
          fields: shown(check),
        }),
      ),
    ).toBe('CONFLICT');
    const again = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
    expect(again.differences).toEqual([]);
    const insurance = await clerk.reception.insurance.query({ patientId });
    expect(insurance.current?.id).toBe(applied.id);
    expect(insurance.lastCheck?.outcome).toBe('valid');
  });

  it('reports 未就学 2割 and withholds the 限度額 category without consent', async () => {
    const patientId = await newPatient('2022-06-01');
    const check = await clerk.reception.checkEligibility.mutate({
      patientId,
      method: 'card',
      consent: { limit: false, medication: false, checkup: false },
    });
    expect(check.response?.qualification).toMatchObject({
      burdenWari: 2,
      preschool: true,
      limitCategory: null,
    });
  });

  it('insurance path: every outcome of the service', async () => {
    const expectations: [string, string][] = [
      ['9999', 'invalid'],
      ['8888', 'invalid_new_available'],
      ['7777', 'not_found'],
      ['6666', 'multiple'],
      ['5555', 'valid'], // 処理中 first, completed by polling the same request
      ['4444', 'valid'], // with 特定疾病 (マル長)
      ['1234', 'valid'],
    ];
    for (const [number, outcome] of expectations) {
      const patientId = await newPatient('1970-01-01');
      await clerk.reception.saveCoverage.mutate({ patientId, basedOn: null, coverage: coverage(number) });
      const check = await clerk.reception.checkEligibility.mutate({
        patientId,
        method: 'insurance',
        consent,
      });
      expect(check.outcome, number).toBe(outcome);
      expect(check.response?.referenceClassification).toBe(2);
      if (number === '4444') {
        expect(check.response?.qualification?.specificDisease).toEqual({ kind: 'dialysis', capYen: 10_000 });
      }
      if (number === '8888') {
        expect(check.applicable).toBe(true);
        const applied = await clerk.reception.applyEligibility.mutate({
          checkId: check.checkId,
          basedOn: check.basedOn,
          fields: shown(check),
        });
        expect(applied.acquiredOn).toBe('2025-10-01');
      }
      if (number === '9999') {
        expect(check.applicable).toBe(false);
        expect(
          await errorCodeOf(
            clerk.reception.applyEligibility.mutate({
              checkId: check.checkId,
              basedOn: check.basedOn,
              fields: shown(check),
            }),
          ),
        ).toBe('BAD_REQUEST');
      }
    }
  });

  it('compares 記号・番号 in normal form, though stored as entered', async () => {
    const patientId = await newPatient('1985-03-03');
    await clerk.reception.saveCoverage.mutate({ patientId, basedOn: null, coverage: coverage('１２３４') });
    const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'insurance', consent });
    expect(check.differences.map((d) => d.field)).not.toContain('number');
    expect(check.differences.map((d) => d.field)).not.toContain('symbol');
  });

  it('when the service fails or hangs: 未確認, and check-in goes on', async () => {
    for (const fault of ['503', 'timeout']) {
      await faults({ fault, latencyMs: 0 });
      const patientId = await newPatient('1990-09-09');
      const t0 = Date.now();
      const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(check.outcome).toBe('unavailable');
      expect(check.outcomeLabel).toBe('未確認（接続できません）');
      expect(check.error).toContain('オンライン資格確認に接続できません');
      const visit = await clerk.reception.checkIn.mutate({
        patientId,
        purpose: '初診',
        department: '内科',
        memo: '',
      });
      expect(visit.eligibilityConfirmed).toBe(0);
      // Re-checking later is one call; when it succeeds and is applied, the visit is confirmed.
      await faults({ fault: 'none' });
      const later = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
      expect(later.outcome).toBe('valid');
      await clerk.reception.applyEligibility.mutate({
        checkId: later.checkId,
        basedOn: later.basedOn,
        fields: shown(later),
      });
      const board = await clerk.reception.board.query();
      expect(board.find((v) => v.id === visit.id)?.eligibilityConfirmed).toBe(1);
    }
  });

  it('retries through a flaky service and tolerates latency', async () => {
    await faults({ fault: 'flaky', latencyMs: 200 });
    const patientId = await newPatient('1975-04-01');
    const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
    expect(check.outcome).toBe('valid');
    await faults({ fault: 'none', latencyMs: 0 });
  });

  it('shows every field the apply changes (資格取得日 too), applies exactly those, keeps the old version', async () => {
    const patientId = await newPatient('1975-07-07');
    await clerk.reception.saveCoverage.mutate({
      patientId,
      basedOn: null,
      coverage: { ...coverage('2468'), acquiredOn: '2020-04-01', limitCategory: 'A01' },
    });
    // Without the 限度額 consent the service says nothing of it: not a difference, and it stays.
    const check = await clerk.reception.checkEligibility.mutate({
      patientId,
      method: 'insurance',
      consent: { limit: false, medication: true, checkup: false },
    });
    expect(check.outcome).toBe('valid');
    const acquired = check.differences.find((d) => d.field === 'acquiredOn');
    expect(acquired).toEqual({
      field: 'acquiredOn',
      label: '資格取得日',
      registered: '令和2年4月1日',
      reported: '令和6年4月1日',
    });
    expect(check.differences.map((d) => d.field)).not.toContain('limitCategory');
    expect(check.identityWarnings).toEqual([]);

    // The client must send back what it showed: another list is a conflict and changes nothing.
    expect(
      await errorCodeOf(
        clerk.reception.applyEligibility.mutate({
          checkId: check.checkId,
          basedOn: check.basedOn,
          fields: ['wari'],
        }),
      ),
    ).toBe('CONFLICT');
    expect((await clerk.reception.insurance.query({ patientId })).current?.id).toBe(check.basedOn);

    const applied = await clerk.reception.applyEligibility.mutate({
      checkId: check.checkId,
      basedOn: check.basedOn,
      fields: shown(check),
    });
    expect(applied.acquiredOn).toBe('2024-04-01');
    expect(applied.limitCategory).toBe('A01'); // not shown, not changed
    expect(applied.symbol).toBe('１２'); // stored as entered
    const insurance = await clerk.reception.insurance.query({ patientId });
    expect(insurance.current?.id).toBe(applied.id);
    // The previous version is in the history with its own values.
    expect(insurance.history.map((h) => [h.id, h.acquiredOn, h.limitCategory])).toEqual([
      [check.basedOn, '2020-04-01', 'A01'],
    ]);
    // Nothing is left to apply.
    const again = await clerk.reception.checkEligibility.mutate({
      patientId,
      method: 'insurance',
      consent: { limit: false, medication: true, checkup: false },
    });
    expect(again.differences).toEqual([]);
  });

  it('a 無効（新しい資格あり） answer is compared with the new qualification it would apply', async () => {
    const patientId = await newPatient('1972-02-02');
    await clerk.reception.saveCoverage.mutate({ patientId, basedOn: null, coverage: coverage('8888') });
    const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'insurance', consent });
    expect(check.outcome).toBe('invalid_new_available');
    expect(check.differences.find((d) => d.field === 'number')?.reported).toBe('1234');
    expect(check.differences.find((d) => d.field === 'acquiredOn')?.reported).toBe('令和7年10月1日');
  });

  it('another person’s 氏名 or 性別 is an identity warning, never an update of the patient', async () => {
    const patientId = await newPatient('1990-09-09', 'ベツジン');
    const before = await clerk.reception.getPatient.query({ id: patientId });
    const check = await clerk.reception.checkEligibility.mutate({ patientId, method: 'card', consent });
    expect(check.identityWarnings.map((w) => w.field).sort()).toEqual(['name', 'sex']);
    expect(check.identityWarnings.find((w) => w.field === 'sex')).toMatchObject({
      label: '性別',
      registered: '女',
      reported: '男',
    });
    expect(check.differences.map((d) => d.field)).not.toContain('name');
    await clerk.reception.applyEligibility.mutate({
      checkId: check.checkId,
      basedOn: check.basedOn,
      fields: shown(check),
    });
    const after = await clerk.reception.getPatient.query({ id: patientId });
    expect([after.familyName, after.givenName, after.sex, after.version]).toEqual([
      before.familyName,
      before.givenName,
      before.sex,
      before.version,
    ]);
  });
});
