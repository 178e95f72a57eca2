import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Ed25519 key that signs audit checkpoints. It lives in a file the database never sees (KARTE_AUDIT_KEY_FILE);
 * its public key is written beside it (`<file>.pub`) for anyone who verifies without the private key.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** A short, stable name of a public key: sha256 of its SPKI encoding, first 16 hex digits. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Reads the signing key; on first use creates it (0600, its folder 0700) with its public key beside it. */
export function loadSigningKey(keyFile: string): SigningKey {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    const pair = generateKeyPairSync('ed25519');
    try {
      writeFileSync(keyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
      writeFileSync(`${keyFile}.pub`, pair.publicKey.export({ type: 'spki', format: 'pem' }), {
        mode: 0o644,
      });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = createPrivateKey(readFileSync(keyFile));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${keyFile} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * The public keys a verifier trusts, by key id: the signing key's own (derived, or from `<file>.pub`), and every
 * other `*.pub` in the key's folder (keys retired by a rotation). Never creates a key.
 */
export function loadVerifyKeys(keyFile: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const add = (k: KeyObject) => keys.set(keyIdOf(k), k);
  if (existsSync(keyFile)) add(createPublicKey(createPrivateKey(readFileSync(keyFile))));
  const folder = dirname(keyFile);
  if (existsSync(folder)) {
    for (const name of readdirSync(folder)) {
      if (!name.endsWith('.pub')) continue;
      try {
        const k = createPublicKey(readFileSync(join(folder, name)));
        if (k.asymmetricKeyType === 'ed25519') add(k);
      } catch {
        // not a key: ignored
      }
    }
  }
  return keys;
}
