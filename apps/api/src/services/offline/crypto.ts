/**
 * The offline export's encryption: AES-256-GCM with a key derived from the facility's passphrase by
 * PBKDF2-HMAC-SHA-256 — exactly what the page's WebCrypto does to open it (subtle.deriveKey + decrypt).
 * The envelope is ASCII JSON; its sha256 is the file's integrity hash (shown in the page and on the admin page).
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export const OFFLINE_FORMAT = 'karte-offline/1';
/** OWASP's figure for PBKDF2-HMAC-SHA256 (2023): about half a second in a browser, once per opening. */
export const OFFLINE_PBKDF2_ITERATIONS = 600_000;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface OfflineKey {
  /** The derived AES key (never the passphrase). */
  key: Buffer;
  salt: Buffer;
  iterations: number;
}

export interface OfflineEnvelope {
  format: typeof OFFLINE_FORMAT;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string; tagLength: 128 };
  /** Base64 of the UTF-8 JSON header (not personal: facility, day, time), bound to the ciphertext as AAD. */
  aad: string;
  /** Base64 of ciphertext ‖ tag, as WebCrypto's decrypt takes it. */
  ciphertext: string;
}

export async function deriveOfflineKey(
  passphrase: string,
  salt: Buffer = randomBytes(16),
  iterations = OFFLINE_PBKDF2_ITERATIONS,
): Promise<OfflineKey> {
  // NFC: the same text typed on another keyboard gives the same key (the page normalises likewise).
  const key = await pbkdf2Async(passphrase.normalize('NFC'), salt, iterations, KEY_BYTES, 'sha256');
  return { key, salt, iterations };
}

export function encryptOffline(
  k: OfflineKey,
  plaintext: string,
  header: Record<string, unknown>,
): OfflineEnvelope {
  const iv = randomBytes(IV_BYTES);
  const aad = Buffer.from(JSON.stringify(header), 'utf8');
  const cipher = createCipheriv('aes-256-gcm', k.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    format: OFFLINE_FORMAT,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: k.iterations, salt: k.salt.toString('base64') },
    cipher: { name: 'AES-GCM', iv: iv.toString('base64'), tagLength: 128 },
    aad: aad.toString('base64'),
    ciphertext: body.toString('base64'),
  };
}

/** The envelope as embedded in the page: this exact text is what the integrity hash covers. */
export const envelopeText = (e: OfflineEnvelope) => JSON.stringify(e);

export const sha256Hex = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Opens an envelope with the passphrase (tests and recovery tools; the page does the same in the browser). */
export async function decryptOffline(envelope: OfflineEnvelope, passphrase: string) {
  if (envelope.format !== OFFLINE_FORMAT) throw new Error(`unknown format ${String(envelope.format)}`);
  const salt = Buffer.from(envelope.kdf.salt, 'base64');
  const { key } = await deriveOfflineKey(passphrase, salt, envelope.kdf.iterations);
  return decryptWithKey(envelope, key);
}

export function decryptWithKey(envelope: OfflineEnvelope, key: Buffer) {
  const body = Buffer.from(envelope.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.cipher.iv, 'base64'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(envelope.aad, 'base64'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  return {
    header: JSON.parse(Buffer.from(envelope.aad, 'base64').toString('utf8')) as Record<string, unknown>,
    plaintext: plain.toString('utf8'),
  };
}

/** The envelope embedded in an exported page (tests, `npm` tools): null when there is none. */
export function envelopeOfHtml(html: string): { text: string; envelope: OfflineEnvelope } | null {
  const m = /<script type="application\/json" id="karte-offline-data">([^<]*)<\/script>/.exec(html);
  if (!m?.[1]) return null;
  return { text: m[1], envelope: JSON.parse(m[1]) as OfflineEnvelope };
}
