import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The encrypted backup file (version 1). Everything after the header is a sequence of AES-256-GCM chunks, so a
 * dump of any size is encrypted and checked as a stream:
 *
 *   header  "KARTEBAK" · version u8 (1) · kind u8 · reserved u16 · key id (8) · salt (32) · meta length u32 · meta JSON
 *   chunk   plaintext length u32 (≤ 64 KiB) · ciphertext · GCM tag (16)      … repeated, the last one flagged
 *
 * The file key is HKDF-SHA256(key-file key, salt); chunk i's nonce is i (u64) · 0 0 0 · final flag, and the whole
 * header is each chunk's additional data. So a changed byte anywhere, a reordered or dropped chunk, a cut-off
 * end (no final chunk) or bytes after the final chunk all fail; a different key is told apart by the key id.
 */
export const MAGIC = Buffer.from('KARTEBAK', 'latin1');
export const FORMAT_VERSION = 1;
export const CHUNK_SIZE = 64 * 1024;
const TAG = 16;
const FIXED = 8 + 1 + 1 + 2 + 8 + 32 + 4;

export type BackupKind = 'pglite' | 'postgres';
const kindCode: Record<BackupKind, number> = { pglite: 1, postgres: 2 };

export interface BackupMeta {
  kind: BackupKind;
  /** ISO time the backup was made. */
  createdAt: string;
  /** Applied migrations of the source database. */
  migrations: number;
  /** pglite: gzip tar of the data folder; postgres: pg_dump custom format. */
  content: 'pglite-datadir-tgz' | 'pg-dump-custom';
}

export type BackupErrorCode =
  | 'not-a-backup'
  | 'unsupported-version'
  | 'wrong-key'
  | 'damaged'
  | 'key-missing'
  | 'key-invalid'
  | 'not-empty'
  | 'locked'
  | 'no-pg-tools'
  | 'kind-mismatch'
  | 'failed';

/** A refusal with a message for the operator (Japanese, then English). */
export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

const damaged = () =>
  new BackupError(
    'damaged',
    'バックアップファイルが壊れているか改ざんされています。復元は行っていません。' +
      ' The backup file is damaged or has been altered; nothing was restored.',
  );

// ---- the key file ----------------------------------------------------------------------------------------

/**
 * Reads the 32-byte key (base64, one line). With `create`, a missing file is generated (0600, its folder 0700) —
 * the first backup does that; a restore never invents a key.
 */
export function loadKey(path: string, options: { create: boolean }): Buffer {
  if (!existsSync(path)) {
    if (!options.create)
      throw new BackupError(
        'key-missing',
        `鍵ファイル ${path} がありません。バックアップを作成したときの鍵ファイルを KARTE_BACKUP_KEY_FILE で指定してください。` +
          ` The key file ${path} does not exist; point KARTE_BACKUP_KEY_FILE at the key the backup was made with.`,
      );
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32)
    throw new BackupError(
      'key-invalid',
      `鍵ファイル ${path} の形式が正しくありません（32バイトの base64 が必要です）。` +
        ` The key file ${path} is not a 32-byte base64 key.`,
    );
  return key;
}

/** A short public fingerprint of the key, stored in the header to tell a wrong key from a damaged file. */
export function keyId(key: Buffer): Buffer {
  return createHash('sha256').update('karte-backup key id\0').update(key).digest().subarray(0, 8);
}

const fileKey = (key: Buffer, salt: Buffer) =>
  Buffer.from(hkdfSync('sha256', key, salt, 'karte-backup v1', 32));

function nonce(index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 0);
  n[11] = final ? 1 : 0;
  return n;
}

// ---- encryption --------------------------------------------------------------------------------------------

function header(key: Buffer, meta: BackupMeta): { header: Buffer; salt: Buffer } {
  const salt = randomBytes(32);
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const h = Buffer.alloc(FIXED + json.length);
  MAGIC.copy(h, 0);
  h[8] = FORMAT_VERSION;
  h[9] = kindCode[meta.kind];
  keyId(key).copy(h, 12);
  salt.copy(h, 20);
  h.writeUInt32BE(json.length, 52);
  json.copy(h, FIXED);
  return { header: h, salt };
}

function seal(k: Buffer, aad: Buffer, index: number, final: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', k, nonce(index, final));
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(plain.length, 0);
  return Buffer.concat([len, body, cipher.getAuthTag()]);
}

/** Encrypts a byte stream into the backup format, chunk by chunk (constant memory). */
export async function* encryptStream(
  source: AsyncIterable<Uint8Array>,
  key: Buffer,
  meta: BackupMeta,
): AsyncGenerator<Buffer> {
  const { header: h, salt } = header(key, meta);
  const k = fileKey(key, salt);
  yield h;
  let index = 0;
  let pending = Buffer.alloc(0);
  for await (const piece of source) {
    pending = pending.length ? Buffer.concat([pending, piece]) : Buffer.from(piece);
    // Keep at least one byte back: the final chunk must be the one that sees the end.
    while (pending.length > CHUNK_SIZE) {
      yield seal(k, h, index++, false, pending.subarray(0, CHUNK_SIZE));
      pending = pending.subarray(CHUNK_SIZE);
    }
  }
  yield seal(k, h, index, true, pending);
}

// ---- decryption --------------------------------------------------------------------------------------------

/** Reads exactly n bytes from an async byte source, keeping what is left over. */
class Reader {
  private buffered: Buffer[] = [];
  private size = 0;
  private done = false;
  constructor(private readonly it: AsyncIterator<Uint8Array>) {}
  async read(n: number): Promise<Buffer | null> {
    while (this.size < n && !this.done) {
      const next = await this.it.next();
      if (next.done) this.done = true;
      else if (next.value.length) {
        this.buffered.push(Buffer.from(next.value));
        this.size += next.value.length;
      }
    }
    if (this.size < n) return null;
    const all = this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.size = rest.length;
    return out;
  }
  async atEnd(): Promise<boolean> {
    return (await this.read(1)) === null;
  }
}

function parseHeader(fixed: Buffer): {
  version: number;
  kind: number;
  id: Buffer;
  salt: Buffer;
  metaLength: number;
} {
  if (!fixed.subarray(0, 8).equals(MAGIC))
    throw new BackupError(
      'not-a-backup',
      'Karte のバックアップファイルではありません。 This is not a Karte backup file.',
    );
  const version = fixed[8] ?? 0;
  if (version !== FORMAT_VERSION)
    throw new BackupError(
      'unsupported-version',
      `このバックアップの形式 (version ${version}) には対応していません。 Backup format version ${version} is not supported by this Karte.`,
    );
  return {
    version,
    kind: fixed[9] ?? 0,
    id: fixed.subarray(12, 20),
    salt: fixed.subarray(20, 52),
    metaLength: fixed.readUInt32BE(52),
  };
}

/**
 * Decrypts a backup stream: first the header (meta, via `onMeta`), then the plaintext chunk by chunk. A wrong
 * key fails before any plaintext; a damaged chunk throws where it is found — callers that restore must consume
 * the whole stream (to a temporary file) before using any of it.
 */
export async function* decryptStream(
  source: AsyncIterable<Uint8Array>,
  key: Buffer,
  onMeta?: (meta: BackupMeta) => void,
): AsyncGenerator<Buffer> {
  const reader = new Reader(source[Symbol.asyncIterator]());
  const fixed = await reader.read(FIXED);
  if (!fixed) {
    throw new BackupError(
      'not-a-backup',
      'Karte のバックアップファイルではありません（短すぎます）。 This is not a Karte backup file (too short).',
    );
  }
  const h = parseHeader(fixed);
  if (!h.id.equals(keyId(key)))
    throw new BackupError(
      'wrong-key',
      '鍵が違います。このバックアップを作成したときの鍵ファイルを指定してください。復元は行っていません。' +
        ' Wrong key: this backup was made with another key file; nothing was restored.',
    );
  if (h.metaLength > 64 * 1024) throw damaged();
  const metaBytes = await reader.read(h.metaLength);
  if (!metaBytes) throw damaged();
  const aad = Buffer.concat([fixed, metaBytes]);
  let meta: BackupMeta;
  try {
    meta = JSON.parse(metaBytes.toString('utf8')) as BackupMeta;
  } catch {
    throw damaged();
  }
  const k = fileKey(key, h.salt);
  // The meta is only trusted once the first chunk has authenticated the header it is part of.
  let index = 0;
  for (;;) {
    const len = await reader.read(4);
    if (!len) throw damaged(); // cut off before the final chunk
    const n = len.readUInt32BE(0);
    if (n > CHUNK_SIZE) throw damaged();
    const body = await reader.read(n + TAG);
    if (!body) throw damaged();
    const open = (final: boolean): Buffer | null => {
      const decipher = createDecipheriv('aes-256-gcm', k, nonce(index, final));
      decipher.setAAD(aad);
      decipher.setAuthTag(body.subarray(n));
      try {
        return Buffer.concat([decipher.update(body.subarray(0, n)), decipher.final()]);
      } catch {
        return null;
      }
    };
    let final = false;
    let plain = open(false);
    if (!plain) {
      plain = open(true);
      final = true;
    }
    if (!plain) throw damaged();
    if (index === 0) onMeta?.(meta);
    index++;
    if (plain.length) yield plain;
    if (final) {
      if (!(await reader.atEnd())) throw damaged(); // bytes appended after the end
      return;
    }
  }
}

/** Reads only the header of a backup (no key needed): for listings. */
export function readMetaUnverified(head: Buffer): BackupMeta | null {
  try {
    parseHeader(head);
    const len = head.readUInt32BE(52);
    return JSON.parse(head.subarray(FIXED, FIXED + len).toString('utf8')) as BackupMeta;
  } catch {
    return null;
  }
}
