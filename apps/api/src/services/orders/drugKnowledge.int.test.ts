/** 薬剤の知識: 用量超過 and 薬効分類 allergies from the loaded masters, through the prescription check and 確定. */
import type { PrescriptionContent } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let doctor: TestClient;
let clerk: TestClient;
let adultId: string;
let childId: string;

const loxonin = { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' };
const sawacillin = {
  code: '6131001M2300',
  generic: false,
  name: 'サワシリンカプセル２５０',
  dose: 1,
  unit: 'CAP',
};
const vicillin = {
  code: '6131002M1147',
  generic: false,
  name: 'ビクシリンカプセル２５０ｍｇ',
  dose: 1,
  unit: 'CAP',
};
const flomox = {
  code: '6132016F2020',
  generic: false,
  name: 'フロモックス錠１００ｍｇ',
  dose: 1,
  unit: 'TAB',
};
const tid = {
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 5,
  times: null,
};
type Drug = PrescriptionContent['rps'][number]['drugs'][number];
const rps = (...drugs: Drug[]): PrescriptionContent['rps'] => [{ ...tid, drugs }];

async function patient(familyName: string, birthDate: string) {
  const created = await clerk.reception.registerPatient.mutate({
    familyName,
    givenName: '花子',
    familyNameKana: 'ヤクザイ',
    givenNameKana: 'ハナコ',
    sex: 'female',
    birthDate,
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  return created.patient.id;
}

const allergy = (substance: string, drugCode: string | null = null) => ({
  category: 'drug' as const,
  drugCode,
  substance,
  criticality: 'high' as const,
  reaction: '',
  onsetDate: '',
  status: 'active' as const,
});

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  clerk = await loginAs(app.url, 'clerk');
  adultId = await patient('薬剤', '1970-04-01');
  childId = await patient('小児', '2021-06-01');
});
afterAll(() => app?.close());

describe('drug knowledge in the prescription check', () => {
  it('an adult over the 1日最大量 gets 用量超過; 確定 needs a reason for it', async () => {
    const ok = await doctor.orders.check.query({ patientId: adultId, entryId: null, rps: rps(loxonin) });
    expect(ok).toEqual([]); // 60 mg × 3 = 180 mg, the limit
    const over = rps({ ...loxonin, dose: 2 });
    const findings = await doctor.orders.check.query({ patientId: adultId, entryId: null, rps: over });
    expect(findings).toEqual([
      expect.objectContaining({
        type: 'dose',
        drugCode: loxonin.code,
        message: 'ロキソニン錠６０ｍｇ: 1日360mgは1日最大量180mgを超えています',
        source: expect.stringContaining('ロキソニン錠60mg 添付文書'),
      }),
    ]);
    const encounterId = (await doctor.chart.openEncounter.mutate({ patientId: adultId, visitId: null })).id;
    const saved = await doctor.orders.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { place: 'outside', rps: over, overrides: [] },
      doctorId: null,
    });
    if (saved.status !== 'saved') throw new Error('expected saved');
    const refused = await doctor.orders.confirm.mutate({
      entryId: saved.entryId,
      baseRev: saved.draftRev,
      reason: '',
      overrides: [],
    });
    expect(refused).toMatchObject({ status: 'needs-override', findings: [{ type: 'dose' }] });
    const key = findings[0]?.key ?? '';
    expect(
      await doctor.orders.confirm.mutate({
        entryId: saved.entryId,
        baseRev: saved.draftRev,
        reason: '',
        overrides: [{ key, reason: '術後疼痛で短期間' }],
      }),
    ).toMatchObject({ status: 'confirmed' });
  });

  it('a child with no recorded weight: the check asks for the weight instead of passing', async () => {
    // Weight comes from the vitals (latestWeightKg): none recorded yet, so the finding asks for it.
    const findings = await doctor.orders.check.query({
      patientId: childId,
      entryId: null,
      rps: rps(sawacillin),
    });
    expect(findings).toEqual([expect.objectContaining({ type: 'dose', key: 'dose:6131001:weight' })]);
    expect(findings[0]?.message).toContain('体重を記録してください');
  });

  it('a child whose weight is in the vitals: mg/kg/日 × that weight is the limit', async () => {
    // Placed after the no-weight case: from here on this child has a weight (latestWeightKg, 30 days).
    const none = {
      temperature: null,
      systolic: null,
      diastolic: null,
      pulse: null,
      spo2: null,
      heightCm: null,
    };
    await doctor.vitals.record.mutate({
      patientId: childId,
      visitId: null,
      values: { ...none, weightKg: 14 },
    });
    // 250 mg × 3 = 750 mg/日 ≤ 90 mg/kg × 14 kg = 1260 mg: nothing to say.
    expect(
      await doctor.orders.check.query({ patientId: childId, entryId: null, rps: rps(sawacillin) }),
    ).toEqual([]);
    // 500 mg × 3 = 1500 mg/日 > 1260 mg.
    const findings = await doctor.orders.check.query({
      patientId: childId,
      entryId: null,
      rps: rps({ ...sawacillin, dose: 2 }),
    });
    expect(findings).toEqual([expect.objectContaining({ type: 'dose', drugCode: sawacillin.code })]);
    expect(findings[0]?.message).toContain('14');
  });

  it('an allergy registered as ペニシリン系 matches every penicillin, naming the class, and not a cephem', async () => {
    await doctor.chart.addAllergy.mutate({ patientId: adultId, allergy: allergy('ペニシリン系') });
    const findings = await doctor.orders.check.query({
      patientId: adultId,
      entryId: null,
      rps: rps(sawacillin, vicillin, flomox),
    });
    expect(findings.map((f) => [f.type, f.drugCode])).toEqual([
      ['allergy', sawacillin.code],
      ['allergy', vicillin.code],
    ]);
    expect(findings[0]?.message).toBe(
      'サワシリンカプセル２５０: 登録されたアレルギー（ペニシリン系）に該当します（アモキシシリン水和物はペニシリン系）',
    );
  });

  it('a product allergy warns on other drugs of the same class (同系統薬アレルギー)', async () => {
    await doctor.chart.addAllergy.mutate({
      patientId: childId,
      allergy: allergy('ビクシリンカプセル２５０ｍｇ', vicillin.code),
    });
    const findings = await doctor.orders.check.query({
      patientId: childId,
      entryId: null,
      rps: [
        { ...tid, drugs: [sawacillin] },
        { ...tid, drugs: [flomox] },
      ],
    });
    expect(findings.filter((f) => f.type !== 'dose').map((f) => [f.type, f.drugCode])).toEqual([
      ['classAllergy', sawacillin.code],
    ]);
  });

  it('refuses a 用法 code that is not in the loaded 用法 table', async () => {
    const err = await doctor.orders.check
      .query({
        patientId: adultId,
        entryId: null,
        rps: [{ ...tid, usageCode: '1019999999999999', drugs: [loxonin] }],
      })
      .catch((e) => e);
    expect(err.data.code).toBe('BAD_REQUEST');
    expect(err.message).toBe('用法コードが用法表にありません: 1019999999999999');
  });
});
