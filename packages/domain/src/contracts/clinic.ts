import { z } from 'zod';
import { checkInstitutionCode, type InstitutionCodeProblem } from '../checkDigit';
import { int32, line } from './input';

/**
 * SS-MIX2 診療科コード (http://jami.jp/SS-MIX2/CodeSystem/ClinicalDepartment, JP_Department_SsMix_VS):
 * the code a clinic's 診療科 carries in FHIR (JP_eCS_Department). The clinic names its departments as it
 * likes (e.g. 「糖尿病内科」) and picks the standard one each belongs to.
 */
export const ssmixDepartments = [
  { code: '01', name: '内科' },
  { code: '02', name: '精神科' },
  { code: '04', name: '神経内科' },
  { code: '05', name: '呼吸器科' },
  { code: '06', name: '消化器科' },
  { code: '08', name: '循環器科' },
  { code: '09', name: '小児科' },
  { code: '10', name: '外科' },
  { code: '11', name: '整形外科' },
  { code: '12', name: '形成外科' },
  { code: '14', name: '脳神経外科' },
  { code: '19', name: '皮膚科' },
  { code: '20', name: '泌尿器科' },
  { code: '23', name: '産婦人科' },
  { code: '26', name: '眼科' },
  { code: '27', name: '耳鼻いんこう科' },
  { code: '33', name: '心療内科' },
  { code: '34', name: 'アレルギー科' },
  { code: '35', name: 'リウマチ科' },
  { code: '36', name: 'リハビリテーション科' },
] as const;
export const ssmixDepartmentCodes = ssmixDepartments.map((d) => d.code) as [string, ...string[]];

/** A 診療科 of the clinic: its own name and the SS-MIX2 code it is sent with. */
export interface Department {
  code: string;
  name: string;
}

/** What a clinic starts with (and what every clinic had before departments were editable). */
export const defaultDepartments: Department[] = [
  { code: '01', name: '内科' },
  { code: '09', name: '小児科' },
  { code: '10', name: '外科' },
  { code: '11', name: '整形外科' },
  { code: '19', name: '皮膚科' },
];

export const DEPARTMENTS_MAX = 30;

export const departmentInput = z.strictObject({
  code: z.enum(ssmixDepartmentCodes, { error: '標準の診療科を選択してください' }),
  name: line(40).trim().min(1, '診療科名を入力してください').max(20, '診療科名は20文字以内です'),
});

const institutionCodeMessages: Record<InstitutionCodeProblem, string> = {
  format: '医療機関コードは10桁の数字です',
  prefecture: '医療機関コードの先頭2桁（都道府県）が正しくありません',
  tensuhyo: '医療機関コードの3桁目（点数表）は医科の「1」です',
  checkDigit: '医療機関コードの検証番号（最後の桁）が合いません。入力を確かめてください',
};

export const institutionCodeInput = z
  .string({ error: '医療機関コードを入力してください' })
  .trim()
  .superRefine((value, ctx) => {
    const problem = checkInstitutionCode(value);
    if (problem) ctx.addIssue({ code: 'custom', message: institutionCodeMessages[problem] });
  });

export const clinicSettingsFields = z.strictObject({
  name: line(100).trim().min(1, '医療機関名を入力してください').max(60, '医療機関名は60文字以内です'),
  address: line(200).trim().max(120, '所在地は120文字以内です'),
  phone: line(40)
    .trim()
    .regex(/^[0-9０-９()（）+\- ]*$/, '電話番号は数字と - ( ) で入力してください')
    .max(20, '電話番号は20文字以内です'),
  institutionCode: institutionCodeInput,
  departments: z
    .array(departmentInput, { error: '診療科を入力してください' })
    .min(1, '診療科を1つ以上登録してください')
    .max(DEPARTMENTS_MAX, `診療科は${DEPARTMENTS_MAX}件までです`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.name))
          ctx.addIssue({ code: 'custom', message: '同じ名前の診療科があります', path: [i, 'name'] });
        seen.add(d.name);
      });
    }),
});
export type ClinicSettingsFields = z.infer<typeof clinicSettingsFields>;

export const clinicSettingsInput = z.strictObject({
  /** The version the form was opened at: a save over someone else's newer one is refused. */
  expectedVersion: int32().min(0),
  settings: clinicSettingsFields,
});
export type ClinicSettingsInput = z.infer<typeof clinicSettingsInput>;

export interface ClinicSettings extends ClinicSettingsFields {
  version: number;
}
