/** 再診を短く (Do 再診): the board's one key, 前回Do of SOAP and prescription, 確定 together with 会計待. */
import { schema } from '@karte/db';
import { isPrescription, type PrescriptionContent, type SoapContent } from '@karte/domain';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DO_PATIENT_NUMBER } from '../../seed/demoRezai';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let doctor: TestClient;
let nurse: TestClient;
let clerk: TestClient;

const loxonin = { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' };
const tid = {
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 7,
  times: null,
};
const rx = (drugs: (typeof loxonin)[]): PrescriptionContent => ({
  place: 'outside',
  rps: [{ ...tid, drugs }],
  overrides: [],
});

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  nurse = await loginAs(app.url, 'nurse');
  clerk = await loginAs(app.url, 'clerk');
});
afterAll(() => app?.close());

let kanaSeq = 0;
async function newPatient() {
  const kana = ['サイシン', 'ドゥー', 'カイケイ', 'ゲンシ', 'ニカイ'][kanaSeq++ % 5] ?? 'サイシン';
  const created = await clerk.reception.registerPatient.mutate({
    familyName: '再診',
    givenName: `${kanaSeq}郎`,
    familyNameKana: kana,
    givenNameKana: 'タロウ',
    sex: 'male',
    birthDate: `1958-03-0${String((kanaSeq % 9) + 1)}`,
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  return created.patient.id;
}

/** Checked in and sent to the waiting room (診察待) by the clerk. */
async function waitingVisit(patientId: string) {
  const v = await clerk.reception.checkIn.mutate({
    patientId,
    purpose: '再診',
    department: '内科',
    memo: '',
  });
  return clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'waiting', version: v.version });
}

async function soapDraft(encounterId: string, content: SoapContent) {
  const r = await doctor.chart.saveDraft.mutate({
    encounterId,
    entryId: null,
    baseRev: 0,
    content,
    doctorId: null,
  });
  if (r.status !== 'saved') throw new Error('expected saved');
  return r;
}
async function rxDraft(encounterId: string, content: PrescriptionContent) {
  const r = await doctor.orders.saveDraft.mutate({
    encounterId,
    entryId: null,
    baseRev: 0,
    content,
    doctorId: null,
  });
  if (r.status !== 'saved') throw new Error('expected saved');
  return r;
}

const todaysEntries = async (patientId: string, encounterId: string) =>
  (await doctor.chart.chart.query({ patientId })).encounters.find((e) => e.id === encounterId)?.entries ?? [];

describe('再診を短く: beginVisit', () => {
  it('opens the encounter of the visit and moves 診察待 to 診察中 in one step; again, it only reopens', async () => {
    const patientId = await newPatient();
    const visit = await waitingVisit(patientId);
    const begun = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    expect(begun).toMatchObject({ patientId, visit: { id: visit.id, state: 'in_consult' } });
    const chart = await doctor.chart.chart.query({ patientId });
    expect(chart.encounters[0]).toMatchObject({ id: begun.encounterId, visitId: visit.id });
    const again = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    expect(again.encounterId).toBe(begun.encounterId);
    expect(again.visit).toEqual(begun.visit);
    expect((await doctor.chart.chart.query({ patientId })).encounters).toHaveLength(1);
  });

  it('a visit still 受付済 gets its encounter but is not moved (the clerk sends it to 診察待)', async () => {
    const patientId = await newPatient();
    const v = await clerk.reception.checkIn.mutate({
      patientId,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
    const begun = await doctor.chart.beginVisit.mutate({ visitId: v.id });
    expect(begun.visit).toMatchObject({ state: 'received', version: v.version });
  });

  it('only doctors start a visit from the board', async () => {
    const patientId = await newPatient();
    const visit = await waitingVisit(patientId);
    expect(await errorCodeOf(nurse.chart.beginVisit.mutate({ visitId: visit.id }))).toBe('FORBIDDEN');
  });
});

describe('再診を短く: 前回Do', () => {
  it("copies the last visit's SOAP and prescription into today's drafts, with the date they came from", async () => {
    const [p] = await clerk.reception.searchPatients.query({
      query: String(DEMO_DO_PATIENT_NUMBER),
      limit: 1,
    });
    const patientId = p!.id;
    const before = await doctor.chart.chart.query({ patientId });
    const past = before.encounters[0]!;
    const pastSoap = past.entries.find((e) => e.kind === 'soap')!.current!.content as SoapContent;
    const pastRx = past.entries.find((e) => e.kind === 'prescription')!.current!
      .content as PrescriptionContent;
    const visit = await waitingVisit(patientId);
    const { encounterId } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    const copied = await doctor.chart.copyLastVisit.mutate({ encounterId, doctorId: null });
    expect(copied).toMatchObject({
      status: 'copied',
      from: { encounterId: past.id, date: past.date },
      soap: { appended: false },
      missingDrugs: [],
    });
    const today = await todaysEntries(patientId, encounterId);
    const soap = today.find((e) => e.kind === 'soap');
    const pres = today.find((e) => e.kind === 'prescription');
    expect(soap?.draft).toEqual(pastSoap);
    expect(pres?.draft && isPrescription(pres.draft) ? pres.draft.rps : null).toEqual(pastRx.rps);
    expect(pres?.currentVersion).toBe(0);
    // The checks run on it as on any prescription: the last one is finished, so nothing is a duplicate.
    expect(await doctor.orders.check.query({ patientId, entryId: pres!.id, rps: pastRx.rps })).toEqual([]);
    // One step confirms both and sends the visit to 会計待; the confirmed versions equal the last visit's.
    const board = (await doctor.reception.board.query()).find((b) => b.id === visit.id)!;
    const done = await doctor.chart.confirmTogether.mutate({
      encounterId,
      entries: [
        { entryId: soap!.id, baseRev: soap!.draftRev },
        { entryId: pres!.id, baseRev: pres!.draftRev },
      ],
      billing: { visitId: visit.id, version: board.version },
    });
    expect(done).toMatchObject({ status: 'confirmed', visit: { state: 'billing' } });
    const after = await todaysEntries(patientId, encounterId);
    expect(after.find((e) => e.kind === 'soap')?.current?.content).toEqual(pastSoap);
    const confirmedRx = after.find((e) => e.kind === 'prescription')?.current?.content;
    expect(confirmedRx && isPrescription(confirmedRx) ? confirmedRx.rps : null).toEqual(pastRx.rps);
  });

  it('appends to a draft already written today (never replaces it), and says when there is nothing to copy', async () => {
    const patientId = await newPatient();
    const first = await doctor.chart.openEncounter.mutate({ patientId, visitId: null });
    const s1 = await soapDraft(first.id, { s: '前回のS', o: '前回のO', a: '前回のA', p: '前回のP' });
    await doctor.chart.confirm.mutate({ entryId: s1.entryId, baseRev: s1.draftRev, reason: '' });
    const r1 = await rxDraft(first.id, rx([loxonin]));
    await doctor.orders.confirm.mutate({
      entryId: r1.entryId,
      baseRev: r1.draftRev,
      reason: '',
      overrides: [],
    });
    // That visit was 30 days ago (its prescription of 7 days is finished).
    await app.karte.db
      .update(schema.encounters)
      .set({ encounterDate: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) })
      .where(eq(schema.encounters.id, first.id));
    const visit = await waitingVisit(patientId);
    const { encounterId } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    // The 問診 already in S today stays first.
    await soapDraft(encounterId, { s: '本日の問診', o: '', a: '', p: '' });
    const copied = await doctor.chart.copyLastVisit.mutate({ encounterId, doctorId: null });
    expect(copied).toMatchObject({ status: 'copied', soap: { appended: true } });
    const today = await todaysEntries(patientId, encounterId);
    expect(today.filter((e) => e.kind === 'soap')).toHaveLength(1);
    expect(today.find((e) => e.kind === 'soap')?.draft).toEqual({
      s: '本日の問診\n前回のS',
      o: '前回のO',
      a: '前回のA',
      p: '前回のP',
    });

    const fresh = await newPatient();
    const enc = await doctor.chart.openEncounter.mutate({ patientId: fresh, visitId: null });
    expect(await doctor.chart.copyLastVisit.mutate({ encounterId: enc.id, doctorId: null })).toEqual({
      status: 'none',
    });
  });

  it('a drug no longer in the master is copied as it was and named; the check and 確定 refuse it; without it the other findings show', async () => {
    const patientId = await newPatient();
    const first = await doctor.chart.openEncounter.mutate({ patientId, visitId: null });
    const gone = {
      code: '1124007F1020',
      generic: false,
      name: 'ハルシオン０．１２５ｍｇ錠',
      dose: 1,
      unit: 'TAB',
    };
    const r1 = await rxDraft(first.id, rx([gone, loxonin]));
    await doctor.orders.confirm.mutate({
      entryId: r1.entryId,
      baseRev: r1.draftRev,
      reason: '',
      overrides: [],
    });
    // That visit was 3 days ago: its 7 days are still being taken, so today's Do repeats ロキソニン (a duplicate).
    await app.karte.db
      .update(schema.encounters)
      .set({ encounterDate: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10) })
      .where(eq(schema.encounters.id, first.id));
    // Halcion leaves the master (this test's own database).
    await app.karte.db.delete(schema.drugs).where(eq(schema.drugs.code, gone.code));
    const visit = await waitingVisit(patientId);
    const { encounterId } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    const copied = await doctor.chart.copyLastVisit.mutate({ encounterId, doctorId: null });
    expect(copied).toMatchObject({ status: 'copied', missingDrugs: [{ code: gone.code, name: gone.name }] });
    if (copied.status !== 'copied') throw new Error('copied');
    const pres = (await todaysEntries(patientId, encounterId)).find(
      (e) => e.id === copied.prescriptions[0]?.entryId,
    )!;
    const draft = pres.draft as PrescriptionContent;
    expect(draft.rps[0]?.drugs.map((d) => d.code)).toEqual([gone.code, loxonin.code]);
    // The check names the code (and 確定 below refuses it); once it is taken out, the other findings show.
    expect(
      await errorCodeOf(doctor.orders.check.query({ patientId, entryId: pres.id, rps: draft.rps })),
    ).toBe('BAD_REQUEST');
    const rest = draft.rps.map((r) => ({ ...r, drugs: r.drugs.filter((d) => d.code !== gone.code) }));
    const findings = await doctor.orders.check.query({ patientId, entryId: pres.id, rps: rest });
    expect(findings.map((f) => f.type)).toContain('duplicate');
    expect(
      await errorCodeOf(
        doctor.chart.confirmTogether.mutate({
          encounterId,
          entries: [{ entryId: pres.id, baseRev: pres.draftRev }],
          billing: null,
        }),
      ),
    ).toBe('BAD_REQUEST');
  });
});

describe('再診を短く: 確定 together', () => {
  it('a prescription finding without a reason confirms nothing (the SOAP stays a draft); with the reason both are confirmed', async () => {
    const patientId = await newPatient();
    const visit = await waitingVisit(patientId);
    const { encounterId, visit: v } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    // Already taking ロキソニン from earlier today: the new one is a duplicate.
    const earlier = await doctor.chart.openEncounter.mutate({ patientId, visitId: null });
    const r0 = await rxDraft(earlier.id, rx([loxonin]));
    await doctor.orders.confirm.mutate({
      entryId: r0.entryId,
      baseRev: r0.draftRev,
      reason: '',
      overrides: [],
    });
    const s = await soapDraft(encounterId, { s: '腰痛', o: '', a: '腰痛症', p: '鎮痛薬' });
    const r = await rxDraft(encounterId, rx([loxonin]));
    const refused = await doctor.chart.confirmTogether.mutate({
      encounterId,
      entries: [
        { entryId: s.entryId, baseRev: s.draftRev },
        { entryId: r.entryId, baseRev: r.draftRev },
      ],
      billing: { visitId: visit.id, version: v.version },
    });
    expect(refused).toMatchObject({ status: 'needs-override', entryId: r.entryId });
    if (refused.status !== 'needs-override') throw new Error('refused');
    expect(refused.findings.map((f) => f.type)).toEqual(['duplicate']);
    let today = await todaysEntries(patientId, encounterId);
    expect(today.every((e) => e.currentVersion === 0 && e.draft !== null)).toBe(true);
    let board = (await doctor.reception.board.query()).find((b) => b.id === visit.id)!;
    expect(board.state).toBe('in_consult');

    // The reason, saved in the draft as the editor does, lets both through together with 会計待.
    const withReason = await doctor.orders.saveDraft.mutate({
      encounterId,
      entryId: r.entryId,
      baseRev: r.draftRev,
      content: {
        ...rx([loxonin]),
        overrides: [{ key: refused.findings[0]!.key, reason: '頓用分と合わせて確認済み' }],
      },
      doctorId: null,
    });
    if (withReason.status !== 'saved') throw new Error('saved');
    const done = await doctor.chart.confirmTogether.mutate({
      encounterId,
      entries: [
        { entryId: s.entryId, baseRev: s.draftRev },
        { entryId: r.entryId, baseRev: withReason.draftRev },
      ],
      billing: { visitId: visit.id, version: v.version },
    });
    expect(done).toMatchObject({ status: 'confirmed', visit: { state: 'billing' } });
    today = await todaysEntries(patientId, encounterId);
    expect(today.map((e) => e.currentVersion)).toEqual([1, 1]);
    const pres = today.find((e) => e.kind === 'prescription')?.current?.content as PrescriptionContent;
    expect(pres.overrides).toEqual([{ key: refused.findings[0]!.key, reason: '頓用分と合わせて確認済み' }]);
    board = (await doctor.reception.board.query()).find((b) => b.id === visit.id)!;
    expect(board.state).toBe('billing');
  });

  it('a stale draft or a stale visit is a conflict and nothing is confirmed', async () => {
    const patientId = await newPatient();
    const visit = await waitingVisit(patientId);
    const { encounterId, visit: v } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    const s = await soapDraft(encounterId, { s: 'めまい', o: '', a: '', p: '' });
    const r = await rxDraft(encounterId, rx([loxonin]));
    // Someone saved the SOAP after this screen read it.
    const newer = await nurse.chart.saveDraft.mutate({
      encounterId,
      entryId: s.entryId,
      baseRev: s.draftRev,
      content: { s: 'めまい（追記）', o: '', a: '', p: '' },
      doctorId: null,
    });
    expect(newer.status).toBe('saved');
    expect(
      await errorCodeOf(
        doctor.chart.confirmTogether.mutate({
          encounterId,
          entries: [
            { entryId: r.entryId, baseRev: r.draftRev },
            { entryId: s.entryId, baseRev: s.draftRev },
          ],
          billing: null,
        }),
      ),
    ).toBe('CONFLICT');
    // The prescription confirmed first in that transaction was rolled back with it.
    expect((await todaysEntries(patientId, encounterId)).every((e) => e.currentVersion === 0)).toBe(true);
    const fresh = await todaysEntries(patientId, encounterId);
    const soapRev = fresh.find((e) => e.id === s.entryId)!.draftRev;
    // The visit moved meanwhile (back to 診察待 and in again: version stale): refused, nothing confirmed.
    const back = await doctor.reception.moveVisit.mutate({
      visitId: visit.id,
      to: 'waiting',
      version: v.version,
    });
    await doctor.reception.moveVisit.mutate({ visitId: visit.id, to: 'in_consult', version: back.version });
    expect(
      await errorCodeOf(
        doctor.chart.confirmTogether.mutate({
          encounterId,
          entries: [
            { entryId: s.entryId, baseRev: soapRev },
            { entryId: r.entryId, baseRev: r.draftRev },
          ],
          billing: { visitId: visit.id, version: v.version },
        }),
      ),
    ).toBe('CONFLICT');
    expect((await todaysEntries(patientId, encounterId)).every((e) => e.currentVersion === 0)).toBe(true);
  });

  it('a nurse confirms her proxy drafts together; the visit cannot go to 会計待 while they wait for approval', async () => {
    const patientId = await newPatient();
    const visit = await waitingVisit(patientId);
    const { encounterId, visit: v } = await doctor.chart.beginVisit.mutate({ visitId: visit.id });
    const doctorId = (await doctor.auth.me.query()).auth!.user.id;
    const s = await nurse.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { s: '代行', o: '', a: '', p: '' },
      doctorId,
    });
    if (s.status !== 'saved') throw new Error('saved');
    const done = await nurse.chart.confirmTogether.mutate({
      encounterId,
      entries: [{ entryId: s.entryId, baseRev: s.draftRev }],
      billing: null,
    });
    expect(done).toMatchObject({ status: 'confirmed', confirmed: [{ kind: 'soap', approved: false }] });
    const r = await rxDraft(encounterId, rx([loxonin]));
    expect(
      await errorCodeOf(
        doctor.chart.confirmTogether.mutate({
          encounterId,
          entries: [{ entryId: r.entryId, baseRev: r.draftRev }],
          billing: { visitId: visit.id, version: v.version },
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      (await todaysEntries(patientId, encounterId)).find((e) => e.id === r.entryId)?.currentVersion,
    ).toBe(0);
  });
});
