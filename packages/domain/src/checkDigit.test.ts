import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkInstitutionCode, hasValidLuhn, luhnCheckDigit } from './checkDigit';

// Test vectors from the shared domain notes (../shared/domain/test-vectors.json).
const vectorsPath = fileURLToPath(new URL('../../../../shared/domain/test-vectors.json', import.meta.url));
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as {
  insurerNumberCheckDigit: {
    id: string;
    number: string;
    expected: string;
    checkDigitFromAlgorithm: number;
  }[];
  institutionCode: { id: string; number: string; expected: string; checkDigitFromAlgorithm: number }[];
};

describe('Luhn check digit (保険者番号・公費負担者番号)', () => {
  for (const v of vectors.insurerNumberCheckDigit) {
    it(`${v.id}: ${v.number} is ${v.expected}`, () => {
      expect(luhnCheckDigit(v.number.slice(0, -1))).toBe(v.checkDigitFromAlgorithm);
      expect(hasValidLuhn(v.number)).toBe(v.expected === 'valid');
    });
  }
});

describe('医療機関コード', () => {
  for (const v of vectors.institutionCode) {
    it(`${v.id}: ${v.number} is ${v.expected}`, () => {
      expect(luhnCheckDigit(v.number.slice(0, -1))).toBe(v.checkDigitFromAlgorithm);
      expect(checkInstitutionCode(v.number) === null).toBe(v.expected === 'valid');
    });
  }
  it('rejects other formats, prefectures and 点数表 numbers', () => {
    expect(checkInstitutionCode('011011371')).toBe('format');
    expect(checkInstitutionCode('48101137x9')).toBe('format');
    expect(checkInstitutionCode('4810113710')).toBe('prefecture');
    expect(checkInstitutionCode('0010113710')).toBe('prefecture');
    // 歯科 (3) with a correct check digit is still not a 医科 code.
    const dental = `013011371${luhnCheckDigit('013011371')}`;
    expect(checkInstitutionCode(dental)).toBe('tensuhyo');
  });
});
