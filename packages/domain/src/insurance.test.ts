import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  burdenRatio,
  checkInsurerNumber,
  checkPublicPayerNumber,
  elderlyStartDay,
  insuranceKindLabel,
  lastPreschoolDay,
  lateElderlyStartDay,
  publicSubsidyLabel,
  recipientNumberWarning,
} from './insurance';

const vectors = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../../shared/domain/test-vectors.json', import.meta.url)),
    'utf8',
  ),
) as { insurerNumberCheckDigit: { number: string; kind: string; expected: string }[] };

describe('保険者番号・公費負担者番号', () => {
  for (const v of vectors.insurerNumberCheckDigit) {
    it(`${v.number} (${v.kind}) is ${v.expected}`, () => {
      const problem = v.kind === 'insurer' ? checkInsurerNumber(v.number) : checkPublicPayerNumber(v.number);
      expect(problem === null).toBe(v.expected === 'valid');
    });
  }
  it('accepts 6-digit 国保 numbers with their check digit, refuses other lengths', () => {
    expect(checkInsurerNumber('138057')).toBeNull(); // 13805 → 7
    expect(checkInsurerNumber('138058')).toBe('checkDigit');
    expect(checkInsurerNumber('1234567')).toBe('format');
    expect(checkInsurerNumber('0113001２')).toBe('format');
  });
  it('names the kind of insurance by its 法別番号', () => {
    expect(insuranceKindLabel('01130012')).toBe('協会けんぽ');
    expect(insuranceKindLabel('06139999')).toBe('組合管掌健康保険');
    expect(insuranceKindLabel('39131234')).toBe('後期高齢者医療');
    expect(insuranceKindLabel('138057')).toBe('国民健康保険');
    expect(publicSubsidyLabel('54016027')).toBe('難病（特定医療費）');
    expect(publicSubsidyLabel('88131234')).toBe('地方単独');
  });
  it('warns, without refusing, on a 受給者番号 check digit mismatch', () => {
    expect(recipientNumberWarning('1234567', '54016027')).toContain('検証番号');
    expect(recipientNumberWarning('1234566', '54016027')).toBeNull(); // 123456 → 6
    expect(recipientNumberWarning('ABC-123456789', '88131234')).toBeNull(); // local scheme
  });
});

describe('負担割合 by age (NOTES §1.1)', () => {
  it('未就学: 2割 through the first 31 March after the 6th birthday', () => {
    // Born 2019-06-15: 6th birthday 2025-06-15 → 未就学 until 2026-03-31.
    expect(lastPreschoolDay('2019-06-15')).toBe('2026-03-31');
    expect(burdenRatio('2019-06-15', '2026-03-31')).toEqual({ wari: 2, reason: '未就学児' });
    expect(burdenRatio('2019-06-15', '2026-04-01').wari).toBe(3);
    // Born on 2 April: 6th birthday's eve is 1 April → the following 31 March.
    expect(lastPreschoolDay('2019-04-02')).toBe('2026-03-31');
    // Born on 1 April: the eve of the 6th birthday is 31 March → school starts that April.
    expect(lastPreschoolDay('2019-04-01')).toBe('2025-03-31');
    expect(burdenRatio('2019-04-01', '2025-03-31').wari).toBe(2);
    expect(burdenRatio('2019-04-01', '2025-04-01').wari).toBe(3);
  });
  it('70–74: 2割 (3割 現役並み) from the month after turning 70', () => {
    expect(elderlyStartDay('1956-05-20')).toBe('2026-06-01');
    expect(burdenRatio('1956-05-20', '2026-05-31').wari).toBe(3);
    expect(burdenRatio('1956-05-20', '2026-06-01')).toEqual({ wari: 2, reason: '高齢受給者' });
    expect(burdenRatio('1956-05-20', '2026-06-01', { activeIncome: true }).wari).toBe(3);
    // Born on the 1st: from the birthday month itself.
    expect(elderlyStartDay('1956-05-01')).toBe('2026-05-01');
    expect(elderlyStartDay('1955-12-10')).toBe('2026-01-01');
  });
  it('75+: 後期高齢者 from the 75th birthday itself', () => {
    expect(lateElderlyStartDay('1951-11-25')).toBe('2026-11-25');
    expect(burdenRatio('1951-11-25', '2026-11-24').wari).toBe(2);
    expect(burdenRatio('1951-11-25', '2026-11-25')).toEqual({ wari: 1, reason: '後期高齢者（1割）' });
    expect(burdenRatio('1951-11-25', '2026-11-25', { lateElderlyWari: 2 }).wari).toBe(2);
  });
  it('the eligibility response wins over the age rule, and says so', () => {
    expect(burdenRatio('1980-01-01', '2026-11-25', { fromEligibility: 2 })).toEqual({
      wari: 2,
      reason: '資格確認の結果',
    });
  });
});
