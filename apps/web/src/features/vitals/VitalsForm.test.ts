import { vitalFields } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { toValues } from './VitalsForm';

const texts = {
  temperature: '',
  systolic: '',
  diastolic: '',
  pulse: '',
  spo2: '',
  heightCm: '',
  weightKg: '',
};

describe('vitals form input', () => {
  it('reads full-width digits (IME) and leaves empty fields unmeasured', () => {
    expect(toValues({ ...texts, temperature: '３６．８', weightKg: ' 65 ' })).toEqual({
      temperature: 36.8,
      systolic: null,
      diastolic: null,
      pulse: null,
      spo2: null,
      heightCm: null,
      weightKg: 65,
    });
  });

  it('turns text that is not a number into a field error, not a silent blank', () => {
    const values = toValues({ ...texts, pulse: '72回' });
    expect(values.pulse).toBeNaN();
    const r = vitalFields.safeParse(values);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['pulse', '脈拍は数値で入力してください'],
    ]);
  });
});
