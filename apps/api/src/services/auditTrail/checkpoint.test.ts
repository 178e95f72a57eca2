import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCheckpoint, checkpointName, digestOf, packHashes, signCheckpoint } from './checkpoint';
import { loadSigningKey, loadVerifyKeys } from './keys';

const dir = mkdtempSync(join(tmpdir(), 'karte-cp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facilityId = '0b7c1f2e-1111-4222-8333-444455556666';
const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const body = (hashes: string[]) => ({
  facilityId,
  institutionCode: '1310123458',
  seq: hashes.length,
  events: hashes.length,
  headHash: hashes.at(-1) ?? '',
  createdAt: '2026-12-01T00:00:00.000Z',
  fromSeq: 1,
  hashes: packHashes(hashes),
  previous: null,
});

describe('checkpoint signing', () => {
  const keyFile = join(dir, 'keys', 'audit-signing.key');
  const key = loadSigningKey(keyFile);
  const hashes = ['a', 'b', 'c'].map(hex);

  it('creates the key on first use, private 0600, public beside it, and reads the same key again', () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${keyFile}.pub`, 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(loadSigningKey(keyFile).keyId).toBe(key.keyId);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('verifies a checkpoint it signed, with the private key or the public key alone', () => {
    const c = signCheckpoint(body(hashes), key);
    const ok = checkCheckpoint(JSON.stringify(c), facilityId, checkpointName(3), loadVerifyKeys(keyFile));
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.hashes.subarray(16, 32).toString('hex')).toBe(hashes[1]?.slice(0, 32));
    // A verifier holding only the .pub file.
    const pubOnly = join(dir, 'pub-only', 'missing.key');
    mkdirSync(join(dir, 'pub-only'));
    copyFileSync(`${keyFile}.pub`, join(dir, 'pub-only', 'old.pub'));
    expect(
      checkCheckpoint(JSON.stringify(c), facilityId, checkpointName(3), loadVerifyKeys(pubOnly)).ok,
    ).toBe(true);
  });

  it('refuses any change to a signed field, a forged signature, another key and another facility', () => {
    const c = signCheckpoint(body(hashes), key);
    const keys = loadVerifyKeys(keyFile);
    const name = checkpointName(3);
    const reason = (text: string, f = facilityId, n = name) => {
      const r = checkCheckpoint(text, f, n, keys);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(JSON.stringify({ ...c, events: 2 }))).toContain('署名が正しくありません');
    expect(reason(JSON.stringify({ ...c, hashes: packHashes(['a', 'x', 'c'].map(hex)) }))).toContain('署名');
    expect(reason(JSON.stringify({ ...c, signature: Buffer.alloc(64).toString('base64') }))).toContain(
      '署名',
    );
    const other = loadSigningKey(join(dir, 'other', 'k.key'));
    expect(reason(JSON.stringify(signCheckpoint(body(hashes), other)))).toContain('鍵');
    expect(reason(JSON.stringify(c), '0b7c1f2e-1111-4222-8333-000000000000')).toContain('別の医療機関');
    expect(reason(JSON.stringify(c), facilityId, checkpointName(4))).toContain('別の位置');
    expect(reason('{not json')).toContain('JSON');
    expect(reason(JSON.stringify(c))).toBe('ok');
  });

  it('names the previous checkpoint by a digest of its signed content', () => {
    const c = signCheckpoint(body(hashes), key);
    expect(digestOf(c)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestOf({ ...c, seq: 4 })).not.toBe(digestOf(c));
    // The signature is not part of the digest's input, the signed fields are.
    expect(digestOf({ ...c, signature: 'x' })).toBe(digestOf(c));
  });
});
