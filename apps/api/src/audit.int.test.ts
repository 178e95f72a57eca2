/** Every read and write of patient data leaves an audit event; failures too. */
import { insertVisit, schema, searchAudit, setVisitState, verifyAuditChain } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './routers/_app';
import { addDays, calendarDay } from './services/appointments/slots';
import { defaultBillingSettings } from './services/billing/settings';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from './testing';
import type { Meta } from './trpc';

let app: TestApp;
let clerk: TestClient;
let admin: TestClient;
let facilityId: string;

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  admin = await loginAs(app.url, 'admin');
  facilityId = (await clerk.auth.me.query()).auth?.facility.id ?? '';
});
afterAll(() => app?.close());

const latest = async () => (await searchAudit(app.karte.db, facilityId, { limit: 1 }))[0];

const input = {
  familyName: '監査',
  givenName: '花子',
  familyNameKana: 'カンサ',
  givenNameKana: 'ハナコ',
  sex: 'female' as const,
  birthDate: '1990-02-03',
  postalCode: '',
  address: '',
  phone: '',
};

describe('audit of patient data', () => {
  it('covers every procedure marked as patient data', () => {
    const audited = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>,
    )
      .filter(([, p]) => p._def.meta?.audit)
      .map(([name]) => name)
      .sort();
    expect(audited).toEqual([
      'admin.searchAudit',
      'admin.verifyAudit',
      'appointments.book', // 予約 (issue #15)
      'appointments.calendar',
      'appointments.cancel',
      'appointments.checkIn',
      'appointments.get',
      'appointments.markNoShow',
      'appointments.move',
      'appointments.today',
      'billing.confirm',
      'billing.daily',
      'billing.open',
      'billing.pay',
      'billing.preview',
      'billing.print',
      'billing.unpaid',
      'chart.addAllergy',
      'chart.addInfection',
      'chart.addProblem',
      'chart.allergies',
      'chart.approve',
      'chart.beginVisit', // 再診を短く
      'chart.chart',
      'chart.confirm',
      'chart.confirmTogether', // 再診を短く
      'chart.copyLastVisit', // 再診を短く
      'chart.openEncounter',
      'chart.pendingApprovals',
      'chart.problems',
      'chart.removeProblem',
      'chart.saveDraft',
      'chart.setAllergyStatus',
      'chart.startCorrection',
      'chart.summary',
      'chart.updateProblem',
      'documents.create',
      'documents.finalise',
      'documents.get',
      'documents.list',
      'documents.saveDraft',
      'offline.download', // the day's file: every patient in it
      'offline.exportNow',
      'orders.addLabResults',
      'orders.check',
      'orders.confirm',
      'orders.correctLabResult',
      'orders.importLabs',
      'orders.labTable',
      'orders.labTrend',
      'orders.lastPrescription',
      'orders.previewLabImport',
      'orders.saveDraft',
      'orders.sheet',
      'reception.addPublicSubsidy',
      'reception.applyEligibility',
      'reception.board',
      'reception.card',
      'reception.checkEligibility',
      'reception.checkIn',
      'reception.getPatient',
      'reception.insurance',
      'reception.issueCard',
      'reception.moveVisit',
      'reception.registerPatient',
      'reception.removePublicSubsidy',
      'reception.saveCoverage',
      'reception.searchPatients',
      'reception.updatePatient',
      'sharing.patientBundles',
      'sharing.patientSubmissions',
      'sharing.resend',
      'sharing.setConsent',
      'sharing.submissions',
      // Issue #15: バイタル・問診
      'vitals.correct',
      'vitals.draftSources',
      'vitals.intake',
      'vitals.list',
      'vitals.record',
      'vitals.saveIntake',
    ]);
  });

  it('records search, create, read and update with user, patient and outcome', async () => {
    const me = (await clerk.auth.me.query()).auth;
    const rows = await clerk.reception.searchPatients.query({ query: 'ヤマ', limit: 5 });
    let e = await latest();
    expect(e).toMatchObject({
      action: 'search',
      outcome: 'ok',
      userId: me?.user.id,
      procedure: 'reception.searchPatients',
    });
    expect(e?.detail.patientIds).toEqual(rows.map((r) => r.id));

    const created = await clerk.reception.registerPatient.mutate(input);
    if (created.status !== 'created') throw new Error('expected created');
    const id = created.patient.id;
    expect(await latest()).toMatchObject({ action: 'create', patientId: id, outcome: 'ok' });

    await clerk.reception.getPatient.query({ id });
    expect(await latest()).toMatchObject({ action: 'read', patientId: id, outcome: 'ok' });

    await clerk.reception.updatePatient.mutate({ ...input, id, version: 1, phone: '03-0000-1111' });
    e = await latest();
    expect(e).toMatchObject({ action: 'update', patientId: id, outcome: 'ok' });
    expect(e?.detail.changes).toEqual({ phone: { from: '', to: '03-0000-1111' } });

    // A stale edit is a conflict, audited as such, and changes nothing.
    expect(await errorCodeOf(clerk.reception.updatePatient.mutate({ ...input, id, version: 1 }))).toBe(
      'CONFLICT',
    );
    expect(await latest()).toMatchObject({ action: 'update', outcome: 'conflict' });
    expect((await clerk.reception.getPatient.query({ id })).phone).toBe('03-0000-1111');
  });

  it('records refused and invalid calls', async () => {
    await errorCodeOf(clerk.reception.getPatient.query({ id: '00000000-0000-4000-8000-000000000000' }));
    expect(await latest()).toMatchObject({ action: 'read', outcome: 'denied' });
    await errorCodeOf(clerk.reception.registerPatient.mutate({ ...input, birthDate: 'x' }));
    expect(await latest()).toMatchObject({ action: 'create', outcome: 'invalid' });
    await errorCodeOf(clerk.admin.searchAudit.query({ limit: 5 }));
    expect(await latest()).toMatchObject({ action: 'audit-search', outcome: 'denied' });
  });

  it('a failed write leaves neither the row nor a success event', async () => {
    const before = await clerk.reception.searchPatients.query({ query: 'ムジュン', limit: 5 });
    expect(before).toEqual([]);
    // Duplicate check answers without writing.
    const r = await clerk.reception.registerPatient.mutate(input);
    expect(r.status).toBe('duplicate');
    expect(await clerk.reception.searchPatients.query({ query: 'カンサハナコ', limit: 5 })).toHaveLength(1);
  });

  it('the admin can search the log by patient and the chain verifies', async () => {
    const [p] = await clerk.reception.searchPatients.query({ query: 'カンサ', limit: 1 });
    const events = await admin.admin.searchAudit.query({ patientId: p?.id, limit: 50 });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
    expect(events.every((e) => e.patientId === p?.id)).toBe(true);
    expect(events.find((e) => e.action === 'create')?.userName).toBe('医事 デモ');
    expect(events[0]?.patient).toEqual({ patientNumber: p?.patientNumber, name: '監査 花子' });
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
    expect((await admin.admin.searchAudit.query({ from: today, to: today, limit: 5 })).length).toBe(5);
    expect(await admin.admin.searchAudit.query({ from: '2000-01-01', to: '2000-01-02', limit: 5 })).toEqual(
      [],
    );
    // Paging backwards by sequence number.
    const first = await admin.admin.searchAudit.query({ limit: 3 });
    const older = await admin.admin.searchAudit.query({ limit: 3, cursor: first.at(-1)?.seq });
    expect(older[0]?.seq).toBe((first.at(-1)?.seq ?? 0) - 1);
    const report = await admin.admin.verifyAudit.mutate();
    expect(report.ok).toBe(true);
    // Verifying is itself audited: the chain now holds one more event, still intact.
    expect(await verifyAuditChain(app.karte.db, facilityId)).toEqual({
      ...report,
      events: report.events + 1,
    });
  });

  it('the lists of several patients (未承認, 共有送信) record every patient they show', async () => {
    const doctor = await loginAs(app.url, 'doctor');
    const nurse = await loginAs(app.url, 'nurse');
    const [p] = await clerk.reception.searchPatients.query({ query: 'カンサ', limit: 1 });
    const enc = await nurse.chart.openEncounter.mutate({ patientId: p!.id, visitId: null });
    const me = (await doctor.auth.me.query()).auth!;
    const d = await nurse.chart.saveDraft.mutate({
      encounterId: enc.id,
      entryId: null,
      baseRev: 0,
      content: { s: '代行', o: '', a: '', p: '' },
      doctorId: me.user.id,
    });
    if (d.status !== 'saved') throw new Error('expected saved');
    await nurse.chart.confirm.mutate({ entryId: d.entryId, baseRev: d.draftRev, reason: '' });
    const pending = await doctor.chart.pendingApprovals.query();
    expect(pending.length).toBeGreaterThan(0);
    let e = await latest();
    expect(e).toMatchObject({ procedure: 'chart.pendingApprovals', outcome: 'ok' });
    expect(e?.detail.patientIds).toEqual([...new Set(pending.map((x) => x.patientId))]);
    expect(e?.detail.patientIds).toContain(p!.id);

    const list = await doctor.sharing.submissions.query({ limit: 50 });
    expect(list.rows.length).toBeGreaterThan(0);
    e = await latest();
    expect(e).toMatchObject({ procedure: 'sharing.submissions', outcome: 'ok' });
    expect(e?.detail.patientIds).toEqual([...new Set(list.rows.map((r) => r.patientId))]);
  });

  it('a denied request records the patient it targeted (directly or through a record of theirs)', async () => {
    const [p] = await clerk.reception.searchPatients.query({ query: 'カンサ', limit: 1 });
    // A clerk may not change allergies: refused, and the target is on the record.
    await errorCodeOf(
      clerk.chart.addAllergy.mutate({
        patientId: p!.id,
        allergy: {
          category: 'food',
          drugCode: null,
          substance: 'そば',
          criticality: 'high',
          reaction: '',
          onsetDate: '',
          status: 'active',
        },
      }),
    );
    expect(await latest()).toMatchObject({
      procedure: 'chart.addAllergy',
      outcome: 'denied',
      patientId: p!.id,
    });
    // Through a lab result's id.
    const [result] = await app.karte.db.select().from(schema.labResults).limit(1);
    await errorCodeOf(
      clerk.orders.correctLabResult.mutate({
        resultId: result!.id,
        correction: { value: '1', unit: '', range: '', reason: '理由' },
      }),
    );
    expect(await latest()).toMatchObject({
      procedure: 'orders.correctLabResult',
      outcome: 'denied',
      patientId: result!.patientId,
    });
    // An id that is no patient of this facility is kept as claimed, never as the event's patient.
    const stranger = '00000000-0000-4000-8000-000000000001';
    await errorCodeOf(clerk.chart.allergies.query({ patientId: stranger }));
    const e = await latest();
    expect(e).toMatchObject({ procedure: 'chart.allergies', outcome: 'denied', patientId: null });
    expect(e?.detail.claimedPatientId).toBe(stranger);
  });

  it('the polled list reads stay recorded but can be left out of the admin’s search', async () => {
    await clerk.reception.board.query();
    await clerk.reception.board.query();
    const all = await admin.admin.searchAudit.query({ limit: 20 });
    expect(all.some((e) => e.procedure === 'reception.board')).toBe(true);
    const filtered = await admin.admin.searchAudit.query({ limit: 20, excludeListReads: true });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.some((e) => e.procedure === 'reception.board')).toBe(false);
  });
});

describe('audit of 会計', () => {
  it('records 会計: open, confirm, pay, print, 未収 and the 日計表, and a refused payment', async () => {
    const created = await clerk.reception.registerPatient.mutate({
      ...input,
      familyName: '請求',
      givenName: '一郎',
      familyNameKana: 'セイキュウ',
      givenNameKana: 'イチロウ',
      sex: 'male',
      birthDate: '1975-07-07',
    });
    if (created.status !== 'created') throw new Error('expected created');
    const patientId = created.patient.id;
    const me = (await clerk.auth.me.query()).auth;
    const visit = await insertVisit(app.karte.db, facilityId, me?.user.id ?? null, {
      patientId,
      visitDate: '2026-11-05',
      purpose: '再診',
      department: '内科',
      memo: '',
      coverageId: null,
      eligibilityConfirmed: 0,
    });
    await setVisitState(app.karte.db, facilityId, null, visit.id, visit.version, 'billing');
    const view = await clerk.billing.open.query({ visitId: visit.id });
    expect(await latest()).toMatchObject({
      action: 'read',
      patientId,
      procedure: 'billing.open',
      outcome: 'ok',
    });
    await clerk.billing.preview.query({ visitId: visit.id, draft: view.draft });
    expect(await latest()).toMatchObject({ action: 'read', patientId, procedure: 'billing.preview' });
    const done = await clerk.billing.confirm.mutate({
      visitId: visit.id,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
    });
    const confirmed = (await searchAudit(app.karte.db, facilityId, { limit: 5 })).find(
      (e) => e.procedure === 'billing.confirm' && e.action === 'create',
    );
    expect(confirmed).toMatchObject({ patientId, outcome: 'ok' });
    expect(confirmed?.detail).toMatchObject({ what: 'bill', version: 1 });
    const billId = done.bill?.id ?? '';
    await clerk.billing.pay.mutate({ billId, payment: { amountYen: 10, method: 'cash' } });
    expect(await latest()).toMatchObject({ procedure: 'billing.pay', patientId, outcome: 'ok' });
    // Opening the 領収証 is a preview (a read); 印刷 issues it (a print).
    await clerk.billing.print.query({ billId, kind: 'receipt' });
    expect(await latest()).toMatchObject({ action: 'read', procedure: 'billing.print', patientId });
    await clerk.billing.print.query({ billId, kind: 'receipt', issue: true });
    expect(await latest()).toMatchObject({ action: 'print', procedure: 'billing.print', patientId });
    await clerk.billing.unpaid.query({ patientId });
    expect(await latest()).toMatchObject({ action: 'read', procedure: 'billing.unpaid', patientId });
    await clerk.billing.daily.query({ date: '2026-11-05' });
    const daily = await latest();
    expect(daily).toMatchObject({ action: 'read', procedure: 'billing.daily' });
    expect(daily?.detail.billIds).toContain(billId);
    // Refused: more than is owed. The failure names the patient through the bill.
    expect(
      await errorCodeOf(
        clerk.billing.pay.mutate({ billId, payment: { amountYen: 9_999_999, method: 'cash' } }),
      ),
    ).toBe('BAD_REQUEST');
    expect(await latest()).toMatchObject({ procedure: 'billing.pay', patientId, outcome: 'invalid' });
  });
});

// ---- 予約 (appointments workstream, issue #15) ----------------------------------------------------------
describe('audit of 予約', () => {
  it('records booking, the calendar, today’s list, the slip, moves, 不来院, cancels and a refused 受付', async () => {
    const [p] = await clerk.reception.searchPatients.query({ query: 'ヤマ', limit: 1 });
    const patientId = p?.id ?? '';
    let day = addDays(todayInJapan(), 1);
    while (calendarDay(day, defaultBillingSettings()).closed) day = addDays(day, 1);
    const booked = await clerk.appointments.book.mutate({
      patientId,
      doctorId: null,
      department: '内科',
      date: day,
      startTime: '09:45',
      durationMinutes: 15,
      purpose: '再診',
      memo: '',
    });
    expect(await latest()).toMatchObject({ action: 'create', procedure: 'appointments.book', patientId });
    await clerk.appointments.calendar.query({ from: day, days: 7 });
    const cal = await latest();
    expect(cal).toMatchObject({ action: 'read', procedure: 'appointments.calendar', patientId: null });
    expect(cal?.detail.patientIds).toContain(patientId);
    await clerk.appointments.get.query({ appointmentId: booked.id });
    expect(await latest()).toMatchObject({ action: 'read', procedure: 'appointments.get', patientId });
    const moved = await clerk.appointments.move.mutate({
      appointmentId: booked.id,
      version: booked.version,
      date: day,
      startTime: '10:45',
      doctorId: null,
      durationMinutes: 15,
    });
    expect(await latest()).toMatchObject({ action: 'update', procedure: 'appointments.move', patientId });
    // Refused: 受付 of a day that has not come. The failure names the patient through the appointment.
    expect(
      await errorCodeOf(clerk.appointments.checkIn.mutate({ appointmentId: booked.id, version: 2 })),
    ).toBe('BAD_REQUEST');
    expect(await latest()).toMatchObject({
      procedure: 'appointments.checkIn',
      patientId,
      outcome: 'invalid',
    });
    expect(
      await errorCodeOf(clerk.appointments.markNoShow.mutate({ appointmentId: booked.id, version: 2 })),
    ).toBe('BAD_REQUEST');
    expect(await latest()).toMatchObject({
      procedure: 'appointments.markNoShow',
      patientId,
      outcome: 'invalid',
    });
    await clerk.appointments.cancel.mutate({
      appointmentId: booked.id,
      version: moved.version,
      reason: '電話',
    });
    expect(await latest()).toMatchObject({ action: 'update', procedure: 'appointments.cancel', patientId });
    await clerk.appointments.today.query();
    expect(await latest()).toMatchObject({ action: 'read', procedure: 'appointments.today' });
  });
});

// ── Issue #15: バイタル・問診 (vitals workstream) ──
describe('audit of バイタル・問診', () => {
  it('records each entry, correction, read and 問診 save with its patient; a refused correction too', async () => {
    const nurse = await loginAs(app.url, 'nurse');
    const doctor = await loginAs(app.url, 'doctor');
    const created = await clerk.reception.registerPatient.mutate({
      ...input,
      familyName: '測定監査',
      confirmDuplicate: true,
    });
    if (created.status !== 'created') throw new Error('setup');
    const patientId = created.patient.id;
    const visit = await clerk.reception.checkIn.mutate({
      patientId,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
    const none = {
      temperature: null,
      systolic: null,
      diastolic: null,
      pulse: null,
      spo2: null,
      heightCm: null,
      weightKg: null,
    };
    const { id } = await nurse.vitals.record.mutate({
      patientId,
      visitId: visit.id,
      values: { ...none, temperature: 37.9 },
    });
    expect(await latest()).toMatchObject({
      action: 'create',
      outcome: 'ok',
      patientId,
      procedure: 'vitals.record',
      detail: { what: 'vital-signs', vitalId: id, line: 'T 37.9℃' },
    });
    await nurse.vitals.correct.mutate({
      vitalId: id,
      correction: { values: { ...none, temperature: 37.2 }, reason: '測定ミス' },
    });
    expect(await latest()).toMatchObject({
      action: 'update',
      patientId,
      procedure: 'vitals.correct',
      detail: { from: 'T 37.9℃', to: 'T 37.2℃', reason: '測定ミス' },
    });
    // The corrected row cannot be corrected again: the conflict is recorded against the patient.
    expect(
      await errorCodeOf(
        nurse.vitals.correct.mutate({
          vitalId: id,
          correction: { values: { ...none, pulse: 70 }, reason: 'x' },
        }),
      ),
    ).toBe('CONFLICT');
    expect(await latest()).toMatchObject({ outcome: 'conflict', patientId, procedure: 'vitals.correct' });
    await doctor.vitals.list.query({ patientId });
    expect(await latest()).toMatchObject({ action: 'read', patientId, procedure: 'vitals.list' });
    await clerk.vitals.saveIntake.mutate({
      visitId: visit.id,
      baseVersion: 0,
      fields: {
        chiefComplaint: '発熱',
        course: '',
        medication: '',
        allergy: 'unknown',
        allergyDetail: '',
        pregnancy: 'na',
      },
    });
    expect(await latest()).toMatchObject({
      action: 'create',
      patientId,
      procedure: 'vitals.saveIntake',
      detail: { what: 'intake', version: 1 },
    });
    await doctor.vitals.intake.query({ visitId: visit.id });
    expect(await latest()).toMatchObject({ action: 'read', patientId, procedure: 'vitals.intake' });
    const enc = await doctor.chart.openEncounter.mutate({ patientId, visitId: visit.id });
    // The note started from the 問診 and vitals says so.
    expect(await latest()).toMatchObject({
      action: 'create',
      patientId,
      procedure: 'chart.openEncounter',
      detail: { what: 'entry-draft', prefilledFrom: ['intake', 'vital-signs'] },
    });
    await nurse.vitals.draftSources.query({ encounterId: enc.id });
    expect(await latest()).toMatchObject({ action: 'read', patientId, procedure: 'vitals.draftSources' });
  });
});

// ── 診察券 (issue #15, card workstream) ──
describe('audit of 診察券', () => {
  it('records reading the card, and each issue with its number (再発行 after the first)', async () => {
    const created = await clerk.reception.registerPatient.mutate({
      ...input,
      givenName: '診察券',
      confirmDuplicate: true,
    });
    const patientId = created.status === 'created' ? created.patient.id : '';
    expect(patientId).not.toBe('');
    const card = await clerk.reception.card.query({ patientId });
    expect(card.issued).toBe(0);
    expect(await latest()).toMatchObject({ action: 'read', procedure: 'reception.card', patientId });
    expect(await clerk.reception.issueCard.mutate({ patientId })).toEqual({ issue: 1, reissue: false });
    expect(await latest()).toMatchObject({
      action: 'card-issue',
      procedure: 'reception.issueCard',
      patientId,
      outcome: 'ok',
    });
    expect(await admin.reception.issueCard.mutate({ patientId })).toEqual({ issue: 2, reissue: true });
    const reissue = await latest();
    expect(reissue).toMatchObject({ action: 'card-issue', patientId, outcome: 'ok' });
    expect(reissue?.detail).toMatchObject({
      issue: 2,
      reissue: true,
      patientNumber: card.patient.patientNumber,
    });
    expect((await clerk.reception.card.query({ patientId })).issued).toBe(2);
  });
});

// 再診を短く (Do 再診) --------------------------------------------------------------------------------
describe('audit of the Do 再診', () => {
  it('records the board’s start, 前回Do and 確定 together with the patient, and a refused one as such', async () => {
    const doctor = await loginAs(app.url, 'doctor');
    const [p] = await clerk.reception.searchPatients.query({ query: '120', limit: 1 });
    const patientId = p!.id;
    const v = await clerk.reception.checkIn.mutate({
      patientId,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
    await clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'waiting', version: v.version });
    const begun = await doctor.chart.beginVisit.mutate({ visitId: v.id });
    const since = (await latest())?.seq ?? 0;
    const started = (await searchAudit(app.karte.db, facilityId, { limit: 10 })).filter(
      (e) => e.procedure === 'chart.beginVisit',
    );
    expect(started.map((e) => e.detail.what).sort()).toEqual(['encounter', 'visit-state']);
    expect(started.every((e) => e.patientId === patientId && e.outcome === 'ok')).toBe(true);

    const copied = await doctor.chart.copyLastVisit.mutate({
      encounterId: begun.encounterId,
      doctorId: null,
    });
    if (copied.status !== 'copied') throw new Error('copied');
    const doEvents = (await searchAudit(app.karte.db, facilityId, { limit: 10 })).filter(
      (e) => e.procedure === 'chart.copyLastVisit' && e.seq > since,
    );
    expect(doEvents.map((e) => e.detail.what)).toEqual(
      expect.arrayContaining(['do-last-visit', 'entry-draft']),
    );
    expect(doEvents.every((e) => e.patientId === patientId)).toBe(true);

    // A stale visit: refused, recorded against the patient, nothing confirmed.
    const chart = await doctor.chart.chart.query({ patientId });
    const drafts = chart.encounters
      .find((e) => e.id === begun.encounterId)!
      .entries.map((e) => ({ entryId: e.id, baseRev: e.draftRev }));
    expect(
      await errorCodeOf(
        doctor.chart.confirmTogether.mutate({
          encounterId: begun.encounterId,
          entries: drafts,
          billing: { visitId: v.id, version: begun.visit.version + 5 },
        }),
      ),
    ).toBe('CONFLICT');
    expect(await latest()).toMatchObject({
      procedure: 'chart.confirmTogether',
      patientId,
      outcome: 'conflict',
    });
    await doctor.chart.confirmTogether.mutate({
      encounterId: begun.encounterId,
      entries: drafts,
      billing: { visitId: v.id, version: begun.visit.version },
    });
    const done = (await searchAudit(app.karte.db, facilityId, { limit: 10 })).filter(
      (e) => e.procedure === 'chart.confirmTogether' && e.outcome === 'ok',
    );
    expect(done.map((e) => e.detail.what).sort()).toEqual(['entry-confirm', 'entry-confirm', 'visit-state']);
    expect(done.every((e) => e.patientId === patientId)).toBe(true);
    expect((await verifyAuditChain(app.karte.db, facilityId)).ok).toBe(true);
  });
});
