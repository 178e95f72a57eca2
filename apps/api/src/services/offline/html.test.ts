import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptOffline,
  deriveOfflineKey,
  encryptOffline,
  envelopeOfHtml,
  OFFLINE_FORMAT,
  sha256Hex,
} from './crypto';
import { buildOfflineHtml, type OfflineHeader } from './html';

const header: OfflineHeader = {
  facility: 'テスト<クリニック>',
  institutionCode: '1310123458',
  date: '2026-12-01',
  generatedAt: '2026-12-01 05:00:00 (JST)',
  patients: 1,
};
const secret = JSON.stringify({ patients: [{ name: '山田 花子', allergy: 'ペニシリン' }] });

describe('offline encryption format', () => {
  it('round-trips with the passphrase and refuses a wrong one', async () => {
    const key = await deriveOfflineKey('correct horse battery', undefined, 1000);
    const env = encryptOffline(key, secret, { ...header });
    expect(env.format).toBe(OFFLINE_FORMAT);
    expect(env.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 1000 });
    expect(Buffer.from(env.cipher.iv, 'base64')).toHaveLength(12);
    const opened = await decryptOffline(env, 'correct horse battery');
    expect(opened.plaintext).toBe(secret);
    expect(opened.header).toEqual(header);
    await expect(decryptOffline(env, 'wrong horse battery')).rejects.toThrow();
  });

  it('binds the clear header: changing the day shown breaks decryption', async () => {
    const key = await deriveOfflineKey('correct horse battery', undefined, 1000);
    const env = encryptOffline(key, secret, { ...header });
    const forged = Buffer.from(JSON.stringify({ ...header, date: '2026-12-02' })).toString('base64');
    await expect(decryptOffline({ ...env, aad: forged }, 'correct horse battery')).rejects.toThrow();
  });

  it('uses a fresh IV each time under the same key', async () => {
    const key = await deriveOfflineKey('correct horse battery', undefined, 1000);
    const a = encryptOffline(key, secret, {});
    const b = encryptOffline(key, secret, {});
    expect(a.cipher.iv).not.toBe(b.cipher.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('is what WebCrypto opens (the page’s algorithm: PBKDF2 deriveKey, AES-GCM decrypt with AAD)', async () => {
    const key = await deriveOfflineKey('パスフレーズ　です12', undefined, 2000);
    const env = encryptOffline(key, secret, { ...header });
    const subtle = webcrypto.subtle;
    const base = await subtle.importKey(
      'raw',
      new TextEncoder().encode('パスフレーズ　です12'.normalize('NFC')),
      'PBKDF2',
      false,
      ['deriveKey'],
    );
    const aes = await subtle.deriveKey(
      {
        name: 'PBKDF2',
        hash: 'SHA-256',
        salt: Buffer.from(env.kdf.salt, 'base64'),
        iterations: env.kdf.iterations,
      },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const plain = await subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: Buffer.from(env.cipher.iv, 'base64'),
        additionalData: Buffer.from(env.aad, 'base64'),
        tagLength: 128,
      },
      aes,
      Buffer.from(env.ciphertext, 'base64'),
    );
    expect(new TextDecoder().decode(plain)).toBe(secret);
  });
});

describe('offline HTML builder', () => {
  it('is self-contained, has no personal data in clear, and states the payload hash', async () => {
    const key = await deriveOfflineKey('correct horse battery', undefined, 1000);
    const env = encryptOffline(key, secret, { ...header });
    const { html, hash } = buildOfflineHtml(header, env);
    expect(html).not.toContain('山田');
    expect(html).not.toContain('ペニシリン');
    // No request can leave the page: nothing to load, and a CSP that forbids it.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(|<link /i);
    expect(html).toContain("default-src 'none'");
    // The header is escaped, not parsed as markup.
    expect(html).toContain('テスト&lt;クリニック&gt;');
    const embedded = envelopeOfHtml(html);
    expect(embedded).not.toBeNull();
    expect(sha256Hex(embedded?.text ?? '')).toBe(hash);
    expect(html).toContain(`<span class="hash" id="stated-hash">${hash}</span>`);
    expect((await decryptOffline(embedded?.envelope ?? env, 'correct horse battery')).plaintext).toBe(secret);
  });

  it('allows exactly its own inline script by hash', async () => {
    const key = await deriveOfflineKey('correct horse battery', undefined, 1000);
    const { html } = buildOfflineHtml(header, encryptOffline(key, secret, {}));
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const digest = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(`script-src 'sha256-${digest}'`);
  });
});
