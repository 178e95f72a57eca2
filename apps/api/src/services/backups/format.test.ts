import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BackupError,
  type BackupMeta,
  CHUNK_SIZE,
  decryptStream,
  encryptStream,
  loadKey,
  MAGIC,
  readMetaUnverified,
} from './format';

const meta: BackupMeta = {
  kind: 'pglite',
  createdAt: '2026-12-01T03:00:00.000Z',
  migrations: 20,
  content: 'pglite-datadir-tgz',
};

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}
async function* pieces(buf: Buffer, size = 10_000) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
const encrypt = (plain: Buffer, key: Buffer) => collect(encryptStream(pieces(plain), key, meta));
const decrypt = (file: Buffer, key: Buffer) => collect(decryptStream(pieces(file, 7777), key));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (e instanceof BackupError ? e.code : `other: ${(e as Error).message}`),
  );

describe('backup file format', () => {
  const key = randomBytes(32);

  for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 200_001]) {
    it(`round-trips ${size} bytes, chunked, with the header readable without the key`, async () => {
      const plain = randomBytes(size);
      const file = await encrypt(plain, key);
      expect(file.subarray(0, 8).equals(MAGIC)).toBe(true);
      expect(file[8]).toBe(1); // version
      expect(readMetaUnverified(file)).toEqual(meta);
      // The plaintext does not show (a run of it would, unencrypted).
      if (size > 64) expect(file.includes(plain.subarray(0, 32))).toBe(false);
      expect((await decrypt(file, key)).equals(plain)).toBe(true);
    });
  }

  it('uses a fresh salt each time: the same data encrypts differently', async () => {
    const plain = Buffer.from('same data');
    expect((await encrypt(plain, key)).equals(await encrypt(plain, key))).toBe(false);
  });

  it('refuses a wrong key before giving out anything', async () => {
    const file = await encrypt(randomBytes(1000), key);
    expect(await codeOf(decrypt(file, randomBytes(32)))).toBe('wrong-key');
  });

  it('refuses a changed byte anywhere: header, meta, body, tag', async () => {
    const file = await encrypt(randomBytes(3 * CHUNK_SIZE + 5), key);
    for (const at of [9, 10, 60, 70, 100, CHUNK_SIZE, 2 * CHUNK_SIZE + 40, file.length - 1]) {
      const bad = Buffer.from(file);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      const code = await codeOf(decrypt(bad, key));
      expect(['damaged', 'unsupported-version', 'not-a-backup'], `byte ${at}: ${code}`).toContain(code);
    }
  });

  it('refuses a file cut off anywhere, and bytes appended after the end', async () => {
    const file = await encrypt(randomBytes(2 * CHUNK_SIZE + 100), key);
    for (const length of [
      0,
      10,
      70,
      200,
      CHUNK_SIZE,
      CHUNK_SIZE + 100,
      2 * CHUNK_SIZE + 60,
      file.length - 1,
    ]) {
      const code = await codeOf(decrypt(file.subarray(0, length), key));
      expect(['damaged', 'not-a-backup'], `cut at ${length}`).toContain(code);
    }
    expect(await codeOf(decrypt(Buffer.concat([file, Buffer.from([0])]), key))).toBe('damaged');
  });

  it('refuses chunks dropped or swapped', async () => {
    const plain = randomBytes(3 * CHUNK_SIZE + 10);
    const file = await encrypt(plain, key);
    const headerLength = file.length - (4 * (4 + 16) + plain.length);
    const chunk = (i: number) => {
      const start = headerLength + i * (4 + CHUNK_SIZE + 16);
      return file.subarray(start, start + 4 + CHUNK_SIZE + 16);
    };
    const head = file.subarray(0, headerLength);
    const tail = file.subarray(headerLength + 3 * (4 + CHUNK_SIZE + 16));
    const swapped = Buffer.concat([head, chunk(1), chunk(0), chunk(2), tail]);
    const dropped = Buffer.concat([head, chunk(0), chunk(2), tail]);
    const noFinal = Buffer.concat([head, chunk(0), chunk(1), chunk(2)]);
    expect(await codeOf(decrypt(swapped, key))).toBe('damaged');
    expect(await codeOf(decrypt(dropped, key))).toBe('damaged');
    expect(await codeOf(decrypt(noFinal, key))).toBe('damaged');
    expect(await codeOf(decrypt(Buffer.concat([head, chunk(0), chunk(1), chunk(2), tail]), key))).toBe('ok');
  });

  it('refuses what is not a backup, and a newer format version', async () => {
    expect(await codeOf(decrypt(Buffer.from('PGDMP custom dump, not encrypted …'.repeat(5)), key))).toBe(
      'not-a-backup',
    );
    const file = await encrypt(Buffer.from('x'), key);
    file[8] = 2;
    expect(await codeOf(decrypt(file, key))).toBe('unsupported-version');
  });

  it('makes the key file 0600 on first use and reads it back; a restore never invents one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'karte-key-'));
    const path = join(dir, 'keys', 'backup.key');
    expect(() => loadKey(path, { create: false })).toThrow(/鍵ファイル/);
    const made = loadKey(path, { create: true });
    expect(made.length).toBe(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadKey(path, { create: false }).equals(made)).toBe(true);
    expect(loadKey(path, { create: true }).equals(made)).toBe(true); // not replaced
    writeFileSync(path, 'too short');
    expect(() => loadKey(path, { create: false })).toThrow(BackupError);
    expect(readFileSync(path, 'utf8')).toBe('too short');
  });
});
