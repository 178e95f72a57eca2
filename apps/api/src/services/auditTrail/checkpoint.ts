import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '@karte/db';
import type { SigningKey } from './keys';

/**
 * A signed checkpoint of one facility's audit chain. Besides the head (seq, hash, count, time) it lists the hash
 * of every event since the previous checkpoint (first 16 bytes each, base64 in one string), and names the
 * previous checkpoint by digest: together the checkpoints anchor every event one by one, so a rewritten
 * segment is reported at its first event, and a removed checkpoint breaks the list of checkpoints.
 */
export interface Checkpoint {
  format: typeof FORMAT;
  facilityId: string;
  institutionCode: string;
  /** The last event anchored, and the number of events up to it. */
  seq: number;
  events: number;
  headHash: string;
  createdAt: string;
  /** The first event whose hash `hashes` lists (the previous checkpoint's seq + 1). */
  fromSeq: number;
  hashes: string;
  previous: { seq: number; digest: string } | null;
  keyId: string;
  signature: string;
}

export const FORMAT = 'karte-audit-checkpoint/1';
/** Bytes of each event hash kept in a checkpoint (128 bits). */
export const PREFIX_BYTES = 16;

export const checkpointName = (seq: number) => `${String(seq).padStart(12, '0')}.json`;

type Unsigned = Omit<Checkpoint, 'signature'>;

const signedText = (c: Unsigned) => {
  const { signature: _s, ...rest } = c as Checkpoint;
  return canonicalJson(rest);
};

/** What the next checkpoint names as its previous one. */
export const digestOf = (c: Unsigned & { signature?: string }) =>
  createHash('sha256').update(signedText(c)).digest('hex');

export function signCheckpoint(c: Omit<Unsigned, 'keyId' | 'format'>, key: SigningKey): Checkpoint {
  const unsigned: Unsigned = { format: FORMAT, ...c, keyId: key.keyId };
  const signature = sign(null, Buffer.from(signedText(unsigned)), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

/** The first bytes of each hex event hash, packed. */
export function packHashes(hexHashes: string[]): string {
  const buf = Buffer.alloc(hexHashes.length * PREFIX_BYTES);
  hexHashes.forEach((h, i) => {
    buf.write(h.slice(0, PREFIX_BYTES * 2), i * PREFIX_BYTES, 'hex');
  });
  return buf.toString('base64');
}

export type CheckpointCheck =
  | { ok: true; checkpoint: Checkpoint; hashes: Buffer }
  | { ok: false; reason: string; checkpoint?: Partial<Checkpoint> };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses a checkpoint file and checks its form and its signature against the trusted keys. */
export function checkCheckpoint(
  text: string,
  facilityId: string,
  name: string,
  keys: Map<string, KeyObject>,
): CheckpointCheck {
  let c: Checkpoint;
  try {
    c = JSON.parse(text) as Checkpoint;
  } catch {
    return { ok: false, reason: '読み取れません（JSON が壊れています）' };
  }
  if (c === null || typeof c !== 'object' || c.format !== FORMAT)
    return { ok: false, reason: '形式が正しくありません' };
  if (
    !isInt(c.seq) ||
    !isInt(c.fromSeq) ||
    !isInt(c.events) ||
    typeof c.headHash !== 'string' ||
    typeof c.hashes !== 'string' ||
    typeof c.signature !== 'string' ||
    typeof c.keyId !== 'string'
  )
    return { ok: false, reason: '形式が正しくありません', checkpoint: c };
  const key = keys.get(c.keyId);
  if (!key) return { ok: false, reason: `署名の鍵（${c.keyId}）が見つかりません`, checkpoint: c };
  let valid = false;
  try {
    valid = verify(null, Buffer.from(signedText(c)), key, Buffer.from(c.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: '署名が正しくありません（改ざん）', checkpoint: c };
  if (c.facilityId !== facilityId || checkpointName(c.seq) !== name)
    return { ok: false, reason: '別の医療機関または別の位置のチェックポイントです', checkpoint: c };
  const hashes = Buffer.from(c.hashes, 'base64');
  if (c.fromSeq < 1 || c.seq < c.fromSeq - 1 || hashes.length !== (c.seq - c.fromSeq + 1) * PREFIX_BYTES)
    return { ok: false, reason: '記録したハッシュの数が連番と合いません', checkpoint: c };
  return { ok: true, checkpoint: c, hashes };
}
