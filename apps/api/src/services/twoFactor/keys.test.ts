import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TwoFactorKeys } from './keys';

describe('2FA key file', () => {
  it('is made on first use (0600) and read again by another holder', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'karte-mfa-')), 'sub', 'mfa.key');
    const first = new TwoFactorKeys(file);
    const sealed = first.encrypt('JBSWY3DPEHPK3PXP', 'user-1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(new TwoFactorKeys(file).decrypt(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('binds a secret to its user and refuses a tampered or foreign one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'karte-mfa-'));
    const keys = new TwoFactorKeys(join(dir, 'a.key'));
    const sealed = keys.encrypt('JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(() => keys.decrypt(sealed, 'user-2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('AAAAAAAAAAAAAAAA').toString('base64url');
    expect(() => keys.decrypt(parts.join('.'), 'user-1')).toThrow();
    expect(() => new TwoFactorKeys(join(dir, 'b.key')).decrypt(sealed, 'user-1')).toThrow();
  });

  it('hashes recovery codes under the key, per user', () => {
    const dir = mkdtempSync(join(tmpdir(), 'karte-mfa-'));
    const a = new TwoFactorKeys(join(dir, 'a.key'));
    const b = new TwoFactorKeys(join(dir, 'b.key'));
    expect(a.codeHash('abcdefghij', 'u1')).toBe(a.codeHash('abcdefghij', 'u1'));
    expect(a.codeHash('abcdefghij', 'u1')).not.toBe(a.codeHash('abcdefghij', 'u2'));
    expect(a.codeHash('abcdefghij', 'u1')).not.toBe(b.codeHash('abcdefghij', 'u1'));
  });
});
