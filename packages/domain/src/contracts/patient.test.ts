import { describe, expect, it } from 'vitest';
import { canonicalPostalCode, emptyPatientFields, patientCreateInput } from './patient';

const valid = {
  familyName: '山田',
  givenName: '花子',
  familyNameKana: 'やまだ',
  givenNameKana: 'ﾊﾅｺ',
  sex: 'female',
  birthDate: '1975-04-01',
  postalCode: '100-0001',
  address: '東京都千代田区千代田1-1',
  phone: '03-1234-5678',
};

describe('patientCreateInput', () => {
  it('starts a blank form with no 性別, and requires one to be chosen', () => {
    const { sex: _, ...rest } = valid;
    for (const form of [
      { ...emptyPatientFields, ...rest },
      { ...rest, sex: '' },
    ]) {
      const r = patientCreateInput.safeParse(form);
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['sex', '性別を選択してください'],
      ]);
    }
  });
  it('accepts a complete registration, kana in any form', () => {
    expect(patientCreateInput.safeParse(valid).success).toBe(true);
  });
  it('gives Japanese messages at the field', () => {
    const r = patientCreateInput.safeParse({
      ...valid,
      familyName: ' ',
      familyNameKana: '山田',
      birthDate: '2025-02-30',
      phone: '12345',
      postalCode: '1234',
    });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byField.familyName).toBe('姓（漢字）を入力してください');
    expect(byField.familyNameKana).toContain('カタカナ');
    expect(byField.birthDate).toBe('存在しない日付です');
    expect(byField.phone).toContain('電話番号');
    expect(byField.postalCode).toContain('郵便番号');
  });
  it('names the field when a name is far too long (not the generic text bound)', () => {
    const r = patientCreateInput.safeParse({ ...valid, familyName: '山'.repeat(2000) });
    expect(r.error?.issues.find((i) => i.path[0] === 'familyName')?.message).toBe(
      '姓（漢字）は40文字以内で入力してください',
    );
  });

  it('rejects unknown fields and future birth dates', () => {
    expect(patientCreateInput.safeParse({ ...valid, facilityId: 'x' }).success).toBe(false);
    expect(patientCreateInput.safeParse({ ...valid, birthDate: '2999-01-01' }).success).toBe(false);
  });
  it('formats postal codes', () => {
    expect(canonicalPostalCode('１０００００１')).toBe('100-0001');
  });
});
