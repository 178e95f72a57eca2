import { getEntry } from '@karte/db';
import { type DocumentFields, emptyDocument } from '@karte/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let doctor: TestClient;
let nurse: TestClient;
let patientId: string;
let encounterId: string;

beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
  nurse = await loginAs(app.url, 'nurse');
  // The demo patient with a chart (coverage, problems, allergies, labs, a prescription).
  const [p] = await doctor.reception.searchPatients
    .query({ query: '1', limit: 1 })
    .then((r) => r.filter((x) => x.patientNumber === 1));
  patientId = p!.id;
  encounterId = (await doctor.chart.openEncounter.mutate({ patientId, visitId: null })).id;
}, 120_000);
afterAll(() => app?.close());

const referral = (d: DocumentFields): DocumentFields =>
  d.type === 'referral'
    ? {
        ...d,
        fields: {
          ...d.fields,
          toInstitutionCode: '1311234567',
          toFacilityName: '東京第一テスト病院',
          purpose: '精査をお願いします',
          presentIllness: '1か月前から頭痛',
        },
      }
    : d;

describe('documents', () => {
  it('a referral letter: chart items ticked, problems shown in Japanese before 確定, then frozen with its valid Bundle', async () => {
    const created = await doctor.documents.create.mutate({ encounterId, type: 'referral', doctorId: null });
    if (created.status !== 'saved') throw new Error('not saved');
    let view = await doctor.documents.get.query({ entryId: created.entryId });
    expect(view.title).toBe('診療情報提供書');
    const draft = view.draft!;
    if (draft.type !== 'referral') throw new Error('type');
    // Pulled from the chart: open problems, active allergies, the infection result, the last prescription.
    expect(draft.fields.problemIds.length).toBeGreaterThan(0);
    expect(draft.fields.allergyIds).toHaveLength(2);
    expect(draft.fields.infectionIds).toHaveLength(1);
    expect(draft.fields.prescriptionIds).toHaveLength(1);
    expect(view.view.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['toInstitutionCode', 'toFacilityName', 'purpose', 'presentIllness']),
    );
    expect(view.view.problems.find((p) => p.field === 'purpose')?.message).toBe('紹介目的を入力してください');
    // 確定 is refused while something is missing, with the reason.
    const refused = doctor.documents.finalise.mutate({
      entryId: created.entryId,
      baseRev: created.draftRev,
      reason: '',
    });
    expect(await errorCodeOf(refused)).toBe('BAD_REQUEST');
    await expect(refused).rejects.toThrow(/紹介先の医療機関コードを入力してください/);

    const saved = await doctor.documents.saveDraft.mutate({
      encounterId,
      entryId: created.entryId,
      baseRev: created.draftRev,
      content: referral(draft),
    });
    if (saved.status !== 'saved') throw new Error('conflict');
    view = await doctor.documents.get.query({ entryId: created.entryId });
    expect(view.view.problems).toEqual([]);
    expect(view.view.issues).toEqual([]);
    const done = await doctor.documents.finalise.mutate({
      entryId: created.entryId,
      baseRev: saved.draftRev,
      reason: '',
    });
    expect(done).toMatchObject({ version: 1, approved: true });
    view = await doctor.documents.get.query({ entryId: created.entryId });
    const bundle = view.view.bundle as {
      identifier: { value: string };
      entry: { resource: { resourceType: string } }[];
    };
    expect(bundle.identifier.value).toBe(
      `1310123458^${new Date().getFullYear()}^D-${created.entryId.replaceAll('-', '')}`,
    );
    expect(bundle.entry[0]?.resource.resourceType).toBe('Composition');
    expect(view.view.sections.map((s) => s.title)).toEqual(
      expect.arrayContaining(['紹介元情報', '紹介先情報']),
    );

    // Immutable: the database refuses to change the confirmed version.
    await expect(
      app.karte.db.execute(
        sql`update entry_versions set content = '{}'::jsonb where entry_id = ${created.entryId}`,
      ),
    ).rejects.toThrow();

    // A correction is a new version with a reason, under the same Bundle identifier (a resend replaces).
    const start = await doctor.chart.startCorrection.mutate({ entryId: created.entryId });
    const fix = await doctor.documents.saveDraft.mutate({
      encounterId,
      entryId: created.entryId,
      baseRev: start.draftRev,
      content: {
        ...referral(draft),
        fields: { ...referral(draft).fields, remarks: '追記: 至急' },
      } as DocumentFields,
    });
    if (fix.status !== 'saved') throw new Error('conflict');
    expect(
      await errorCodeOf(
        doctor.documents.finalise.mutate({ entryId: created.entryId, baseRev: fix.draftRev, reason: '' }),
      ),
    ).toBe('BAD_REQUEST');
    await doctor.documents.finalise.mutate({
      entryId: created.entryId,
      baseRev: fix.draftRev,
      reason: '追記',
    });
    view = await doctor.documents.get.query({ entryId: created.entryId });
    expect(view.versions.map((v) => v.version)).toEqual([1, 2]);
    expect((view.view.bundle as { identifier: { value: string } }).identifier.value).toBe(
      bundle.identifier.value,
    );
  }, 60_000);

  it('a nurse finalises for the doctor: the document waits for approval before it is shared', async () => {
    const doctorId = (await doctor.auth.me.query()).auth!.user.id;
    const created = await nurse.documents.create.mutate({ encounterId, type: 'checkup', doctorId });
    if (created.status !== 'saved') throw new Error('not saved');
    const content = emptyDocument('checkup');
    if (content.type !== 'checkup') throw new Error('type');
    content.fields.checkupDate = '2026-10-01';
    content.fields.values = { height: '170', weight: '65', sbp: '120', dbp: '80' };
    const saved = await nurse.documents.saveDraft.mutate({
      encounterId,
      entryId: created.entryId,
      baseRev: created.draftRev,
      content,
    });
    if (saved.status !== 'saved') throw new Error('conflict');
    const done = await nurse.documents.finalise.mutate({
      entryId: created.entryId,
      baseRev: saved.draftRev,
      reason: '',
    });
    expect(done.approved).toBe(false);
    let shared = await doctor.sharing.patientBundles.query({ patientId });
    expect(shared.refused.map((r) => r.reason)).toContain('代行入力の文書は医師の承認後に送ります');
    await doctor.chart.approve.mutate({ items: [{ entryId: created.entryId, version: 1 }] });
    shared = await doctor.sharing.patientBundles.query({ patientId });
    expect(shared.refused).toEqual([]);
    expect(shared.bundles.filter((b) => b.kind === 'checkup')).toHaveLength(2); // the demo's and this one
    for (const b of shared.bundles) expect(b.issues, b.identifier).toEqual([]);
  }, 60_000);

  it('bad input: an unknown document type or a foreign field is refused at the boundary, nothing saved', async () => {
    expect(
      await errorCodeOf(
        doctor.documents.create.mutate({ encounterId, type: 'letter' as 'referral', doctorId: null }),
      ),
    ).toBe('BAD_REQUEST');
    const created = await doctor.documents.create.mutate({ encounterId, type: 'discharge', doctorId: null });
    if (created.status !== 'saved') throw new Error('not saved');
    const bad = { ...emptyDocument('discharge'), extra: 1 } as unknown as DocumentFields;
    expect(
      await errorCodeOf(
        doctor.documents.saveDraft.mutate({
          encounterId,
          entryId: created.entryId,
          baseRev: created.draftRev,
          content: bad,
        }),
      ),
    ).toBe('BAD_REQUEST');
    const entry = await getEntry(
      app.karte.db,
      (await doctor.auth.me.query()).auth!.facility.id,
      created.entryId,
    );
    expect(entry?.draftRev).toBe(created.draftRev);
  }, 60_000);
});
