import { describe, expect, it } from 'vitest';
import { isRetryable, isUniqueViolation, pgErrorCode } from './errors';

describe('pgErrorCode', () => {
  it('finds the SQLSTATE anywhere along the cause chain, and nothing else', () => {
    const driver = Object.assign(new Error('duplicate key'), { code: '23505' });
    const wrapped = new Error('Failed query', { cause: driver });
    expect(pgErrorCode(wrapped)).toBe('23505');
    expect(isUniqueViolation(new Error('outer', { cause: wrapped }))).toBe(true);
    expect(
      isRetryable(new Error('x', { cause: Object.assign(new Error('deadlock'), { code: '40P01' }) })),
    ).toBe(true);
    expect(pgErrorCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(pgErrorCode(undefined)).toBeUndefined();
    expect(isUniqueViolation(new Error('plain'))).toBe(false);
  });
});
