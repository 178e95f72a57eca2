import { type Database, schema } from '@karte/db';
import type { DocumentFields, ProblemFields } from '@karte/domain';
import { and, asc, eq } from 'drizzle-orm';
import type { Actor } from '../services/audit';
import { confirmEntry, openEncounter, saveEntryDraft } from '../services/chart/entries';
import { addAllergy, addProblem } from '../services/chart/problems';
import { createDocument, finaliseDocument } from '../services/documents/documents';
import { addLabResults } from '../services/orders/labs';
import { confirmPrescription, savePrescriptionDraft } from '../services/orders/prescriptions';
import { saveCoverage } from '../services/reception/coverage';

// The demo clinic's clinical records: every kind the share service takes (傷病名, アレルギー, 薬剤禁忌,
// 検査, 感染症, 処方) and one finalised document of each kind, entered through the same services a doctor
// uses (so 確定 builds and validates the Bundles as in real use).

const problem = (p: Partial<ProblemFields> & Pick<ProblemFields, 'name' | 'onsetDate'>): ProblemFields => ({
  diseaseCode: null,
  prefix: '',
  suffix: '',
  main: false,
  suspected: false,
  outcome: '',
  endDate: '',
  undisclosed: false,
  notShared: false,
  ...p,
});

/**
 * Reference ranges of the demo's lab items. Cre differs by sex (JCCLS 共用基準範囲: 男 0.65–1.07,
 * 女 0.46–0.79 mg/dL): a patient's result carries the range of the patient's own sex.
 */
export function demoReferenceRange(code: string, sex: string): string {
  switch (code) {
    case '3D046000001906202': // HbA1c
      return '4.6-6.2';
    case '3F077000002327101': // 血糖
      return '70-139';
    case '3C015000002327101': // クレアチニン
      return sex === 'male' ? '0.65-1.07' : sex === 'female' ? '0.46-0.79' : '';
    default:
      return '';
  }
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoChart(db: Database, facilityId: string, doctorId: string) {
  const actor: Actor = { facilityId, userId: doctorId, procedure: 'system.seed' };
  const [first, second] = await db
    .select({ id: schema.patients.id, sex: schema.patients.sex })
    .from(schema.patients)
    .where(and(eq(schema.patients.facilityId, facilityId)))
    .orderBy(asc(schema.patients.patientNumber))
    .limit(2);
  if (!first || !second) return;

  for (const [patientId, number] of [
    [first.id, '187'],
    [second.id, '2045'],
  ] as const) {
    await saveCoverage(db, actor, patientId, null, {
      insurerNumber: '01130012', // 協会けんぽ 東京 (valid check digit)
      symbol: 'あいう',
      number,
      branch: '01',
      relationship: 'self',
      acquiredOn: null,
      validUntil: null,
      limitCategory: '',
      wariOverride: null,
      wariSource: '',
      eligibilityCheckId: null,
    });
  }

  const p = first.id;
  const hypertension = await addProblem(
    db,
    actor,
    p,
    problem({ diseaseCode: '20076157', name: '本態性高血圧症', main: true, onsetDate: '2019-04-01' }),
  );
  await addProblem(
    db,
    actor,
    p,
    problem({ diseaseCode: '20050020', name: '２型糖尿病', onsetDate: '2021-06-15' }),
  );
  await addProblem(
    db,
    actor,
    p,
    problem({ diseaseCode: '20091221', name: '脂質異常症', suspected: true, onsetDate: daysAgo(30) }),
  );
  await addProblem(
    db,
    actor,
    p,
    problem({
      diseaseCode: '20058206',
      name: '急性胃腸炎',
      onsetDate: daysAgo(200),
      outcome: 'cured',
      endDate: daysAgo(190),
    }),
  );
  await addAllergy(db, actor, p, {
    category: 'drug', // 薬剤禁忌
    drugCode: '1149019F1560',
    substance: 'ロキソニン錠６０ｍｇ',
    criticality: 'high',
    reaction: '蕁麻疹・呼吸困難',
    onsetDate: '2018-09-01',
    status: 'active',
  });
  await addAllergy(db, actor, p, {
    category: 'food',
    drugCode: null,
    substance: 'そば',
    criticality: 'high',
    reaction: 'アナフィラキシー',
    onsetDate: '',
    status: 'active',
  });
  const collected = daysAgo(7);
  const lab = (code: string, value: string, unit: string) => ({
    collectedOn: collected,
    code,
    name: '',
    value,
    unit,
    range: demoReferenceRange(code, first.sex),
  });
  await addLabResults(db, actor, p, [
    lab('3D046000001906202', '7.2', '%'), // HbA1c
    lab('3F077000002327101', '152', 'mg/dL'), // 血糖
    lab('3C015000002327101', '0.82', 'mg/dL'), // Cre
    lab('5F016141001819011', '陰性', ''), // HBs抗原 (感染症)
  ]);

  const encounter = await openEncounter(db, actor, 'doctor', { patientId: p, visitId: null });
  const soap = await saveEntryDraft(db, actor, 'doctor', {
    encounterId: encounter.id,
    entryId: null,
    baseRev: 0,
    kind: 'soap',
    content: {
      s: '血圧が高めと健診で指摘',
      o: 'BP 148/92',
      a: '高血圧症、糖尿病のコントロール不良',
      p: 'アムロジピン開始。専門医へ紹介',
    },
    doctorId: null,
  });
  if (soap.status === 'saved')
    await confirmEntry(db, actor, { entryId: soap.entryId, baseRev: soap.draftRev, reason: '' }, 'soap');
  const rx = await savePrescriptionDraft(db, actor, 'doctor', {
    encounterId: encounter.id,
    entryId: null,
    baseRev: 0,
    doctorId: null,
    content: {
      place: 'outside',
      overrides: [],
      rps: [
        {
          usageCode: '1011000400000000',
          usageText: '１日１回朝食後　服用',
          kind: 'oral',
          days: 28,
          times: null,
          drugs: [{ code: '2171022F2025', generic: false, name: 'ノルバスク錠５ｍｇ', dose: 1, unit: 'TAB' }],
        },
      ],
    },
  });
  if (rx.status === 'saved')
    await confirmPrescription(db, actor, {
      entryId: rx.entryId,
      baseRev: rx.draftRev,
      reason: '',
      overrides: [],
    });

  const document = async (fill: (d: DocumentFields) => DocumentFields, type: DocumentFields['type']) => {
    const created = await createDocument(db, actor, 'doctor', {
      encounterId: encounter.id,
      type,
      doctorId: null,
    });
    if (created.status !== 'saved') return;
    const entry = await db
      .select({ draft: schema.entries.draft })
      .from(schema.entries)
      .where(eq(schema.entries.id, created.entryId));
    const saved = await saveEntryDraft(db, actor, 'doctor', {
      encounterId: encounter.id,
      entryId: created.entryId,
      baseRev: created.draftRev,
      kind: 'document',
      content: fill(entry[0]?.draft as DocumentFields),
      doctorId: null,
    });
    if (saved.status === 'saved')
      await finaliseDocument(db, actor, { entryId: created.entryId, baseRev: saved.draftRev, reason: '' });
  };
  await document((d) => {
    if (d.type !== 'referral') return d;
    return {
      ...d,
      fields: {
        ...d.fields,
        toInstitutionCode: '1311234567',
        toFacilityName: '東京第一テスト病院',
        toDepartment: '循環器内科',
        toDoctorName: '循環 一郎',
        purpose: '高血圧症と糖尿病の精査・加療をお願いいたします。',
        chiefComplaint: '健診で血圧高値を指摘',
        presentIllness:
          '3年前から高血圧症で当院通院中。最近 HbA1c 7.2% と上昇し、血圧も148/92とコントロール不良。',
        pastHistory: '急性胃腸炎（治癒）',
        remarks: 'ロキソプロフェンで蕁麻疹・呼吸困難の既往があります。',
        problemIds: [hypertension.id],
      },
    };
  }, 'referral');
  await document((d) => {
    if (d.type !== 'discharge') return d;
    return {
      ...d,
      fields: {
        ...d.fields,
        admittedOn: daysAgo(60),
        dischargedOn: daysAgo(50),
        admissionDetails: '外来から予定入院（教育入院）',
        chiefComplaint: '血糖コントロール不良',
        reasonForAdmission: '２型糖尿病の教育入院',
        presentIllness: 'HbA1c 8%台が続き、食事療法の再指導目的で入院。',
        course: '食事療法・運動療法を指導。血糖は改善し、低血糖なく経過。',
        dischargeDetails: '軽快、自宅へ退院',
        plan: '外来で HbA1c を月1回確認。食事指導を継続。',
        admissionProblemIds: d.fields.dischargeProblemIds.slice(0, 1),
      },
    };
  }, 'discharge');
  await document((d) => {
    if (d.type !== 'checkup') return d;
    return {
      ...d,
      fields: {
        ...d.fields,
        checkupDate: daysAgo(20),
        program: '010',
        values: {
          height: '168.2',
          weight: '72.5',
          bmi: '25.6',
          waist: '88',
          sbp: '148',
          dbp: '92',
          tg: '160',
          hdl: '48',
          ldl: '152',
          ast: '24',
          alt: '31',
          ggt: '45',
          fbs: '132',
          hba1c: '7.2',
          urineGlucose: '±',
          urineProtein: '－',
        },
        judgement: '要医療（高血圧・糖尿病）',
      },
    };
  }, 'checkup');
}
