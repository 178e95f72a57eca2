/** Code-to-label tables are plain objects: a key inherited from Object (constructor …) is not a code. */
import { describe, expect, it } from 'vitest';
import { limitCategoryLabel } from '../insurance';
import { coverageFields } from './visit';

const coverage = {
  insurerNumber: '01130012',
  symbol: '記号',
  number: '123',
  branch: '',
  relationship: 'self',
  acquiredOn: '',
  validUntil: '',
  limitCategory: '',
  wariOverride: '',
};

describe('label lookups', () => {
  it('refuses 限度額適用区分 constructor / toString and labels only own codes', () => {
    for (const limitCategory of ['constructor', 'toString', '__proto__']) {
      const r = coverageFields.safeParse({ ...coverage, limitCategory });
      expect(r.success).toBe(false);
      expect(limitCategoryLabel(limitCategory)).toBe('');
    }
    expect(coverageFields.safeParse({ ...coverage, limitCategory: 'A03' }).success).toBe(true);
    expect(limitCategoryLabel('A03')).toBe('ウ');
  });
});
