import { describe, expect, it } from 'vitest';
import { intakeFields, vitalCorrectionFields, vitalFields } from '../contracts/vitals';
import { bmi, intakeText, mergeVitals, vitalFlag, vitalsLine } from './vitals';

const none = {
  temperature: null,
  systolic: null,
  diastolic: null,
  pulse: null,
  spo2: null,
  heightCm: null,
  weightKg: null,
};

const fieldErrors = (input: unknown) => {
  const r = vitalFields.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('vital ranges', () => {
  it('accepts a full measurement and any subset', () => {
    const full = {
      temperature: 36.8,
      systolic: 128,
      diastolic: 76,
      pulse: 72,
      spo2: 98,
      heightCm: 170,
      weightKg: 65,
    };
    expect(vitalFields.parse(full)).toEqual(full);
    expect(vitalFields.parse({ ...none, weightKg: 3.25 }).weightKg).toBe(3.25);
  });

  it('accepts abnormal but possible values (flagged, not refused)', () => {
    expect(fieldErrors({ ...none, temperature: 39.5, spo2: 90 })).toEqual({});
    expect(vitalFlag('temperature', 39.5)).toBe('H');
    expect(vitalFlag('spo2', 90)).toBe('L');
    expect(vitalFlag('temperature', 36.8)).toBe('');
    expect(vitalFlag('systolic', 140)).toBe('H');
    expect(vitalFlag('heightCm', 250)).toBe('');
  });

  it('refuses out-of-range values with a Japanese message at the field', () => {
    expect(fieldErrors({ ...none, temperature: 368 })).toEqual({
      temperature: '体温は30〜45℃の範囲で入力してください',
    });
    expect(fieldErrors({ ...none, temperature: 36.85 })).toEqual({ temperature: '体温は小数1桁までです' });
    expect(fieldErrors({ ...none, systolic: 1280, diastolic: 76 })).toEqual({
      systolic: '血圧（収縮期）は40〜300mmHgの範囲で入力してください',
    });
    expect(fieldErrors({ ...none, pulse: 72.5 })).toEqual({ pulse: '脈拍は整数で入力してください' });
    expect(fieldErrors({ ...none, spo2: 101 }).spo2).toMatch(/50〜100%/);
    expect(fieldErrors({ ...none, heightCm: 17 }).heightCm).toMatch(/20〜250cm/);
    expect(fieldErrors({ ...none, weightKg: 0.1 }).weightKg).toMatch(/0.2〜300kg/);
    expect(fieldErrors({ ...none, weightKg: 1e308 * 10 }).weightKg).toBe('体重は数値で入力してください');
  });

  it('needs at least one value and a coherent blood pressure', () => {
    expect(fieldErrors(none)).toEqual({ temperature: 'いずれかの値を入力してください' });
    expect(fieldErrors({ ...none, systolic: 120 })).toEqual({ diastolic: '拡張期血圧を入力してください' });
    expect(fieldErrors({ ...none, systolic: 80, diastolic: 90 })).toEqual({
      diastolic: '拡張期血圧は収縮期血圧より低い値を入力してください',
    });
  });

  it('needs a reason for a correction', () => {
    const r = vitalCorrectionFields.safeParse({ values: { ...none, pulse: 70 }, reason: ' ' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['reason']);
  });
});

describe('BMI and the O line', () => {
  it('computes BMI to one decimal', () => {
    expect(bmi(170, 65)).toBe(22.5);
    expect(bmi(null, 65)).toBeNull();
  });

  it('formats the measured values only', () => {
    expect(
      vitalsLine({
        temperature: 36.8,
        systolic: 128,
        diastolic: 76,
        pulse: 72,
        spo2: 98,
        heightCm: 170,
        weightKg: 65,
      }),
    ).toBe('T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5');
    expect(vitalsLine({ ...none, temperature: 37, weightKg: 12.25 })).toBe('T 37.0℃ 体重 12.25kg');
  });

  it('merges a day of measurements value by value, newest winning', () => {
    const merged = mergeVitals([
      { ...none, temperature: 38.2, systolic: 130, diastolic: 80 },
      { ...none, heightCm: 160, weightKg: 50 },
      { ...none, temperature: 37.6 },
    ]);
    expect(merged).toEqual({
      ...none,
      temperature: 37.6,
      systolic: 130,
      diastolic: 80,
      heightCm: 160,
      weightKg: 50,
    });
    expect(mergeVitals([])).toBeNull();
  });
});

describe('問診', () => {
  it('needs 主訴 and, with アレルギーあり, what it is', () => {
    const r = intakeFields.safeParse({
      chiefComplaint: '',
      course: '',
      medication: '',
      allergy: 'yes',
      allergyDetail: '',
      pregnancy: 'na',
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['chiefComplaint', 'allergyDetail']);
  });

  it('becomes the S draft text', () => {
    expect(
      intakeText({
        chiefComplaint: '咳',
        course: '3日前から',
        medication: '',
        allergy: 'yes',
        allergyDetail: 'ペニシリン',
        pregnancy: 'na',
      }),
    ).toBe('主訴: 咳\n経過: 3日前から\nアレルギー: あり（ペニシリン）');
  });
});
