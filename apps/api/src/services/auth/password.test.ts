import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('karte-demo');
    const b = await hashPassword('karte-demo');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('karte-demo', a)).toBe(true);
    expect(await verifyPassword('karte-demO', a)).toBe(false);
    expect(await verifyPassword('karte-demo', 'garbage')).toBe(false);
  });
});
