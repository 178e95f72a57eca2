import type { Bundle, Condition, Observation } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClinsBundles, buildDeleteBundle, inConditionSnapshot } from './bundles/clins';
import { buildCheckup } from './documents/checkup';
import { buildDischarge } from './documents/discharge';
import { buildReferral } from './documents/referral';
import type { DocumentSource } from './documents/source';
import { insuredPersonId } from './resources/insured';
import { at, chartFor, facility, prescription } from './testing/fixtures';
import { validateBundle, warmUpValidator } from './validate/index';

beforeAll(() => warmUpValidator(), 60_000);

const chart = chartFor(1);
const source: DocumentSource = {
  ...chart,
  facility,
  author: { id: '00000000-0000-4000-8000-000000000777', name: '診療 太郎' },
  entryId: '00000000-0000-4000-8000-0000000000d1',
  version: 1,
  issuedAt: at,
  encounterDate: '2026-11-20',
  prescriptions: [prescription],
};
const referral = () =>
  buildReferral(
    source,
    {
      toInstitutionCode: '1311234567',
      toFacilityName: '東京第一病院',
      toDepartment: '消化器内科',
      toDoctorName: '外科 一郎',
      purpose: '精査加療のお願い',
      chiefComplaint: '心窩部痛',
      presentIllness: '1か月前から食後の心窩部痛。',
      pastHistory: '特記事項なし',
      remarks: 'よろしくお願いいたします。',
      problemIds: chart.problems.map((p) => p.id),
      allergyIds: chart.allergies.map((a) => a.id),
      infectionIds: [chart.labs[2]!.id],
      prescriptionIds: [prescription.entryId],
      labIds: [chart.labs[0]!.id, chart.labs[1]!.id],
    },
    at,
  );
const discharge = () =>
  buildDischarge(
    source,
    {
      admittedOn: '2026-11-01',
      dischargedOn: '2026-11-10',
      admissionDetails: '外来から緊急入院',
      chiefComplaint: '吐血',
      reasonForAdmission: '上部消化管出血',
      presentIllness: '前日夜から黒色便。',
      course: '内視鏡的止血術を施行。経過良好。',
      dischargeDetails: '軽快、自宅退院',
      plan: '外来で経過観察',
      admissionProblemIds: [chart.problems[0]!.id],
      dischargeProblemIds: chart.problems.map((p) => p.id),
      allergyIds: [chart.allergies[0]!.id],
      prescriptionIds: [prescription.entryId],
    },
    at,
  );
const checkup = () =>
  buildCheckup(
    source,
    {
      checkupDate: '2026-10-15',
      program: '010',
      values: {
        height: '160.2',
        weight: '58.4',
        bmi: '22.8',
        sbp: '128',
        dbp: '82',
        hba1c: '5.8',
        urineProtein: '±',
      },
      judgement: '異常なし',
    },
    at,
  );
const errors = (b: Bundle) => validateBundle(b).map((i) => `${i.path}: ${i.message}`);

describe('golden Bundles (what Karte sends, byte for byte)', () => {
  const { bundles } = buildClinsBundles(chart, facility, at);
  it.each(bundles.map((b) => [b.kind, b]))('JP_Bundle_CLINS %s', async (kind, b) => {
    await expect(`${JSON.stringify(b.bundle, null, 2)}\n`).toMatchFileSnapshot(
      `./__golden__/clins-${kind}.json`,
    );
  });
  it.each([
    ['referral', referral],
    ['discharge', discharge],
    ['checkup', checkup],
  ] as const)('%s', async (kind, build) => {
    await expect(`${JSON.stringify(build().built?.bundle, null, 2)}\n`).toMatchFileSnapshot(
      `./__golden__/${kind}.json`,
    );
  });
});

describe('every Bundle built validates with no errors', () => {
  it('the condition, allergy and lab Bundles', () => {
    const { bundles, refused } = buildClinsBundles(chart, facility, at);
    expect(refused).toEqual([]);
    expect(bundles.map((b) => b.kind)).toEqual(['conditions', 'allergies', 'labs']);
    for (const b of bundles) expect(errors(b.bundle), b.kind).toEqual([]);
  });
  it('the three documents', () => {
    for (const d of [referral(), discharge(), checkup()]) {
      expect(d.omitted).toEqual([]);
      expect(errors(d.built!.bundle), d.built?.kind).toEqual([]);
    }
  });
  it('the Patient-only deletion Bundle (the one rule it waives is the entry of its type)', () => {
    const d = buildDeleteBundle(chart, facility, '1310123458^2026^C-1', 'Condition', at);
    expect(d.bundle?.bundle.entry).toHaveLength(1);
    expect(validateBundle(d.bundle!.bundle, { deletion: true })).toEqual([]);
    expect(errors(d.bundle!.bundle).join()).toMatch(/mustHaveOneMoreResources/);
  });
});

describe('what the share service reads', () => {
  const { bundles } = buildClinsBundles(chart, facility, at);
  const conditions = bundles[0]!.bundle.entry!.slice(1).map((e) => e.resource as Condition);
  it('主病名 through the diagnosis-type extension; 疑い as provisional; 転帰 as status and abatement', () => {
    expect(conditions[0]!.extension?.some((e) => e.url.endsWith('JP_eCS_DiagnosisType'))).toBe(true);
    expect(conditions[1]!.verificationStatus?.coding?.[0]?.code).toBe('provisional');
    expect(conditions[1]!.clinicalStatus?.coding?.[0]?.code).toBe('resolved');
    expect(conditions[1]!.abatementDateTime).toBe('2026-11-01');
  });
  it('未告知 as the UNINFORMED tag, drug contraindication as medication with LTS', () => {
    expect(conditions[1]!.meta?.tag?.map((t) => t.code)).toEqual(['UNINFORMED']);
    const drug = bundles[1]!.bundle.entry![1]!.resource as {
      category?: string[];
      meta?: { tag?: { code?: string }[] };
    };
    expect(drug.category).toEqual(['medication']);
    expect(drug.meta?.tag?.map((t) => t.code)).toEqual(['LTS']);
  });
  it('検査 and 感染症 by their JLAC slices; an item without JLAC code in the uncoded slice', () => {
    const obs = bundles[2]!.bundle.entry!.slice(1).map((e) => e.resource as Observation);
    const systems = obs.map((o) => o.code.coding?.[1]?.system?.split('/').at(-1));
    expect(systems).toEqual([
      'JP_CLINS_ObsLabResult_CoreLabo_CS',
      'JP_CLINS_ObsLabResult_CoreLabo_CS',
      'JP_CLINS_ObsLabResult_InfectionLabo_CS',
      'JP_CLINS_ObsLabResult_Uncoded_CS',
    ]);
  });
  it('the Bundle identifier is the same on a rebuild, so a resend replaces', () => {
    const again = buildClinsBundles(chart, facility, new Date('2026-12-01T00:00:00Z')).bundles;
    expect(again.map((b) => b.identifier)).toEqual(bundles.map((b) => b.identifier));
    expect(bundles[0]!.identifier).toBe('1310123458^2026^C-1');
  });
  it('keeps an ended condition for five years, then leaves it out', () => {
    const old = { ...chart.problems[1]!, endDate: '2021-11-24' };
    expect(inConditionSnapshot(old, at)).toBe(false);
    expect(inConditionSnapshot({ ...old, endDate: '2021-11-25' }, at)).toBe(true);
  });
});

describe('bad input is refused with the reason, never sent invalid', () => {
  it('a patient without a valid insured-person identifier: no Bundle, the reason', () => {
    const r = buildClinsBundles(
      { ...chart, coverage: { ...chart.coverage!, insurerNumber: '06139996' } },
      facility,
      at,
    );
    expect(r.bundles).toEqual([]);
    expect(r.refused[0]?.reason).toMatch(/保険者番号「06139996」が正しくありません/);
    expect(buildClinsBundles({ ...chart, coverage: null }, facility, at).refused[0]?.reason).toMatch(
      /保険が登録されていない/,
    );
  });
  it('an uncoded disease is left out with the reason; the rest still goes', () => {
    const problems = [
      { ...chart.problems[0]!, id: 'x', diseaseCode: null, name: '自由記載病名' },
      chart.problems[1]!,
    ];
    const r = buildClinsBundles({ ...chart, problems }, facility, at);
    expect(r.refused).toEqual([
      { item: '病名「自由記載病名」', reason: expect.stringMatching(/病名管理番号が必須/) },
    ]);
    expect(r.bundles[0]!.bundle.entry).toHaveLength(2);
    expect(errors(r.bundles[0]!.bundle)).toEqual([]);
  });
  it('未提供 conditions are not sent', () => {
    const problems = [{ ...chart.problems[0]!, notShared: true }];
    const r = buildClinsBundles({ ...chart, problems }, facility, at);
    expect(r.bundles.map((b) => b.kind)).not.toContain('conditions');
    expect(r.refused[0]?.reason).toMatch(/未提供/);
  });
  it('the insured-person identifier: padding, full width with kana, 枝番', () => {
    expect(
      insuredPersonId({ insurerNumber: '01130012', symbol: 'ａｂ12', number: '３４', branch: '1' }),
    ).toEqual({
      ok: true,
      value: '01130012:ab12:34:01',
    });
    expect(
      insuredPersonId({ insurerNumber: '01130012', symbol: 'あいう', number: '187', branch: '' }),
    ).toEqual({
      ok: true,
      value: '01130012:あいう:１８７:',
    });
    expect(insuredPersonId({ insurerNumber: '01130012', symbol: '', number: '1', branch: '123' }).ok).toBe(
      false,
    );
  });
});

describe("mutations of Karte's own Bundles fail", () => {
  it('a referral without its 紹介先 organization', () => {
    const b = referral().built!.bundle;
    b.entry = b.entry!.filter(
      (e) =>
        !(
          e.resource?.resourceType === 'Organization' &&
          (e.resource as { name?: string }).name === '東京第一病院'
        ),
    );
    expect(errors(b).join('\n')).toMatch(/organization has 1 entries|not in the Bundle/);
  });
  it('a discharge summary without the 入院中経過 document', () => {
    const b = discharge().built!.bundle;
    b.entry = b.entry!.filter((e) => e.resource?.resourceType !== 'DocumentReference');
    expect(errors(b).length).toBeGreaterThan(0);
  });
  it('a checkup item without its examination date', () => {
    const b = checkup().built!.bundle;
    const obs = b.entry!.find((e) => e.resource?.resourceType === 'Observation')!.resource as Observation;
    delete (obs as { effectiveDateTime?: string }).effectiveDateTime;
    expect(errors(b).length).toBeGreaterThan(0);
  });
});
