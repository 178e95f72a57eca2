import { describe, expect, it } from 'vitest';
import { clinicSettingsFields, defaultDepartments, ssmixDepartmentCodes } from './clinic';

const valid = {
  name: 'テスト医院',
  address: '東京都千代田区1-1',
  phone: '03-1234-5678',
  institutionCode: '1310123458',
  departments: defaultDepartments,
};

const messages = (value: unknown) =>
  Object.fromEntries(
    (clinicSettingsFields.safeParse(value).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]),
  );

describe('クリニック設定 contract', () => {
  it('accepts the demo clinic with the default 診療科, whose codes are SS-MIX2 codes', () => {
    expect(clinicSettingsFields.safeParse(valid).success).toBe(true);
    for (const d of defaultDepartments) expect(ssmixDepartmentCodes).toContain(d.code);
  });

  it('says what is wrong with a 医療機関コード', () => {
    expect(messages({ ...valid, institutionCode: '131012345' }).institutionCode).toBe(
      '医療機関コードは10桁の数字です',
    );
    expect(messages({ ...valid, institutionCode: '9910123458' }).institutionCode).toMatch(/都道府県/);
    expect(messages({ ...valid, institutionCode: '1330123458' }).institutionCode).toMatch(/点数表/);
    expect(messages({ ...valid, institutionCode: '1310123459' }).institutionCode).toMatch(/検証番号/);
  });

  it('needs at least one 診療科, unique names and a standard code', () => {
    expect(messages({ ...valid, departments: [] }).departments).toBe('診療科を1つ以上登録してください');
    const twice = [
      { code: '01', name: '内科' },
      { code: '01', name: '内科' },
    ];
    expect(messages({ ...valid, departments: twice })['departments.1.name']).toBe(
      '同じ名前の診療科があります',
    );
    expect(messages({ ...valid, departments: [{ code: '99', name: '謎科' }] })['departments.0.code']).toBe(
      '標準の診療科を選択してください',
    );
    expect(messages({ ...valid, departments: [{ code: '01', name: ' ' }] })['departments.0.name']).toBe(
      '診療科名を入力してください',
    );
  });

  it('keeps the phone number to digits and separators', () => {
    expect(messages({ ...valid, phone: '03-1234-abcd' }).phone).toMatch(/電話番号/);
  });
});
