import { passwordProblem } from '@karte/domain';
import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../auth/commonPasswords';
import { generateTemporaryPassword } from './users';

describe('generateTemporaryPassword', () => {
  it('makes 14 characters without look-alikes that pass the whole password rule, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword('someone');
      expect(p).toMatch(/^[a-hjkmnp-zA-HJ-NP-Z2-9]{14}$/);
      expect(passwordProblem(p, 'someone', isCommonPassword)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});
