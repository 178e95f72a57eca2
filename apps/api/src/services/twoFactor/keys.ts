import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The 2FA key: 32 random bytes in a file beside (not inside) the database, mode 0600, made on first use.
 * TOTP secrets are encrypted with it (AES-256-GCM, the user id as associated data, so a row copied to
 * another user does not decrypt) and recovery codes are stored as HMAC-SHA256 under it: a database
 * dump alone yields neither.
 */
export class TwoFactorKeys {
  private key: Buffer | null = null;

  constructor(private file: string) {}

  private master(): Buffer {
    if (this.key) return this.key;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      text = createKeyFile(this.file);
    }
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) throw new Error(`2FA key file ${this.file} does not hold a 32-byte base64 key`);
    this.key = key;
    return key;
  }

  private subkey(purpose: string) {
    return createHmac('sha256', this.master()).update(`karte-2fa:${purpose}`).digest();
  }

  encrypt(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.subkey('totp-secret'), iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string, boundTo: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable 2FA secret');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.subkey('totp-secret'),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** The stored form of a recovery code (normalised: lower case, no separators). */
  codeHash(code: string, userId: string): string {
    return createHmac('sha256', this.subkey('recovery-code')).update(`${userId}:${code}`).digest('hex');
  }
}

/** Writes a new key atomically (a link, so two processes starting at once end up with the same key). */
function createKeyFile(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const text = `${randomBytes(32).toString('base64')}\n`;
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(tmp, { force: true });
  }
}
