import { z } from 'zod';
import { isoDate, line, multiline } from './input';

/** The three documents of 3文書6情報. */
export const documentTypes = ['referral', 'discharge', 'checkup'] as const;
export type DocumentType = (typeof documentTypes)[number];
export const documentTypeLabels: Record<DocumentType, string> = {
  referral: '診療情報提供書',
  discharge: '退院時サマリー',
  checkup: '健康診断結果報告書',
};

const text = (max: number) => multiline().trim().max(max, `${max}文字以内で入力してください`);
const ids = z.array(z.uuid()).max(100);
const optionalDate = isoDate.or(z.literal(''));

// Drafts may be incomplete: what must be filled in before 確定 is checked then (documentProblems and the
// FHIR validator), with the message next to the field.

/** 診療情報提供書: 紹介先, 紹介目的, 傷病名・主訴, 現病歴, 既往歴, and what is pulled from the chart. */
export const referralFields = z.strictObject({
  toInstitutionCode: line()
    .trim()
    .regex(/^(\d{10})?$/, '医療機関コードは10桁の数字です'),
  toFacilityName: text(100),
  toDepartment: text(50),
  toDoctorName: text(50),
  purpose: text(2000), // 紹介目的
  chiefComplaint: text(2000), // 傷病名・主訴 (free text beside the coded problems)
  presentIllness: text(4000), // 現病歴
  pastHistory: text(4000), // 既往歴
  remarks: text(2000), // 備考
  problemIds: ids,
  allergyIds: ids,
  infectionIds: ids, // lab results of the 感染症 list
  prescriptionIds: ids, // confirmed 処方 entries
  labIds: ids,
});
export type ReferralFields = z.infer<typeof referralFields>;

/** 退院時サマリー. */
export const dischargeFields = z.strictObject({
  admittedOn: optionalDate, // 入院日
  dischargedOn: optionalDate, // 退院日
  admissionDetails: text(2000), // 入院時詳細 (経路・病棟)
  chiefComplaint: text(2000), // 主訴
  reasonForAdmission: text(2000), // 入院理由
  presentIllness: text(4000), // 現病歴
  course: text(8000), // 入院中経過
  dischargeDetails: text(2000), // 退院時詳細 (転帰・退院先)
  plan: text(4000), // 退院時方針
  admissionProblemIds: ids, // 入院時診断
  dischargeProblemIds: ids, // 退院時診断
  allergyIds: ids,
  prescriptionIds: ids, // 退院時処方
});
export type DischargeFields = z.infer<typeof dischargeFields>;

/** 特定健診 items with their 特定健診検査項目コード (urn:oid:1.2.392.200119.6.1005) and UCUM units. */
export const checkupItems = [
  {
    key: 'height',
    code: '9N001000000000001',
    label: '身長',
    unit: 'cm',
    kind: 'number',
    category: 'body-measurement',
  },
  {
    key: 'weight',
    code: '9N006000000000001',
    label: '体重',
    unit: 'kg',
    kind: 'number',
    category: 'body-measurement',
  },
  {
    key: 'bmi',
    code: '9N011000000000001',
    label: 'BMI',
    unit: 'kg/m2',
    kind: 'number',
    category: 'body-measurement',
  },
  {
    key: 'waist',
    code: '9N016160100000001',
    label: '腹囲',
    unit: 'cm',
    kind: 'number',
    category: 'body-measurement',
  },
  {
    key: 'sbp',
    code: '9A751000000000001',
    label: '収縮期血圧',
    unit: 'mm[Hg]',
    kind: 'number',
    category: 'vital-signs',
  },
  {
    key: 'dbp',
    code: '9A761000000000001',
    label: '拡張期血圧',
    unit: 'mm[Hg]',
    kind: 'number',
    category: 'vital-signs',
  },
  {
    key: 'tg',
    code: '3F015000002327101',
    label: '中性脂肪',
    unit: 'mg/dL',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'hdl',
    code: '3F070000002327101',
    label: 'HDLコレステロール',
    unit: 'mg/dL',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'ldl',
    code: '3F077000002327101',
    label: 'LDLコレステロール',
    unit: 'mg/dL',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'ast',
    code: '3B035000002327201',
    label: 'AST(GOT)',
    unit: 'U/L',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'alt',
    code: '3B045000002327201',
    label: 'ALT(GPT)',
    unit: 'U/L',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'ggt',
    code: '3B090000002327101',
    label: 'γ-GT',
    unit: 'U/L',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'fbs',
    code: '3D010000001926101',
    label: '空腹時血糖',
    unit: 'mg/dL',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'hba1c',
    code: '3D046000001906202',
    label: 'HbA1c(NGSP)',
    unit: '%',
    kind: 'number',
    category: 'laboratory',
  },
  {
    key: 'urineGlucose',
    code: '1A020000000191111',
    label: '尿糖',
    unit: '',
    kind: 'urine',
    category: 'laboratory',
  },
  {
    key: 'urineProtein',
    code: '1A010000000191111',
    label: '尿蛋白',
    unit: '',
    kind: 'urine',
    category: 'laboratory',
  },
] as const;
export type CheckupItemKey = (typeof checkupItems)[number]['key'];
/** 尿定性 (urn:oid:1.2.392.200119.6.2102). */
export const urineResults = ['－', '±', '＋', '＋＋', '＋＋＋'] as const;

const itemValue = line().trim().max(20);
export const checkupFields = z.strictObject({
  checkupDate: optionalDate, // 受診日
  program: z.enum(['010', '030', '990']), // 特定健康診査 / 事業者健診 / その他
  values: z.partialRecord(
    z.enum(checkupItems.map((i) => i.key) as [CheckupItemKey, ...CheckupItemKey[]]),
    itemValue,
  ),
  judgement: text(2000), // 医師の判断
});
export type CheckupFields = z.infer<typeof checkupFields>;
export const checkupProgramLabels = {
  '010': '特定健康診査',
  '030': '事業者健診',
  '990': 'その他の健診',
} as const;

export const documentContent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('referral'), fields: referralFields }),
  z.strictObject({ type: z.literal('discharge'), fields: dischargeFields }),
  z.strictObject({ type: z.literal('checkup'), fields: checkupFields }),
]);
export type DocumentFields = z.infer<typeof documentContent>;
/**
 * What a document entry holds: the form, and — in a confirmed version — the Bundle built and validated
 * at 確定 (frozen with it: the document as issued never changes).
 */
export type DocumentContent = DocumentFields & { bundle?: unknown; sections?: unknown };

export function emptyDocument(type: DocumentType): DocumentFields {
  if (type === 'referral')
    return {
      type,
      fields: {
        toInstitutionCode: '',
        toFacilityName: '',
        toDepartment: '',
        toDoctorName: '',
        purpose: '',
        chiefComplaint: '',
        presentIllness: '',
        pastHistory: '',
        remarks: '',
        problemIds: [],
        allergyIds: [],
        infectionIds: [],
        prescriptionIds: [],
        labIds: [],
      },
    };
  if (type === 'discharge')
    return {
      type,
      fields: {
        admittedOn: '',
        dischargedOn: '',
        admissionDetails: '',
        chiefComplaint: '',
        reasonForAdmission: '',
        presentIllness: '',
        course: '',
        dischargeDetails: '',
        plan: '',
        admissionProblemIds: [],
        dischargeProblemIds: [],
        allergyIds: [],
        prescriptionIds: [],
      },
    };
  return { type, fields: { checkupDate: '', program: '010', values: {}, judgement: '' } };
}

/** A finding on a document, with the form field it belongs to (for the message beside it). */
export interface DocumentProblem {
  field: string;
  message: string;
}

/** What must be filled in before 確定, per document (the FHIR validator checks the rest). */
export function documentProblems(d: DocumentFields): DocumentProblem[] {
  const out: DocumentProblem[] = [];
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) out.push({ field, message });
  };
  if (d.type === 'referral') {
    const f = d.fields;
    need(f.toInstitutionCode !== '', 'toInstitutionCode', '紹介先の医療機関コードを入力してください');
    need(f.toFacilityName !== '', 'toFacilityName', '紹介先の医療機関名を入力してください');
    need(f.purpose !== '', 'purpose', '紹介目的を入力してください');
    need(
      f.chiefComplaint !== '' || f.problemIds.length > 0,
      'chiefComplaint',
      '傷病名・主訴を入力するか病名を選んでください',
    );
    need(f.presentIllness !== '', 'presentIllness', '現病歴を入力してください');
  } else if (d.type === 'discharge') {
    const f = d.fields;
    need(f.admittedOn !== '', 'admittedOn', '入院日を入力してください');
    need(f.dischargedOn !== '', 'dischargedOn', '退院日を入力してください');
    if (f.admittedOn && f.dischargedOn && f.dischargedOn < f.admittedOn)
      out.push({ field: 'dischargedOn', message: '退院日が入院日より前です' });
    need(f.chiefComplaint !== '', 'chiefComplaint', '主訴を入力してください');
    need(f.reasonForAdmission !== '', 'reasonForAdmission', '入院理由を入力してください');
    need(f.presentIllness !== '', 'presentIllness', '現病歴を入力してください');
    need(f.course !== '', 'course', '入院中経過を入力してください');
    need(f.dischargeProblemIds.length > 0, 'dischargeProblemIds', '退院時診断を1つ以上選んでください');
    need(f.plan !== '', 'plan', '退院時方針を入力してください');
  } else {
    const f = d.fields;
    need(f.checkupDate !== '', 'checkupDate', '受診日を入力してください');
    for (const item of checkupItems) {
      const v = f.values[item.key];
      if (!v) continue;
      if (item.kind === 'number' && !(Number.isFinite(Number(v)) && Number(v) >= 0))
        out.push({ field: `values.${item.key}`, message: `${item.label}は数値で入力してください` });
      if (item.kind === 'urine' && !(urineResults as readonly string[]).includes(v))
        out.push({
          field: `values.${item.key}`,
          message: `${item.label}は －, ±, ＋, ＋＋, ＋＋＋ から選んでください`,
        });
    }
    need(
      checkupItems.some((i) => f.values[i.key]),
      'values',
      '検査結果を1つ以上入力してください',
    );
  }
  return out;
}
