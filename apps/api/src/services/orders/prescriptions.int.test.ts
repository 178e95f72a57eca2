/** 処方: checks with codes from the master, overrides with reasons kept in the version, Do, print data. */
import { getEntry, versionsOfEntries } from '@karte/db';
import { isPrescription, type PrescriptionContent } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let doctor: TestClient;
let nurse: TestClient;
let patientId: string;
let encounterId: string;
let facilityId: string;

const loxonin = { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' };
const loxoGeneric = {
  code: '1149019F1013',
  generic: false,
  name: 'ロキソプロフェンナトリウム６０ｍｇ錠',
  dose: 1,
  unit: 'TAB',
};
const halcion = {
  code: '1124007F1020',
  generic: false,
  name: 'ハルシオン０．１２５ｍｇ錠',
  dose: 1,
  unit: 'TAB',
};
const itrizole = {
  code: '6290004M1029',
  generic: false,
  name: 'イトリゾールカプセル５０',
  dose: 2,
  unit: 'CAP',
};
const tid = {
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 7,
  times: null,
};
const rx = (...rps: PrescriptionContent['rps']): PrescriptionContent => ({
  place: 'outside',
  rps,
  overrides: [],
});

async function draft(client: TestClient, content: PrescriptionContent, doctorId: string | null = null) {
  const saved = await client.orders.saveDraft.mutate({
    encounterId,
    entryId: null,
    baseRev: 0,
    content,
    doctorId,
  });
  if (saved.status !== 'saved') throw new Error('expected saved');
  return saved;
}

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  nurse = await loginAs(app.url, 'nurse');
  const clerk = await loginAs(app.url, 'clerk');
  facilityId = (await doctor.auth.me.query()).auth!.facility.id;
  const created = await clerk.reception.registerPatient.mutate({
    familyName: '処方',
    givenName: '太郎',
    familyNameKana: 'ショホウ',
    givenNameKana: 'タロウ',
    sex: 'male',
    birthDate: '1960-05-05',
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  patientId = created.patient.id;
  encounterId = (await doctor.chart.openEncounter.mutate({ patientId, visitId: null })).id;
});
afterAll(() => app?.close());

describe('prescriptions', () => {
  it('searches the 12,434 products by kana, kanji, 成分名 and code', async () => {
    const byKana = await doctor.chart.searchDrugs.query({ query: 'ろきそにん', limit: 20 });
    expect(byKana.map((d) => d.code)).toContain('1149019F1560');
    const byIngredient = await doctor.chart.searchDrugs.query({ query: 'ロキソプロフェン', limit: 50 });
    expect(byIngredient.map((d) => d.code)).toContain('1149019F1013');
    const byCode = await doctor.chart.searchDrugs.query({ query: '1124007F', limit: 5 });
    expect(byCode.every((d) => d.code.startsWith('1124007F'))).toBe(true);
    expect(byCode.length).toBeGreaterThan(0);
  });

  it('refuses dose ≤ 0, days > 365 and an unknown unit with field errors', async () => {
    const bad = rx({ ...tid, days: 400, drugs: [{ ...loxonin, dose: 0, unit: 'XYZ' }] });
    const err = await doctor.orders.saveDraft
      .mutate({ encounterId, entryId: null, baseRev: 0, content: bad, doctorId: null })
      .catch((e) => e);
    expect(err.data.code).toBe('BAD_REQUEST');
    expect(err.data.fieldErrors).toMatchObject({
      'content.rps.0.days': '日数は365日以内です',
      'content.rps.0.drugs.0.dose': '数量は0より大きくしてください',
      'content.rps.0.drugs.0.unit': '単位が不明です',
    });
  });

  it('confirms a clean prescription at once; a second one with the same ingredient needs an override with a reason', async () => {
    const first = await draft(doctor, rx({ ...tid, drugs: [loxonin] }));
    expect(
      await doctor.orders.confirm.mutate({
        entryId: first.entryId,
        baseRev: first.draftRev,
        reason: '',
        overrides: [],
      }),
    ).toMatchObject({ status: 'confirmed', version: 1, approved: true });

    const second = await draft(doctor, rx({ ...tid, drugs: [loxoGeneric] }));
    const findings = await doctor.orders.check.query({
      patientId,
      entryId: second.entryId,
      rps: [{ ...tid, drugs: [loxoGeneric] }],
    });
    expect(findings.map((f) => f.key)).toEqual(['duplicate:1149019:active']);
    const refused = await doctor.orders.confirm.mutate({
      entryId: second.entryId,
      baseRev: second.draftRev,
      reason: '',
      overrides: [],
    });
    expect(refused).toMatchObject({ status: 'needs-override' });
    expect((await getEntry(app.karte.db, facilityId, second.entryId))?.currentVersion).toBe(0);
    const overrides = [{ key: 'duplicate:1149019:active', reason: '前回分は中止し今回分に切替' }];
    const ok = await doctor.orders.confirm.mutate({
      entryId: second.entryId,
      baseRev: second.draftRev,
      reason: '',
      overrides,
    });
    expect(ok).toMatchObject({ status: 'confirmed', version: 1 });
    const [version] = await versionsOfEntries(app.karte.db, facilityId, [second.entryId]);
    expect(version && isPrescription(version.content) && version.content.overrides).toEqual(overrides);
  });

  it('finds 併用禁忌 from the shipped table with its source, and a 薬剤禁忌 of the patient', async () => {
    const findings = await doctor.orders.check.query({
      patientId,
      entryId: null,
      rps: [{ ...tid, drugs: [halcion, itrizole] }],
    });
    expect(findings).toEqual([
      expect.objectContaining({ type: 'interaction', source: 'ハルシオン錠 添付文書「併用禁忌」' }),
    ]);
    await doctor.chart.addAllergy.mutate({
      patientId,
      allergy: {
        category: 'drug',
        drugCode: '6290004M1029',
        substance: 'イトリゾールカプセル５０',
        criticality: 'high',
        reaction: '薬疹',
        onsetDate: '',
        status: 'active',
      },
    });
    const again = await doctor.orders.check.query({
      patientId,
      entryId: null,
      rps: [{ ...tid, drugs: [itrizole] }],
    });
    expect(again.map((f) => f.type)).toEqual(['allergy']);
  });

  it('takes 一般名 codes (9 characters + ZZZ) and refuses a code that is not in the master', async () => {
    const generic = {
      ...loxonin,
      code: '1149019F1ZZZ',
      generic: true,
      name: '【般】ロキソプロフェンＮａ錠６０ｍｇ',
    };
    const findings = await doctor.orders.check.query({
      patientId,
      entryId: null,
      rps: [{ ...tid, drugs: [generic] }],
    });
    expect(findings.map((f) => f.type)).toContain('duplicate');
    expect(
      await errorCodeOf(
        doctor.orders.check.query({
          patientId,
          entryId: null,
          rps: [{ ...tid, drugs: [{ ...loxonin, code: '9999999F9999' }] }],
        }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('a nurse prescribes for the doctor (代行入力): the version waits for approval', async () => {
    const proxy = await draft(
      nurse,
      rx({ ...tid, kind: 'oral', drugs: [{ ...halcion, dose: 1 }] }),
      (await doctor.auth.me.query()).auth!.user.id,
    );
    const done = await nurse.orders.confirm.mutate({
      entryId: proxy.entryId,
      baseRev: proxy.draftRev,
      reason: '',
      overrides: [],
    });
    expect(done).toMatchObject({ status: 'confirmed', approved: false });
    const pending = await doctor.chart.pendingApprovals.query();
    expect(pending.map((p) => p.entryId)).toContain(proxy.entryId);
  });

  it('Do returns the last prescription without its overrides; the sheet has what the print needs', async () => {
    const last = await doctor.orders.lastPrescription.query({ patientId });
    expect(last?.content.rps[0]?.drugs[0]?.code).toBe('1124007F1020');
    expect(last?.content.overrides).toEqual([]);
    const chart = await doctor.chart.chart.query({ patientId });
    const entry = chart.encounters[0]?.entries.find((e) => e.kind === 'prescription' && e.current);
    const sheet = await doctor.orders.sheet.query({ entryId: entry!.id });
    expect(sheet.facility.code).toMatch(/^\d{10}$/);
    expect(sheet.content.rps.length).toBeGreaterThan(0);
  });

  it('a prescription cannot be confirmed through the SOAP path (which has no checks)', async () => {
    const d = await draft(doctor, rx({ ...tid, drugs: [halcion, itrizole] }));
    expect(
      await errorCodeOf(doctor.chart.confirm.mutate({ entryId: d.entryId, baseRev: d.draftRev, reason: '' })),
    ).toBe('NOT_FOUND');
  });

  it('ranks 品名 matches first and the usual oral form first: アムロジピン錠 before アマルエット, かろなーる → カロナール錠', async () => {
    const amlo = await doctor.chart.searchDrugs.query({ query: 'アムロジピン', limit: 20 });
    expect(amlo[0]?.name).toMatch(/^アムロジピン/);
    // Every 品名 match comes before the products that match only by 成分名 (アマルエット配合錠 …).
    const firstOther = amlo.findIndex((d) => !d.name.startsWith('アムロジピン'));
    if (firstOther >= 0)
      expect(amlo.slice(firstOther).every((d) => !d.name.startsWith('アムロジピン'))).toBe(true);
    const karo = await doctor.chart.searchDrugs.query({ query: 'かろなーる', limit: 20 });
    expect(karo[0]?.name).toBe('カロナール錠２００');
    expect(karo.findIndex((d) => d.name.includes('坐剤'))).toBeGreaterThan(
      karo.findIndex((d) => d.name.includes('錠')),
    );
    // A 成分名 search lists the tablets (F) before powders, syrups and the 外用 forms.
    const acet = await doctor.chart.searchDrugs.query({ query: 'アセトアミノフェン', limit: 50 });
    expect(acet[0]?.code.slice(7, 8)).toBe('F');
  });

  it('names come from the master: a code with a false name is saved, confirmed and printed with the master name', async () => {
    const forged = { ...loxonin, name: 'ビタミン剤（偽）' };
    const saved = await draft(doctor, rx({ ...tid, days: 3, drugs: [forged] }));
    const draftEntry = await app.karte.db.transaction((tx) => getEntry(tx, facilityId, saved.entryId));
    const saved0 = draftEntry?.draft;
    expect(saved0 && isPrescription(saved0) && saved0.rps[0]?.drugs[0]?.name).toBe('ロキソニン錠６０ｍｇ');
    // The checks name the master's product too.
    const findings = await doctor.orders.check.query({
      patientId,
      entryId: saved.entryId,
      rps: [{ ...tid, drugs: [forged] }],
    });
    expect(JSON.stringify(findings)).not.toContain('偽');
    const overrides = findings.map((f) => ({ key: f.key, reason: '確認済み' }));
    const done = await doctor.orders.confirm.mutate({
      entryId: saved.entryId,
      baseRev: saved.draftRev,
      reason: '',
      overrides,
    });
    expect(done.status).toBe('confirmed');
    const sheet = await doctor.orders.sheet.query({ entryId: saved.entryId });
    expect(sheet.content.rps[0]?.drugs[0]?.name).toBe('ロキソニン錠６０ｍｇ');
    expect(JSON.stringify(sheet)).not.toContain('偽');
    // 一般名: the name is 【般】 with the master's 成分名 and 規格, whatever was sent; the flag follows the code.
    const generic = await draft(
      doctor,
      rx({ ...tid, drugs: [{ ...loxonin, code: '1149019F1ZZZ', generic: false, name: 'なんでも' }] }),
    );
    const g = await app.karte.db.transaction((tx) => getEntry(tx, facilityId, generic.entryId));
    const gd = g?.draft && isPrescription(g.draft) ? g.draft.rps[0]?.drugs[0] : undefined;
    expect(gd?.name).toMatch(/^【般】ロキソプロフェン/);
    expect(gd?.generic).toBe(true);
    // A code the master does not have is refused on save (not only on check).
    expect(
      await errorCodeOf(draft(doctor, rx({ ...tid, drugs: [{ ...loxonin, code: '9999999F9999' }] }))),
    ).toBe('BAD_REQUEST');
  });

  it("公費 is chosen per prescription: none by default, only the chosen one printed, only the patient's current ones", async () => {
    const clerk = await loginAs(app.url, 'clerk');
    await clerk.reception.saveCoverage.mutate({
      patientId,
      basedOn: null,
      coverage: {
        insurerNumber: '01130012',
        symbol: '１２３',
        number: '４５６',
        branch: '01',
        relationship: 'self',
        acquiredOn: '2020-04-01',
        validUntil: '',
        limitCategory: '',
        wariOverride: '',
      },
    });
    const nanbyo = await clerk.reception.addPublicSubsidy.mutate({
      patientId,
      subsidy: {
        priority: 1,
        payerNumber: '54016027',
        recipientNumber: '1234566',
        validFrom: '',
        validUntil: '',
        monthlyCap: 5000,
      },
    });
    const confirmWith = async (content: PrescriptionContent) => {
      const d = await draft(doctor, content);
      const findings = await doctor.orders.check.query({ patientId, entryId: d.entryId, rps: content.rps });
      const r = await doctor.orders.confirm.mutate({
        entryId: d.entryId,
        baseRev: d.draftRev,
        reason: '',
        overrides: findings.map((f) => ({ key: f.key, reason: '確認済み' })),
      });
      expect(r.status).toBe('confirmed');
      return { ...(await doctor.orders.sheet.query({ entryId: d.entryId })), entryId: d.entryId };
    };
    // Unrelated prescription: no 公費 on the sheet although the patient has 難病 54.
    const plain = await confirmWith(rx({ ...tid, days: 5, drugs: [halcion] }));
    expect(plain.publicSubsidies).toEqual([]);
    expect(JSON.stringify(plain)).not.toContain('54016027');
    expect(plain.coverage?.insurerNumber).toBe('01130012');
    // 1960-05-05: 66 on today's date → 3割 (the same computation as reception).
    expect(plain.burden).toMatchObject({ wari: 3 });
    // Chosen: printed with its numbers; 変更不可 / 患者希望, リフィル and 残薬 are carried to the sheet.
    const chosen = await confirmWith({
      ...rx({
        ...tid,
        days: 5,
        drugs: [
          { ...halcion, noChange: true },
          { ...itrizole, patientWish: true },
        ],
      }),
      publicSubsidyIds: [nanbyo.id],
      refill: 2,
      residual: 'inform',
    });
    const chosenId = chosen.entryId;
    expect(chosen.publicSubsidies).toEqual([
      expect.objectContaining({ payerNumber: '54016027', recipientNumber: '1234566' }),
    ]);
    expect(chosen.content).toMatchObject({ refill: 2, residual: 'inform' });
    expect(chosen.content.rps[0]?.drugs.map((d) => [!!d.noChange, !!d.patientWish])).toEqual([
      [true, false],
      [false, true],
    ]);
    // Do copies the choice while that 公費 is current; a draft whose 公費 ended meanwhile cannot be confirmed.
    expect((await doctor.orders.lastPrescription.query({ patientId }))?.content.publicSubsidyIds).toEqual([
      nanbyo.id,
    ]);
    const pending = await draft(doctor, {
      ...rx({ ...tid, drugs: [halcion] }),
      publicSubsidyIds: [nanbyo.id],
    });
    await clerk.reception.removePublicSubsidy.mutate({ patientId, id: nanbyo.id });
    expect(
      await errorCodeOf(
        doctor.orders.confirm.mutate({
          entryId: pending.entryId,
          baseRev: pending.draftRev,
          reason: '',
          overrides: [],
        }),
      ),
    ).toBe('BAD_REQUEST');
    expect((await doctor.orders.lastPrescription.query({ patientId }))?.content.publicSubsidyIds).toEqual([]);
    // The confirmed sheet still prints what it chose.
    expect((await doctor.orders.sheet.query({ entryId: chosenId })).publicSubsidies).toHaveLength(1);
    // Someone else's or an ended 公費 is refused.
    expect(
      await errorCodeOf(
        draft(doctor, {
          ...rx({ ...tid, drugs: [halcion] }),
          publicSubsidyIds: ['7b0d7c52-6f0e-4d43-9c2e-2f8a4d7b6c11'],
        }),
      ),
    ).toBe('BAD_REQUEST');
  });
});
