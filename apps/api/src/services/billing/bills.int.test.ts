/** 会計: proposal from a real encounter, payment, 未収, correction (immutable versions), 公費 caps across visits. */
import { insertVisit, schema, setVisitState } from '@karte/db';
import { type BillDraft, emptyCoverageFields, type PrescriptionContent, todayInJapan } from '@karte/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let clerk: TestClient;
let doctor: TestClient;
let admin: TestClient;
let facilityId: string;
let clerkId: string;

const tid = {
  usageCode: '1013044400000000', // 1日3回 毎食後
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 7,
  times: null,
};
const loxoGeneric = {
  code: '1149019F1ZZZ', // 【般】ロキソプロフェンNa錠60mg
  generic: true,
  name: '【般】ロキソプロフェンＮａ錠６０ｍｇ',
  dose: 1,
  unit: 'TAB',
};
const loxonin = { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' };

let patientSeq = 0;
async function newPatient(birthDate = '1970-04-01', insured = true) {
  patientSeq += 1;
  const created = await clerk.reception.registerPatient.mutate({
    familyName: '会計',
    givenName: `太郎${patientSeq}`,
    familyNameKana: 'カイケイ',
    givenNameKana: 'タロウ',
    sex: 'male',
    birthDate,
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  const id = created.patient.id;
  if (!insured) return id;
  await clerk.reception.saveCoverage.mutate({
    patientId: id,
    basedOn: null,
    coverage: { ...emptyCoverageFields, insurerNumber: '01130012', number: String(1000 + patientSeq) },
  });
  return id;
}

/** Check-in → 診察 → the doctor's confirmed prescription → 会計待, as at the clinic. */
async function visitInBilling(patientId: string, rx?: PrescriptionContent) {
  const v = await clerk.reception.checkIn.mutate({
    patientId,
    purpose: '診察',
    department: '内科',
    memo: '',
  });
  let m = await clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'waiting', version: v.version });
  m = await doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'in_consult', version: m.version });
  const encounter = await doctor.chart.openEncounter.mutate({ patientId, visitId: v.id });
  if (rx) {
    const saved = await doctor.orders.saveDraft.mutate({
      encounterId: encounter.id,
      entryId: null,
      baseRev: 0,
      content: rx,
      doctorId: null,
    });
    if (saved.status !== 'saved') throw new Error('setup: draft');
    const done = await doctor.orders.confirm.mutate({
      entryId: saved.entryId,
      baseRev: saved.draftRev,
      reason: '',
      overrides: [],
    });
    if (done.status !== 'confirmed') throw new Error(`setup: confirm ${JSON.stringify(done)}`);
  }
  await doctor.reception.moveVisit.mutate({ visitId: v.id, to: 'billing', version: m.version });
  return v.id;
}

/** A visit on a given day already waiting at 会計 (an earlier day of a month). */
async function visitOn(patientId: string, visitDate: string) {
  const db = app.karte.db;
  const v = await insertVisit(db, facilityId, clerkId, {
    patientId,
    visitDate,
    purpose: '診察',
    department: '内科',
    memo: '',
    coverageId: null,
    eligibilityConfirmed: 0,
  });
  await setVisitState(db, facilityId, clerkId, v.id, v.version, 'billing');
  return v.id;
}

const codes = (draft: BillDraft) => draft.items.map((i) => i.code);

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  doctor = await loginAs(app.url, 'doctor');
  admin = await loginAs(app.url, 'admin');
  const me = (await clerk.auth.me.query()).auth;
  facilityId = me?.facility.id ?? '';
  clerkId = me?.user.id ?? '';
  const current = await admin.billing.settings.query();
  const { version, ...settings } = current;
  await admin.billing.saveSettings.mutate({
    expectedVersion: version,
    settings: {
      ...settings,
      facilityAddOns: ['120004270'], // 一般名処方加算 (届出 as the clinic set it)
      localSchemes: [{ payerNumber: '88136015', name: '子ども医療費助成', kind: 'perVisit', yen: 200 }],
      selfPayItems: [{ id: 'shindansho', name: '診断書', priceYen: 3300, taxable: true }],
    },
  });
}, 300_000); // the first boot loads the 支払基金 master into the test database
afterAll(() => app?.close());

describe('proposal from a real encounter', () => {
  it('院外 prescription: 初診 + 処方箋料 + 一般名処方加算 (2: one drug by 一般名), each with its reason', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId, {
      place: 'outside',
      rps: [{ ...tid, drugs: [loxoGeneric] }],
      overrides: [],
    });
    const view = await clerk.billing.open.query({ visitId });
    expect(view.visitKindProposal.kind).toBe('first');
    // 一般名処方加算1 needs 2品目以上 by 一般名; one drug by 一般名 is 加算2.
    expect(codes(view.draft)).toEqual(expect.arrayContaining(['111000110', '120002910', '120003570']));
    expect(codes(view.draft)).not.toContain('120004270');
    expect(view.bill).toBeNull();
    const billed = view.totals.lines.filter((l) => l.status !== 'dropped');
    expect(billed.map((l) => l.code)).toEqual(expect.arrayContaining(['111000110', '120002910']));
    expect(view.totals.lines.every((l) => l.reason.length > 0)).toBe(true);
    expect(view.totals.points).toBeGreaterThan(0);
    expect(view.totals.sections.find((s) => s.label === '初・再診料')?.points).toBeGreaterThan(0);
    expect(view.totals.sections.find((s) => s.label === '投薬')?.points).toBeGreaterThan(0);
    expect(view.totals.chargeYen).toBe(view.totals.patientYen);
  });

  it('院内 prescription: 処方料, 調剤料 and the drug at 3 tablets a day for 7 days', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId, {
      place: 'inside',
      rps: [{ ...tid, drugs: [loxonin] }],
      overrides: [],
    });
    const view = await clerk.billing.open.query({ visitId });
    expect(codes(view.draft)).toEqual(expect.arrayContaining(['120001210', '120000710']));
    const drug = view.draft.items.find((i) => i.kind === 'drug');
    expect(drug).toMatchObject({ kind: 'drug', code: '620098801', amount: 3, days: 7, rp: 1 });
    expect(view.totals.lines.find((l) => l.code === '620098801')?.kind).toBe('drug');
    expect(codes(view.draft)).not.toContain('120002910');
  });

  it('再診 after an earlier finished visit here', async () => {
    const patientId = await newPatient();
    // A week back: within the month after which a visit is a 初診 again.
    const weekAgo = new Date(Date.parse(`${todayInJapan()}T00:00:00Z`) - 7 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const earlier = await visitOn(patientId, weekAgo);
    const e = await clerk.billing.open.query({ visitId: earlier });
    await clerk.billing.confirm.mutate({
      visitId: earlier,
      expectedVersion: 0,
      draft: e.draft,
      reason: '',
      payment: { amountYen: e.totals.chargeYen, method: 'cash' },
    });
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    expect(view.visitKindProposal).toMatchObject({ kind: 'revisit' });
    expect(view.visitKindProposal.reason).toContain(weekAgo);
    expect(codes(view.draft)).toEqual(expect.arrayContaining(['112007410', '112011010']));
  });

  it('switching 初診 to 再診 swaps the base lines, needs a reason, and the history names the clerk', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    expect(view.visitKindProposal.kind).toBe('first');
    const asRevisit = {
      ...view.draft,
      visitKind: 'revisit' as const,
      visitKindReason: '他院からの継続で当院受診歴あり',
    };
    const preview = await clerk.billing.preview.query({ visitId, draft: asRevisit });
    const billed = preview.lines.filter((l) => l.status !== 'dropped').map((l) => l.code);
    expect(billed).toContain('112007410');
    expect(billed).not.toContain('111000110');
    const noReason = { ...asRevisit, visitKindReason: '' };
    expect(
      await errorCodeOf(
        clerk.billing.confirm.mutate({ visitId, expectedVersion: 0, draft: noReason, reason: '' }),
      ),
    ).toBe('BAD_REQUEST');
    const done = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: asRevisit,
      reason: '',
      payment: { amountYen: preview.chargeYen, method: 'cash' },
    });
    expect(codes(done.draft)).toContain('112007410');
    expect(codes(done.draft)).not.toContain('111000110');
    expect(done.totals.chargeYen).toBe(preview.chargeYen);
    expect(done.versions[0]?.createdBy).toMatch(/\S/);
    expect(done.versions[0]?.createdBy).not.toMatch(/^[0-9a-f-]{36}$/);
    expect(done.payments[0]?.by).toBe(done.versions[0]?.createdBy);
  });

  it('previews a changed draft without saving; a bad code is BAD_REQUEST, not 500', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    const withFee = await clerk.billing.preview.query({
      visitId,
      draft: { ...view.draft, selfPay: [{ itemId: 'shindansho', count: 1 }] },
    });
    expect(withFee.selfPay).toEqual([
      { itemId: 'shindansho', name: '診断書', priceYen: 3300, count: 1, taxYen: 300 },
    ]);
    expect(withFee.chargeYen).toBe(withFee.patientYen + 3300);
    expect((await clerk.billing.open.query({ visitId })).bill).toBeNull();
    const bad = {
      ...view.draft,
      items: [{ kind: 'procedure' as const, code: '999999999', count: 1, source: 'manual' as const }],
    };
    expect(await errorCodeOf(clerk.billing.preview.query({ visitId, draft: bad }))).toBe('BAD_REQUEST');
    const unknownFee = { ...view.draft, selfPay: [{ itemId: 'nothing', count: 1 }] };
    expect(await errorCodeOf(clerk.billing.preview.query({ visitId, draft: unknownFee }))).toBe(
      'BAD_REQUEST',
    );
  });
});

describe('confirm, payment, 未収, correction', () => {
  it('confirm with full payment → 完了', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    const done = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: view.totals.chargeYen, method: 'cash', tenderedYen: 10_000 },
    });
    expect(done.bill).toMatchObject({ version: 1, settled: true });
    expect(done.visit.state).toBe('done');
    expect(done.unpaidYen).toBe(0);
    expect(done.paidYen).toBe(view.totals.chargeYen);
  });

  it('the board shows the 未収 of a 会計待 visit whose bill is partly paid', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const rowOf = async () => (await clerk.reception.board.query()).find((r) => r.id === visitId);
    expect((await rowOf())?.unpaidYen).toBe(0); // no 会計 confirmed yet
    const view = await clerk.billing.open.query({ visitId });
    await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: 100, method: 'cash' },
    });
    expect(await rowOf()).toMatchObject({ state: 'billing', unpaidYen: view.totals.chargeYen - 100 });
  });

  it('a partial payment leaves 未収, shown by unpaid and at the next 会計; paid later it settles', async () => {
    const patientId = await newPatient();
    const first = await visitOn(patientId, '2026-02-03');
    const view = await clerk.billing.open.query({ visitId: first });
    const charge = view.totals.chargeYen;
    expect(charge).toBeGreaterThan(100);
    const confirmed = await clerk.billing.confirm.mutate({
      visitId: first,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: 100, method: 'cash' },
    });
    expect(confirmed.visit.state).toBe('billing'); // not settled: stays at 会計
    expect(confirmed.unpaidYen).toBe(charge - 100);
    const unpaid = await clerk.billing.unpaid.query({ patientId });
    expect(unpaid.totalYen).toBe(charge - 100);
    expect(unpaid.bills).toEqual([
      { billId: confirmed.bill?.id, visitId: first, visitDate: '2026-02-03', unpaidYen: charge - 100 },
    ]);

    const next = await visitInBilling(patientId);
    expect((await clerk.billing.open.query({ visitId: next })).otherUnpaidYen).toBe(charge - 100);

    const billId = confirmed.bill?.id ?? '';
    expect(
      await errorCodeOf(clerk.billing.pay.mutate({ billId, payment: { amountYen: charge, method: 'card' } })),
    ).toBe('BAD_REQUEST'); // more than is owed
    const paid = await clerk.billing.pay.mutate({
      billId,
      payment: { amountYen: charge - 100, method: 'card' },
    });
    expect(paid.unpaidYen).toBe(0);
    expect(paid.visit.state).toBe('done');
    expect((await clerk.billing.unpaid.query({ patientId })).totalYen).toBe(0);
  });

  it('a correction is version 2 with its reason; version 1 stays; the DB refuses UPDATE of a version', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    const v1 = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: view.totals.chargeYen, method: 'cash' },
    });
    const corrected = { ...view.draft, selfPay: [{ itemId: 'shindansho', count: 1 }] };
    // A correction needs a reason; a stale version is a conflict.
    expect(
      await errorCodeOf(
        clerk.billing.confirm.mutate({ visitId, expectedVersion: 1, draft: corrected, reason: '' }),
      ),
    ).toBe('BAD_REQUEST');
    expect(
      await errorCodeOf(
        clerk.billing.confirm.mutate({
          visitId,
          expectedVersion: 0,
          draft: corrected,
          reason: '診断書の追加',
        }),
      ),
    ).toBe('CONFLICT');
    const v2 = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 1,
      draft: corrected,
      reason: '診断書の追加',
      payment: { amountYen: 3300, method: 'cash' },
    });
    expect(v2.bill).toMatchObject({ version: 2, reason: '診断書の追加', settled: true });
    expect(v2.versions.map((v) => [v.version, v.reason, v.chargeYen])).toEqual([
      [1, '', view.totals.chargeYen],
      [2, '診断書の追加', view.totals.chargeYen + 3300],
    ]);
    expect(v2.payments.map((p) => p.amountYen)).toEqual([view.totals.chargeYen, 3300]);
    // Back to version 1's content: the clerk refunds the difference (a negative payment row).
    const v3 = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 2,
      draft: view.draft,
      reason: '診断書は不要だった',
      payment: { amountYen: 3300, method: 'cash' },
    });
    expect(v3.payments.map((p) => p.amountYen)).toEqual([view.totals.chargeYen, 3300, -3300]);
    expect(v3.paidYen).toBe(view.totals.chargeYen);

    const billId = v1.bill?.id ?? '';
    const db = app.karte.db;
    await expect(
      db.execute(sql`update bill_versions set charge_yen = 0 where bill_id = ${billId} and version = 1`),
    ).rejects.toThrow();
    await expect(
      db.execute(sql`update bill_payments set amount_yen = 0 where bill_id = ${billId}`),
    ).rejects.toThrow();
    const rows = await db
      .select()
      .from(schema.billVersions)
      .where(sql`${schema.billVersions.billId} = ${billId}`);
    expect(rows.find((r) => r.version === 1)?.chargeYen).toBe(view.totals.chargeYen);
  });

  it('a 訂正 prints as its own version: not a 再発行 of version 1, with the 追加徴収 or 返金', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    const v1 = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: view.totals.chargeYen, method: 'cash' },
    });
    const billId = v1.bill?.id ?? '';
    await clerk.billing.print.query({ billId, kind: 'receipt', issue: true });
    await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 1,
      draft: { ...view.draft, selfPay: [{ itemId: 'shindansho', count: 1 }] },
      reason: '診断書の追加',
      payment: { amountYen: 3300, method: 'cash' },
    });
    const v2 = await clerk.billing.print.query({ billId, kind: 'receipt', issue: true });
    expect(v2).toMatchObject({
      version: 2,
      reissue: false,
      correction: { previousVersion: 1, previousChargeYen: view.totals.chargeYen, differenceYen: 3300 },
    });
    expect((await clerk.billing.print.query({ billId, kind: 'receipt', issue: true })).reissue).toBe(true);
    await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 2,
      draft: view.draft,
      reason: '診断書は不要だった',
      payment: { amountYen: 3300, method: 'cash' },
    });
    const v3 = await clerk.billing.print.query({ billId, kind: 'receipt', issue: true });
    expect(v3).toMatchObject({
      version: 3,
      reissue: false,
      correction: { previousVersion: 2, differenceYen: -3300 },
    });
    // An earlier version printed again is a 再発行 of that version.
    const again = await clerk.billing.print.query({ billId, kind: 'receipt', version: 1, issue: true });
    expect(again).toMatchObject({ version: 1, reissue: true, correction: null });
  });

  it('refuses a confirm for a visit not at 会計', async () => {
    const patientId = await newPatient();
    const v = await clerk.reception.checkIn.mutate({
      patientId,
      purpose: '診察',
      department: '内科',
      memo: '',
    });
    const view = await clerk.billing.open.query({ visitId: v.id });
    expect(
      await errorCodeOf(
        clerk.billing.confirm.mutate({ visitId: v.id, expectedVersion: 0, draft: view.draft, reason: '' }),
      ),
    ).toBe('CONFLICT');
  });

  it('prints the 領収証 and 明細書; a preview records nothing; a second issue is a 再発行', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    const done = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: view.draft,
      reason: '',
      payment: { amountYen: view.totals.chargeYen, method: 'qr' },
    });
    const billId = done.bill?.id ?? '';
    // Opening the print page is a preview: nothing is recorded, so it never makes a 再発行.
    const preview = await clerk.billing.print.query({ billId, kind: 'receipt' });
    expect(preview).toMatchObject({ kind: 'receipt', reissue: false, version: 1, correction: null });
    expect((await clerk.billing.print.query({ billId, kind: 'receipt' })).reissue).toBe(false);
    const receipt = await clerk.billing.print.query({ billId, kind: 'receipt', issue: true });
    expect(receipt).toMatchObject({ kind: 'receipt', reissue: false, version: 1, unpaidYen: 0 });
    expect(receipt.facility.institutionCode).toMatch(/^[0-9]{10}$/);
    expect(receipt.totals.points).toBe(view.totals.points);
    expect((await clerk.billing.print.query({ billId, kind: 'statement', issue: true })).reissue).toBe(false);
    expect((await clerk.billing.print.query({ billId, kind: 'receipt', issue: true })).reissue).toBe(true);
    // After the first issue, a preview shows the 再発行 mark it would print.
    expect((await clerk.billing.print.query({ billId, kind: 'receipt' })).reissue).toBe(true);
    expect(await errorCodeOf(clerk.billing.print.query({ billId, kind: 'receipt', version: 9 }))).toBe(
      'NOT_FOUND',
    );
  });

  it('the 日計表 has the day’s bills, 入金 by method and 未収', async () => {
    const report = await clerk.billing.daily.query({ date: todayInJapan() });
    expect(report.rows.length).toBeGreaterThan(0);
    const byMethod = Object.fromEntries(report.totals.byMethod.map((m) => [m.method, m.yen]));
    expect(byMethod.qr).toBeGreaterThan(0);
    expect(report.totals.paidYen).toBe(report.totals.byMethod.reduce((n, m) => n + m.yen, 0));
    expect(report.totals.paidYen).toBe(report.rows.reduce((n, r) => n + r.paidYen, 0));
    // 入金 and 返金 are gross, not netted (the correction test above refunded 3,300 in cash today).
    expect(report.totals.refundYen).toBeGreaterThanOrEqual(3300);
    expect(report.totals.receivedYen - report.totals.refundYen).toBe(report.totals.paidYen);
    const cash = report.totals.byMethod.find((m) => m.method === 'cash');
    expect(cash?.refundYen).toBeGreaterThanOrEqual(3300);
    expect((cash?.receivedYen ?? 0) - (cash?.refundYen ?? 0)).toBe(cash?.yen);
    expect(report.rows.some((r) => r.corrected)).toBe(true);
  });
});

describe('公費', () => {
  it('難病 (54) with a monthly cap cumulates across two visits of the month', async () => {
    const patientId = await newPatient();
    await clerk.reception.addPublicSubsidy.mutate({
      patientId,
      subsidy: {
        priority: 1,
        payerNumber: '54136015',
        recipientNumber: '1234567',
        validFrom: '',
        validUntil: '',
        monthlyCap: 500,
      },
    });
    const first = await visitOn(patientId, '2026-03-02');
    const second = await visitOn(patientId, '2026-03-16');
    const alone = (await clerk.billing.open.query({ visitId: second })).totals.patientYen;
    expect(alone).toBeGreaterThan(0);
    const v1 = await clerk.billing.open.query({ visitId: first });
    expect(v1.publicSubsidies.map((s) => s.monthlyCapYen)).toEqual([500]);
    expect(v1.totals.patientYen).toBeLessThanOrEqual(500);
    await clerk.billing.confirm.mutate({ visitId: first, expectedVersion: 0, draft: v1.draft, reason: '' });
    const v2 = await clerk.billing.open.query({ visitId: second });
    expect(v1.totals.patientYen + v2.totals.patientYen).toBeLessThanOrEqual(500);
    expect(v2.totals.patientYen).toBeLessThan(alone); // the first visit used up the cap (初診 at 2割 > 500円)
    expect(v2.month.publicCapUsed).toEqual([
      { payerNumber: '54136015', yen: v1.totals.patientYen + v2.totals.patientYen, capYen: 500 },
    ]);
    expect(v2.totals.publicByPayer.map((p) => p.payerNumber)).toEqual(['54136015']);
  });

  it('a 地方単独 per-visit scheme charges at most its amount', async () => {
    const patientId = await newPatient('2015-06-01');
    await clerk.reception.addPublicSubsidy.mutate({
      patientId,
      subsidy: {
        priority: 1,
        payerNumber: '88136015',
        recipientNumber: '7654321',
        validFrom: '',
        validUntil: '',
        monthlyCap: null,
      },
    });
    const visitId = await visitInBilling(patientId);
    const view = await clerk.billing.open.query({ visitId });
    expect(view.publicSubsidies[0]?.label).toBe('子ども医療費助成');
    expect(view.totals.patientYen).toBeLessThanOrEqual(200);
    expect(view.totals.publicYen).toBeGreaterThan(0);
    // Without the 公費 the patient pays the insured share.
    const without = await clerk.billing.preview.query({
      visitId,
      draft: { ...view.draft, publicSubsidyIds: [] },
    });
    expect(without.patientYen).toBeGreaterThan(view.totals.patientYen);
  });
});

async function addSubsidy(patientId: string, payerNumber: string, monthlyCap: number | null) {
  const row = await clerk.reception.addPublicSubsidy.mutate({
    patientId,
    subsidy: {
      priority: 1,
      payerNumber,
      recipientNumber: '1234567',
      validFrom: '',
      validUntil: '',
      monthlyCap,
    },
  });
  return row.id;
}

describe('review findings', () => {
  it('a 公費 ended after an earlier 会計 of the month does not block the later 会計', async () => {
    const patientId = await newPatient();
    const subsidyId = await addSubsidy(patientId, '54136015', 10_000);
    const first = await visitOn(patientId, '2026-04-02');
    const second = await visitOn(patientId, '2026-04-20');
    const v1 = await clerk.billing.open.query({ visitId: first });
    await clerk.billing.confirm.mutate({ visitId: first, expectedVersion: 0, draft: v1.draft, reason: '' });
    await clerk.reception.removePublicSubsidy.mutate({ patientId, id: subsidyId });
    const v2 = await clerk.billing.open.query({ visitId: second });
    expect(v2.publicSubsidies).toEqual([]);
    expect(v2.draft.publicSubsidyIds).toEqual([]);
    // The second visit is insurance only at 3割 (the earlier visit keeps its 難病 share in the month).
    expect(v2.totals.ratio).toBe(3);
    expect(v2.totals.publicYen).toBe(0);
    const done = await clerk.billing.confirm.mutate({
      visitId: second,
      expectedVersion: 0,
      draft: v2.draft,
      reason: '',
    });
    expect(done.bill?.version).toBe(1);
  });

  it('an earlier version without the 公費 snapshot finds its (ended) 公費 by id', async () => {
    const patientId = await newPatient();
    const subsidyId = await addSubsidy(patientId, '54136015', 1000);
    const earlier = await visitOn(patientId, '2026-07-02');
    const later = await visitOn(patientId, '2026-07-21');
    // As confirmed before versions kept the snapshot: the draft's ids and the payer numbers only.
    const v1 = await clerk.billing.open.query({ visitId: earlier });
    const db = app.karte.db;
    const [bill] = await db
      .insert(schema.bills)
      .values({ facilityId, patientId, visitId: earlier, visitDate: '2026-07-02', currentVersion: 1 })
      .returning();
    await db.insert(schema.billVersions).values({
      billId: bill?.id ?? '',
      facilityId,
      version: 1,
      content: { draft: v1.draft, totals: v1.totals, reasons: {}, payerNumbers: ['54136015'] },
      points: v1.totals.points,
      chargeYen: v1.totals.chargeYen,
      createdBy: clerkId,
    });
    await clerk.reception.removePublicSubsidy.mutate({ patientId, id: subsidyId });
    const v2 = await clerk.billing.open.query({ visitId: later });
    expect(v2.totals.publicYen).toBe(0);
    expect(v2.totals.warnings.some((w) => w.includes('見つからない'))).toBe(false);
    expect(v2.month.patientYen).toBe(v1.totals.patientYen + v2.totals.patientYen);
  });

  it('75歳到達月: an earlier bill under the old insurer keeps its ratio and its own limit', async () => {
    // Born 1951-07-15: 75 on 2026-07-15. The 07-03 bill was under the old insurer at 2割 with 20,000点
    // (2割 = 40,000円, capped at its halved limit); the 07-20 visit is 後期高齢者 1割. Priced as one insurer at 1割
    // the earlier bill alone (20,000円) would exhaust the halved 9,000円 and the later visit would be free; with
    // its own ratio and insurer, the 後期 visit pays its 1割.
    const patientId = await newPatient('1951-07-15', false);
    await clerk.reception.saveCoverage.mutate({
      patientId,
      basedOn: null,
      coverage: { ...emptyCoverageFields, insurerNumber: '39131016', number: '12345678' },
    });
    const earlier = await visitOn(patientId, '2026-07-03');
    const later = await visitOn(patientId, '2026-07-20');
    const v1 = await clerk.billing.open.query({ visitId: earlier });
    const db = app.karte.db;
    const [bill] = await db
      .insert(schema.bills)
      .values({ facilityId, patientId, visitId: earlier, visitDate: '2026-07-03', currentVersion: 1 })
      .returning();
    const totals = { ...v1.totals, points: 20_000, ratio: 2, patientYen: 9000, chargeYen: 9000 };
    await db.insert(schema.billVersions).values({
      billId: bill?.id ?? '',
      facilityId,
      version: 1,
      content: { draft: v1.draft, totals, reasons: {}, payerNumbers: [], subsidies: [], insurer: '01130012' },
      points: 20_000,
      chargeYen: 9000,
      createdBy: clerkId,
    });
    const v2 = await clerk.billing.open.query({ visitId: later });
    expect(v2.totals.ratio).toBe(1);
    expect(v2.totals.points).toBeGreaterThan(0);
    expect(v2.totals.patientYen).toBe(Math.round(v2.totals.points / 10) * 10);
  });

  it('no insurance and no 公費: 全額自己負担 with a warning', async () => {
    const patientId = await newPatient('1970-04-01', false);
    const visitId = await visitOn(patientId, '2026-04-03');
    const view = await clerk.billing.open.query({ visitId });
    expect(view.coverage).toBeNull();
    expect(view.totals.ratio).toBe(0);
    expect(view.totals.points).toBeGreaterThan(0);
    expect(view.totals.patientYen).toBe(view.totals.points * 10);
    expect(view.totals.insurerYen).toBe(0);
    expect(view.totals.warnings).toContain('保険が登録されていないため全額自己負担で計算しています');
  });

  it('生活保護単独 (法別12, no insurance): the 公費 pays everything', async () => {
    const patientId = await newPatient('1970-04-01', false);
    await addSubsidy(patientId, '12136016', null);
    const visitId = await visitOn(patientId, '2026-04-03');
    const view = await clerk.billing.open.query({ visitId });
    expect(view.totals.ratio).toBe(0);
    expect(view.totals.patientYen).toBe(0);
    expect(view.totals.insurerYen).toBe(0);
    expect(view.totals.publicYen).toBe(view.totals.points * 10);
  });

  it('上限額管理票: what was paid elsewhere this month lowers what this clinic charges, and is kept', async () => {
    const patientId = await newPatient();
    const subsidyId = await addSubsidy(patientId, '54136015', 10_000);
    const visitId = await visitOn(patientId, '2026-04-06');
    const view = await clerk.billing.open.query({ visitId });
    expect(view.draft.elsewhere).toEqual([]);
    expect(view.totals.patientYen).toBeGreaterThan(200); // 初診 at 2割 (難病) is more than 200円
    // 難病 cap 10,000, 8,000 paid elsewhere → at most 2,000 here; 9,800 elsewhere → exactly the 200 left.
    const at8000 = await clerk.billing.preview.query({
      visitId,
      draft: { ...view.draft, elsewhere: [{ subsidyId, yen: 8000 }] },
    });
    expect(at8000.patientYen).toBeLessThanOrEqual(2000);
    const draft = { ...view.draft, elsewhere: [{ subsidyId, yen: 9800 }] };
    const preview = await clerk.billing.preview.query({ visitId, draft });
    expect(preview.patientYen).toBe(200);
    const done = await clerk.billing.confirm.mutate({ visitId, expectedVersion: 0, draft, reason: '' });
    expect(done.totals.patientYen).toBe(200);
    expect(done.draft.elsewhere).toEqual([{ subsidyId, yen: 9800 }]);
    // Only the patient's own current 公費.
    expect(
      await errorCodeOf(
        clerk.billing.preview.query({
          visitId,
          draft: { ...view.draft, elsewhere: [{ subsidyId: crypto.randomUUID(), yen: 100 }] },
        }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('a proposed line missing from the confirmed lines needs its reason among the removed', async () => {
    const patientId = await newPatient();
    const visitId = await visitInBilling(patientId, {
      place: 'outside',
      rps: [{ ...tid, drugs: [loxoGeneric] }],
      overrides: [],
    });
    const view = await clerk.billing.open.query({ visitId });
    const items = view.draft.items.filter((i) => i.code !== '120003570');
    const refused = clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: { ...view.draft, items },
      reason: '',
    });
    await expect(refused).rejects.toThrow(/提案された行（.+）を削除した理由を入力してください/);
    const done = await clerk.billing.confirm.mutate({
      visitId,
      expectedVersion: 0,
      draft: { ...view.draft, items, removed: [{ code: '120003570', reason: '施設基準の届出前' }] },
      reason: '',
    });
    expect(done.draft.removed).toEqual([{ code: '120003570', reason: '施設基準の届出前' }]);
  });

  it('a past day’s 日計表 keeps the version in force that day; the correction’s refund shows on its day', async () => {
    const patientId = await newPatient();
    const visitId = await visitOn(patientId, '2026-05-11');
    const db = app.karte.db;
    const [bill] = await db
      .insert(schema.bills)
      .values({ facilityId, patientId, visitId, visitDate: '2026-05-11', currentVersion: 2 })
      .returning();
    const billId = bill?.id ?? '';
    const version = (v: number, chargeYen: number, at: string) => ({
      billId,
      facilityId,
      version: v,
      content: {},
      points: chargeYen / 3,
      chargeYen,
      reason: v === 1 ? '' : '検査の取消',
      createdBy: clerkId,
      createdAt: new Date(at),
    });
    // Day 1 (JST): confirmed and paid 1,500; day 2 (00:30 JST): corrected to 900 and 600 refunded.
    await db.insert(schema.billVersions).values(version(1, 1500, '2026-05-11T10:00:00+09:00'));
    await db.insert(schema.billVersions).values(version(2, 900, '2026-05-12T00:30:00+09:00'));
    const payment = (amountYen: number, businessDate: string) => ({
      facilityId,
      billId,
      patientId,
      amountYen,
      method: 'cash' as const,
      tenderedYen: null,
      businessDate,
      receivedBy: clerkId,
    });
    await db.insert(schema.billPayments).values(payment(1500, '2026-05-11'));
    await db.insert(schema.billPayments).values(payment(-600, '2026-05-12'));

    const day1 = await clerk.billing.daily.query({ date: '2026-05-11' });
    const row1 = day1.rows.find((r) => r.billId === billId);
    expect(row1).toMatchObject({ chargeYen: 1500, paidYen: 1500, unpaidYen: 0, corrected: false });
    const day2 = await clerk.billing.daily.query({ date: '2026-05-12' });
    const row2 = day2.rows.find((r) => r.billId === billId);
    expect(row2).toMatchObject({ chargeYen: 900, paidYen: -600, unpaidYen: 0, corrected: true });
  });

  it('a correction warns about the later 会計 of the month it may affect', async () => {
    const patientId = await newPatient();
    const first = await visitOn(patientId, '2026-06-03');
    const second = await visitOn(patientId, '2026-06-17');
    const v1 = await clerk.billing.open.query({ visitId: first });
    await clerk.billing.confirm.mutate({ visitId: first, expectedVersion: 0, draft: v1.draft, reason: '' });
    const v2 = await clerk.billing.open.query({ visitId: second });
    await clerk.billing.confirm.mutate({ visitId: second, expectedVersion: 0, draft: v2.draft, reason: '' });
    const corrected = await clerk.billing.confirm.mutate({
      visitId: first,
      expectedVersion: 1,
      draft: { ...v1.draft, selfPay: [{ itemId: 'shindansho', count: 1 }] },
      reason: '診断書の追加',
    });
    const warning = '同じ月の後の会計（6/17）の負担額に影響する可能性があります。必要なら訂正してください';
    expect(corrected.totals.warnings).toContain(warning);
    // The later 会計 itself has no such warning; a first confirm neither.
    expect((await clerk.billing.open.query({ visitId: second })).totals.warnings).not.toContain(warning);
    expect(v1.totals.warnings.some((w) => w.startsWith('同じ月の後の会計'))).toBe(false);
  });
});
