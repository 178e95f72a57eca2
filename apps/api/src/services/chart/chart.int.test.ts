/** 真正性: confirmed versions never change, corrections are versions, proxy entries need approval. */
import type { SoapContent } from '@karte/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let doctor: TestClient;
let doctor2: TestClient;
let nurse: TestClient;
let clerk: TestClient;
let patientId: string;
let encounterId: string;
const empty = { s: '', o: '', a: '', p: '' };

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  nurse = await loginAs(app.url, 'nurse');
  clerk = await loginAs(app.url, 'clerk');
  const admin = await loginAs(app.url, 'admin');
  await admin.admin.createUser.mutate({
    username: 'doctor2',
    displayName: '医師 二号',
    role: 'doctor',
    initialPassword: 'initial-pass',
  });
  doctor2 = await loginAs(app.url, 'doctor2', 'initial-pass');
  await doctor2.auth.changePassword.mutate({
    currentPassword: 'initial-pass',
    newPassword: 'second-doc-pass',
    confirmPassword: 'second-doc-pass',
  });
  const [p] = await clerk.reception.searchPatients.query({ query: 'カ', limit: 1 });
  patientId = p!.id;
  encounterId = (await doctor.chart.openEncounter.mutate({ patientId, visitId: null })).id;
});
afterAll(() => app?.close());

describe('chart entries', () => {
  it('a doctor writes, confirms and corrects with a reason; both versions stay readable', async () => {
    const draft = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { s: '咳が3日続く', o: '咽頭発赤あり', a: '急性上気道炎', p: '経過観察' },
      doctorId: null,
    });
    if (draft.status !== 'saved') throw new Error('expected saved');
    // An autosaved draft survives: the chart shows it.
    const chart = await doctor.chart.chart.query({ patientId });
    expect((chart.encounters[0]?.entries[0]?.draft as SoapContent | null)?.s).toBe('咳が3日続く');
    const v1 = await doctor.chart.confirm.mutate({
      entryId: draft.entryId,
      baseRev: draft.draftRev,
      reason: '',
    });
    expect(v1).toMatchObject({ version: 1, approved: true });

    const correction = await doctor.chart.startCorrection.mutate({ entryId: draft.entryId });
    const saved = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: draft.entryId,
      baseRev: correction.draftRev,
      content: { s: '咳が5日続く', o: '咽頭発赤あり', a: '急性上気道炎', p: '経過観察' },
      doctorId: null,
    });
    if (saved.status !== 'saved') throw new Error('expected saved');
    expect(
      await errorCodeOf(
        doctor.chart.confirm.mutate({ entryId: draft.entryId, baseRev: saved.draftRev, reason: ' ' }),
      ),
    ).toBe('BAD_REQUEST');
    const v2 = await doctor.chart.confirm.mutate({
      entryId: draft.entryId,
      baseRev: saved.draftRev,
      reason: '日数の誤記',
    });
    expect(v2.version).toBe(2);
    const entry = (await doctor.chart.chart.query({ patientId })).encounters[0]?.entries[0];
    expect(entry?.versions.map((v) => [v.version, (v.content as SoapContent).s, v.reason])).toEqual([
      [1, '咳が3日続く', ''],
      [2, '咳が5日続く', '日数の誤記'],
    ]);
    expect(entry?.current?.enteredBy).toBe('医師 デモ');
  });

  it('the database refuses to change or delete a confirmed version, even through the app connection', async () => {
    const db = app.karte.db;
    await expect(
      db.execute(sql`update entry_versions set content = '{"s":"改ざん","o":"","a":"","p":""}'::jsonb`),
    ).rejects.toThrow();
    await expect(db.execute(sql`delete from entry_versions`)).rejects.toThrow();
    await expect(db.execute(sql`truncate entry_versions cascade`)).rejects.toThrow();
    // Approval is the one change allowed, and only by the responsible doctor on an unapproved version.
    await expect(
      db.execute(
        sql`update entry_versions set approved_by = entered_by, approved_at = now() where approved_by is not null`,
      ),
    ).rejects.toThrow();
    const entry = (await doctor.chart.chart.query({ patientId })).encounters[0]?.entries[0];
    expect((entry?.versions[0]?.content as SoapContent | undefined)?.s).toBe('咳が3日続く');
  });

  it('refuses to confirm an empty entry', async () => {
    const draft = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: empty,
      doctorId: null,
    });
    if (draft.status !== 'saved') throw new Error('expected saved');
    expect(
      await errorCodeOf(
        doctor.chart.confirm.mutate({ entryId: draft.entryId, baseRev: draft.draftRev, reason: '' }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('two people saving the same draft: the later save gets the other text instead of overwriting it', async () => {
    const draft = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { ...empty, s: '最初' },
      doctorId: null,
    });
    if (draft.status !== 'saved') throw new Error('expected saved');
    const mine = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: draft.entryId,
      baseRev: draft.draftRev,
      content: { ...empty, s: '医師の追記' },
      doctorId: null,
    });
    const theirs = await nurse.chart.saveDraft.mutate({
      encounterId,
      entryId: draft.entryId,
      baseRev: draft.draftRev,
      content: { ...empty, s: '看護師の追記' },
      doctorId: null,
    });
    expect(mine.status).toBe('saved');
    expect(theirs).toMatchObject({
      status: 'conflict',
      theirs: { content: { s: '医師の追記' }, by: '医師 デモ' },
    });
    // The nurse merges and saves on top of the doctor's revision.
    if (theirs.status !== 'conflict') throw new Error('expected conflict');
    const merged = await nurse.chart.saveDraft.mutate({
      encounterId,
      entryId: draft.entryId,
      baseRev: theirs.theirs.draftRev,
      content: { ...empty, s: '医師の追記／看護師の追記' },
      doctorId: null,
    });
    expect(merged.status).toBe('saved');
  });
});

describe('proxy entry (代行入力)', () => {
  it('stays 未承認 until its doctor approves, blocks payment meanwhile, and only that doctor may approve', async () => {
    const v = await clerk.reception.checkIn.mutate({
      patientId,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
    const enc = await nurse.chart.openEncounter.mutate({ patientId, visitId: v.id });
    expect(
      await errorCodeOf(
        nurse.chart.saveDraft.mutate({
          encounterId: enc.id,
          entryId: null,
          baseRev: 0,
          content: { ...empty, s: 'x' },
          doctorId: null,
        }),
      ),
    ).toBe('BAD_REQUEST');
    const me = (await doctor.auth.me.query()).auth!;
    const d = await nurse.chart.saveDraft.mutate({
      encounterId: enc.id,
      entryId: null,
      baseRev: 0,
      content: { ...empty, s: '血圧 142/88', p: '降圧薬継続' },
      doctorId: me.user.id,
    });
    if (d.status !== 'saved') throw new Error('expected saved');
    const confirmed = await nurse.chart.confirm.mutate({
      entryId: d.entryId,
      baseRev: d.draftRev,
      reason: '',
    });
    expect(confirmed.approved).toBe(false);

    const pending = await doctor.chart.pendingApprovals.query();
    expect(pending.map((p) => p.entryId)).toContain(d.entryId);
    expect(await doctor2.chart.pendingApprovals.query()).toEqual([]);
    expect(
      await errorCodeOf(doctor2.chart.approve.mutate({ items: [{ entryId: d.entryId, version: 1 }] })),
    ).toBe('FORBIDDEN');

    // The visit cannot go to payment while the proxy entry waits.
    let visit = (await clerk.reception.board.query()).find((b) => b.id === v.id)!;
    visit = {
      ...visit,
      ...(await clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'waiting', version: visit.version })),
    };
    const inConsult = await doctor.reception.moveVisit.mutate({
      visitId: v.id,
      to: 'in_consult',
      version: visit.version,
    });
    try {
      await doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'billing', version: inConsult.version });
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).toBe('医師の承認待ちの代行入力が1件あるため、会計に進めません');
    }
    expect(await doctor.chart.approve.mutate({ items: [{ entryId: d.entryId, version: 1 }] })).toEqual({
      approved: 1,
    });
    expect(
      (await doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'billing', version: inConsult.version }))
        .state,
    ).toBe('billing');
    const entry = (await doctor.chart.chart.query({ patientId })).encounters
      .flatMap((e) => e.entries)
      .find((e) => e.id === d.entryId);
    expect(entry?.current).toMatchObject({
      proxy: true,
      approved: true,
      enteredBy: '看護師 デモ',
      responsibleDoctor: '医師 デモ',
    });
  });
});
