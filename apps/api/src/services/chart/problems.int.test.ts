/** Problem list on the disease master, allergies and contraindications, infections. */
import { schema, verifyAuditChain } from '@karte/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodeOf,
  loginAs,
  problemFields,
  startTestApp,
  type TestApp,
  type TestClient,
} from '../../testing';

let app: TestApp;
let doctor: TestClient;
let clerk: TestClient;
let patientId: string;

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  clerk = await loginAs(app.url, 'clerk');
  patientId = (await clerk.reception.searchPatients.query({ query: 'コ', limit: 1 }))[0]!.id;
});
afterAll(() => app?.close());

const problem = problemFields('', null, { onsetDate: '2026-11-01' });

describe('disease master', () => {
  it('finds diseases by kana prefix in any width or script, and by kanji inside the name', async () => {
    const byKana = await doctor.chart.searchDiseases.query({ query: 'こうけつあつ', limit: 10 });
    expect(byKana.map((d) => d.name)).toContain('高血圧症');
    const halfWidth = await doctor.chart.searchDiseases.query({ query: 'ｺｳｹﾂｱﾂ', limit: 10 });
    expect(halfWidth.map((d) => d.code)).toEqual(byKana.map((d) => d.code));
    const inside = await doctor.chart.searchDiseases.query({ query: '胃炎', limit: 20 });
    expect(inside.some((d) => d.name.endsWith('胃炎') && d.name !== '胃炎')).toBe(true);
    expect(await doctor.chart.searchDiseases.query({ query: '', limit: 5 })).toEqual([]);
  });

  it('finds kana inside the reading too, with names that start with the text ranked first', async () => {
    // 急性上気道炎 is read キュウセイジョウキドウエン: the middle of the reading must find it.
    const inside = await doctor.chart.searchDiseases.query({ query: 'じょうきどうえん', limit: 12 });
    expect(inside.map((d) => d.name)).toContain('急性上気道炎');
    // 上気道出血 (ジョウキドウ…) starts with the reading; 急性上気道炎 only contains it: prefix first.
    const mixed = await doctor.chart.searchDiseases.query({ query: 'じょうきどう', limit: 50 });
    const isPrefix = mixed.map((d) => d.nameKana.startsWith('ジョウキドウ') || d.name.startsWith('上気道'));
    expect(mixed.map((d) => d.name)).toContain('急性上気道炎');
    expect(isPrefix[0]).toBe(true);
    expect(isPrefix.indexOf(false)).toBeGreaterThan(0);
    expect(isPrefix.slice(isPrefix.indexOf(false))).not.toContain(true);
  });
});

describe('problem list', () => {
  it('keeps master diseases coded and free text as 未コード化, with flags', async () => {
    const [htn] = await doctor.chart.searchDiseases.query({ query: '高血圧症', limit: 1 });
    const coded = await doctor.chart.addProblem.mutate({
      patientId,
      problem: { ...problem, diseaseCode: htn!.code, name: 'ignored', main: true, undisclosed: true },
    });
    expect(coded).toMatchObject({
      name: '高血圧症',
      diseaseCode: htn!.code,
      uncoded: false,
      main: 1,
      undisclosed: 1,
    });
    const free = await doctor.chart.addProblem.mutate({
      patientId,
      problem: { ...problem, name: 'なんとなく不調', suspected: true },
    });
    expect(free).toMatchObject({ uncoded: true, diseaseCode: null, suspected: 1 });
    const list = await doctor.chart.problems.query({ patientId });
    expect(list[0]?.id).toBe(coded.id); // 主病名 first
    const ended = await doctor.chart.updateProblem.mutate({
      id: free.id,
      version: free.version,
      problem: { ...problem, name: 'なんとなく不調', outcome: 'cured', endDate: '2026-11-20' },
    });
    expect(ended).toMatchObject({ outcome: 'cured', endDate: '2026-11-20', version: 2 });
    expect(
      await errorCodeOf(
        doctor.chart.updateProblem.mutate({
          id: free.id,
          version: free.version,
          problem: { ...problem, name: 'x' },
        }),
      ),
    ).toBe('CONFLICT');
  });

  it('削除（誤登録）needs a reason, keeps the row and the audit before/after, and leaves list and FHIR', async () => {
    // A patient whose record is shared (insured, consenting): the demo data has such patients.
    const [shared] = await app.karte.db
      .select()
      .from(schema.shareSubmissions)
      .where(eq(schema.shareSubmissions.kind, 'conditions'))
      .limit(1);
    const sharedId = shared?.patientId ?? '';
    // A coded name (未コード化 is not shared) that the demo record does not hold already.
    const [disease] = await doctor.chart.searchDiseases.query({ query: '慢性上気道炎', limit: 1 });
    const wrong = await doctor.chart.addProblem.mutate({
      patientId: sharedId,
      problem: { ...problem, name: '慢性上気道炎', diseaseCode: disease!.code },
    });
    expect(wrong.name).toBe('慢性上気道炎');
    expect(
      await errorCodeOf(
        doctor.chart.removeProblem.mutate({ id: wrong.id, version: wrong.version, reason: '  ' }),
      ),
    ).toBe('BAD_REQUEST');
    // The share snapshot (傷病名 Bundle) carries it now, and is queued again without it afterwards.
    const snapshot = async () => {
      const rows = await app.karte.db
        .select()
        .from(schema.shareSubmissions)
        .where(eq(schema.shareSubmissions.patientId, sharedId));
      return rows.find((r) => r.kind === 'conditions');
    };
    const queuedBefore = await snapshot();
    expect(JSON.stringify(queuedBefore?.bundle)).toContain('慢性上気道炎');
    const removed = await doctor.chart.removeProblem.mutate({
      id: wrong.id,
      version: wrong.version,
      reason: '別の患者に登録した',
    });
    expect(removed.version).toBe(wrong.version + 1);
    expect((await doctor.chart.problems.query({ patientId: sharedId })).map((p) => p.id)).not.toContain(
      wrong.id,
    );
    const bundles = await doctor.sharing.patientBundles.query({ patientId: sharedId });
    expect(JSON.stringify(bundles.bundles)).not.toContain('慢性上気道炎');
    const queuedAfter = await snapshot();
    expect(queuedAfter?.version).toBeGreaterThan(queuedBefore?.version ?? 0);
    expect(JSON.stringify(queuedAfter?.bundle)).not.toContain('慢性上気道炎');
    // Kept, marked with who, when and why.
    const [row] = await app.karte.db.select().from(schema.problems).where(eq(schema.problems.id, wrong.id));
    expect(row).toMatchObject({ errorReason: '別の患者に登録した', name: '慢性上気道炎' });
    expect(row?.errorAt).toBeInstanceOf(Date);
    expect(row?.errorBy).toBeTruthy();
    const events = await app.karte.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.procedure, 'chart.removeProblem'));
    const event = events.find((e) => e.action === 'delete' && e.detail.id === wrong.id);
    expect(event?.detail).toMatchObject({
      reason: '別の患者に登録した',
      from: { name: '慢性上気道炎', errorAt: null },
      to: { errorReason: '別の患者に登録した' },
    });
    // The event with both rows (dates included) still verifies in the facility's chain.
    expect(await verifyAuditChain(app.karte.db, event?.facilityId ?? '')).toMatchObject({ ok: true });
    // Once removed it can be neither edited nor removed again.
    expect(
      await errorCodeOf(
        doctor.chart.updateProblem.mutate({
          id: wrong.id,
          version: removed.version,
          problem: { ...problem, name: 'x' },
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      await errorCodeOf(
        doctor.chart.removeProblem.mutate({ id: wrong.id, version: removed.version, reason: 'x' }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('refuses an end date before onset, at the field', async () => {
    try {
      await doctor.chart.addProblem.mutate({
        patientId,
        problem: { ...problem, name: '感冒', outcome: 'cured', endDate: '2026-10-01' },
      });
      throw new Error('expected a refusal');
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string> } }).data;
      expect(data?.fieldErrors?.['problem.endDate']).toBe('終了日が開始日より前です');
    }
  });
});

describe('allergies, contraindications and infections', () => {
  it('records a drug contraindication from the drug master and shows it in the header summary', async () => {
    const [drug] = await doctor.chart.searchDrugs.query({ query: 'ロキソニン', limit: 1 });
    expect(drug?.name).toMatch(/ロキソニン/);
    const allergy = await doctor.chart.addAllergy.mutate({
      patientId,
      allergy: {
        category: 'drug',
        drugCode: drug!.code,
        substance: '',
        criticality: 'high',
        reaction: '蕁麻疹',
        onsetDate: '',
        status: 'active',
      },
    });
    expect(allergy.substance).toBe(drug!.name);
    await doctor.chart.addAllergy.mutate({
      patientId,
      allergy: {
        category: 'food',
        drugCode: null,
        substance: '卵',
        criticality: 'low',
        reaction: '',
        onsetDate: '',
        status: 'active',
      },
    });
    await doctor.chart.addInfection.mutate({
      patientId,
      infection: { kind: 'HBs', result: 'negative', testedOn: '2026-01-10' },
    });
    await doctor.chart.addInfection.mutate({
      patientId,
      infection: { kind: 'HBs', result: 'positive', testedOn: '2026-11-10' },
    });
    const summary = await clerk.chart.summary.query({ patientId });
    expect(summary.allergies.map((a) => a.substance)).toEqual([drug!.name, '卵']);
    expect(summary.infections).toEqual([{ kind: 'HBs', result: 'positive', testedOn: '2026-11-10' }]);
    await doctor.chart.setAllergyStatus.mutate({
      patientId,
      id: allergy.id,
      version: allergy.version,
      status: 'resolved',
    });
    expect((await clerk.chart.summary.query({ patientId })).allergies.map((a) => a.substance)).toEqual([
      '卵',
    ]);
  });
});
