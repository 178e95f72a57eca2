import { describe, expect, it } from 'vitest';
import {
  activeUntil,
  doseText,
  FREE_TEXT_USAGE,
  genericCodeOf,
  prescriptionFields,
  rp,
  usageCodes,
  usageFromCode,
} from './prescription';

const valid = {
  usageCode: '1013044400000000',
  usageText: '１日３回朝昼夕食後　服用',
  kind: 'oral' as const,
  days: 7,
  times: null,
  drugs: [{ code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' }],
};
const issuesOf = (v: unknown) => {
  const r = rp.safeParse(v);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('prescription contract', () => {
  it('accepts a usual RP', () => {
    expect(rp.safeParse(valid).success).toBe(true);
    expect(prescriptionFields.safeParse({ place: 'outside', rps: [valid], overrides: [] }).success).toBe(
      true,
    );
  });

  it('refuses dose ≤ 0, days > 365 and an unknown unit, each on its field', () => {
    expect(issuesOf({ ...valid, drugs: [{ ...valid.drugs[0], dose: 0 }] })).toEqual({
      'drugs.0.dose': '数量は0より大きくしてください',
    });
    expect(issuesOf({ ...valid, days: 366 })).toEqual({ days: '日数は365日以内です' });
    expect(issuesOf({ ...valid, drugs: [{ ...valid.drugs[0], unit: 'XYZ' }] })).toEqual({
      'drugs.0.unit': '単位が不明です',
    });
  });

  it('needs days for 内服 and times for 頓用; takes free text with the dummy code', () => {
    expect(issuesOf({ ...valid, days: null })).toEqual({ days: '日数を入力してください' });
    expect(issuesOf({ ...valid, kind: 'asNeeded', usageCode: '1050710000000000', days: null })).toEqual({
      times: '回数を入力してください',
    });
    expect(rp.safeParse({ ...valid, usageCode: FREE_TEXT_USAGE, usageText: '医師の指示通り' }).success).toBe(
      true,
    );
    // Not a 内服・頓用・外用 code (注射): refused here; a code absent from the loaded 用法 table is refused
    // by the server (prescriptions.int.test.ts).
    expect(issuesOf({ ...valid, usageCode: '3999999999999999' })).toEqual({
      usageCode: '用法コードが用法表にありません',
    });
    expect(usageFromCode('1013044400000000')).toEqual({ kind: 'oral', perDay: 3 });
    expect(usageFromCode('1050110000000000')).toEqual({ kind: 'asNeeded', perDay: null });
    expect(usageFromCode('2H50B10000000000')).toEqual({ kind: 'external', perDay: null });
    expect(usageFromCode('101X000000000000')).toEqual({ kind: 'oral', perDay: null });
  });

  it('ships 16-character usage codes for 内服, 頓用 and 外用', () => {
    expect(usageCodes.every((u) => /^[0-9A-Z]{16}$/.test(u.code))).toBe(true);
    expect(new Set(usageCodes.map((u) => u.kind))).toEqual(new Set(['oral', 'asNeeded', 'external']));
  });

  it('makes the 一般名処方コード from the first 9 characters', () => {
    expect(genericCodeOf('1124030F2037')).toBe('1124030F2ZZZ');
  });

  it('writes the dose line and the active period', () => {
    expect(doseText(valid, { dose: 1, unit: 'TAB' })).toBe('1回1錠（1日3錠）');
    expect(doseText({ ...valid, kind: 'external' }, { dose: 25, unit: 'G' })).toBe('25g');
    expect(activeUntil(valid, '2026-12-28')).toBe('2027-01-04');
    expect(activeUntil({ kind: 'asNeeded', days: null }, '2026-01-01')).toBe('2026-01-31');
  });

  it('refuses a unit that is only inherited from Object (constructor, toString) and never prints a function', () => {
    for (const unit of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(issuesOf({ ...valid, drugs: [{ ...valid.drugs[0], unit }] })).toEqual({
        'drugs.0.unit': '単位が不明です',
      });
      expect(doseText(valid, { dose: 1, unit })).not.toMatch(/function|\[native code\]/);
    }
  });

  it('変更不可・患者希望 per drug (not for 一般名), リフィル 2 or 3 times for 院外 only, 残薬 handling, chosen 公費', () => {
    const brand = { ...valid.drugs[0], noChange: true, patientWish: false };
    const generic = { ...valid.drugs[0], code: '1149019F1ZZZ', generic: true, name: '【般】x' };
    const content = (extra: object, drugs: object[] = [brand]) => ({
      place: 'outside',
      rps: [{ ...valid, drugs }],
      overrides: [],
      ...extra,
    });
    const problems = (v: unknown) => {
      const r = prescriptionFields.safeParse(v);
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
    };
    expect(
      problems(
        content({
          refill: 3,
          residual: 'inquire',
          publicSubsidyIds: ['7b0d7c52-6f0e-4d43-9c2e-2f8a4d7b6c11'],
        }),
      ),
    ).toEqual({});
    expect(problems(content({}, [{ ...generic, noChange: true }]))).toEqual({
      'rps.0.drugs.0.noChange': '一般名処方は変更不可にできません',
    });
    expect(problems(content({}, [{ ...brand, patientWish: true }]))).toEqual({
      'rps.0.drugs.0.patientWish': '変更不可（医療上必要）と患者希望はどちらか一方です',
    });
    expect(Object.keys(problems(content({ refill: 4 })))).toEqual(['refill']);
    expect(problems(content({ refill: 2, place: 'inside' }))).toEqual({
      refill: 'リフィルは院外処方だけです',
    });
    expect(Object.keys(problems(content({ residual: 'constructor' })))).toEqual(['residual']);
    expect(Object.keys(problems(content({ publicSubsidyIds: ['54'] })))).toEqual(['publicSubsidyIds.0']);
  });
});
