import {
  auditChainPages,
  currentRowHashes,
  type Database,
  getAuditHead,
  type Seal,
  type SealTable,
  sealsOf,
  sealTableLabels,
} from '@karte/db';
import { type Checkpoint, checkCheckpoint, digestOf, PREFIX_BYTES } from './checkpoint';
import { loadVerifyKeys } from './keys';
import type { AnchorStore } from './store';

export interface AnchorDeps {
  store: AnchorStore;
  keyFile: string;
}

export type ProblemKind =
  | 'gap' // an event missing in the middle
  | 'link' // prev_hash does not name the event before
  | 'content' // an event's columns no longer give its hash
  | 'head' // audit_heads does not match the last event
  | 'rewritten' // the event's hash differs from the one a checkpoint signed
  | 'truncated' // events a checkpoint signed are gone (tail deleted, head rewound)
  | 'checkpoint' // a checkpoint file is unreadable, forged or signed by an unknown key
  | 'checkpoint-missing' // a checkpoint is gone from the store
  | 'row-changed' // a confirmed clinical row differs from the hash sealed at confirmation
  | 'row-missing'; // a sealed row is gone

export interface AuditProblem {
  kind: ProblemKind;
  /** The first event (連番) concerned. */
  seq: number;
  message: string;
}

export interface AnchoredReport {
  facilityId: string;
  ok: boolean;
  /** Events walked (the chain's length when intact). */
  events: number;
  /** The first bad position and its message (the first of `problems`). */
  brokenAt?: number;
  problem?: string;
  problems: AuditProblem[];
  checkpoints: number;
  /** The last event anchored by a valid checkpoint. */
  anchoredSeq: number;
  latestCheckpoint: { seq: number; createdAt: string } | null;
  sealedRows: number;
  ms: number;
}

interface Anchors {
  valid: Checkpoint[];
  /** Hash prefixes by seq (seq s at (s - 1) * PREFIX_BYTES), and whether each seq is anchored. */
  prefixes: Buffer;
  covered: Uint8Array;
  anchoredSeq: number;
  problems: AuditProblem[];
  /** Digests of the valid checkpoints, by seq: what the chain's checkpoint events must find. */
  digests: Map<number, string>;
}

/** Reads, checks and links the facility's checkpoints. */
export async function loadAnchors(store: AnchorStore, facilityId: string, keyFile: string): Promise<Anchors> {
  const names = await store.list(facilityId);
  const keys = names.length ? loadVerifyKeys(keyFile) : new Map();
  const problems: AuditProblem[] = [];
  const valid: { c: Checkpoint; hashes: Buffer }[] = [];
  let lastGood: Checkpoint | null = null;
  for (const name of names) {
    const text = await store.read(facilityId, name);
    const seqOfName = Number(name.slice(0, 12));
    const from = (lastGood?.seq ?? 0) + 1;
    if (text === null) continue;
    const check = checkCheckpoint(text, facilityId, name, keys);
    if (!check.ok) {
      problems.push({
        kind: 'checkpoint',
        seq: from,
        message: `チェックポイント ${name}（連番 ${seqOfName} まで）: ${check.reason}`,
      });
      continue;
    }
    const c = check.checkpoint;
    const expectedPrevious = lastGood ? { seq: lastGood.seq, digest: digestOf(lastGood) } : null;
    if (
      (c.previous?.seq ?? null) !== (expectedPrevious?.seq ?? null) ||
      (c.previous?.digest ?? null) !== (expectedPrevious?.digest ?? null) ||
      c.fromSeq !== from
    ) {
      problems.push({
        kind: 'checkpoint-missing',
        seq: from,
        message: `チェックポイント ${name} の前のチェックポイント（連番 ${c.previous?.seq ?? 0} まで）が見つからないか一致しません（削除または差し替え）`,
      });
    }
    valid.push({ c, hashes: check.hashes });
    lastGood = c;
  }
  const anchoredSeq = valid.reduce((m, v) => Math.max(m, v.c.seq), 0);
  const prefixes = Buffer.alloc(anchoredSeq * PREFIX_BYTES);
  const covered = new Uint8Array(anchoredSeq + 1);
  for (const { c, hashes } of valid) {
    hashes.copy(prefixes, (c.fromSeq - 1) * PREFIX_BYTES);
    covered.fill(1, c.fromSeq, c.seq + 1);
  }
  return {
    valid: valid.map((v) => v.c),
    prefixes,
    covered,
    anchoredSeq,
    problems,
    digests: new Map(valid.map((v) => [v.c.seq, digestOf(v.c)])),
  };
}

const PAGE = 20_000;

/**
 * Walks the facility's chain against its checkpoints and the sealed clinical rows. Every problem is reported
 * with its 連番; the walk stops at the first break of the chain (what follows it proves nothing).
 */
export async function verifyAnchored(
  db: Database,
  facilityId: string,
  deps: AnchorDeps,
): Promise<AnchoredReport> {
  const started = performance.now();
  const anchors = await loadAnchors(deps.store, facilityId, deps.keyFile);
  const problems: AuditProblem[] = [...anchors.problems];
  const seals: { seq: number; seal: Seal }[] = [];
  const checkpointEvents: { seq: number; ref: { seq: number; digest: string } }[] = [];
  const headOfCheckpoint = new Map(anchors.valid.map((c) => [c.seq, c.headHash]));
  let prevHash = '';
  let expected = 1;
  let broken = false;
  const prefix = Buffer.alloc(PREFIX_BYTES);
  walk: for await (const page of auditChainPages(db, facilityId, 0, PAGE)) {
    for (const e of page) {
      const fail = (kind: ProblemKind, seq: number, message: string) => {
        problems.push({ kind, seq, message });
        broken = true;
      };
      if (e.seq !== expected) {
        fail('gap', expected, `連番 ${expected} の記録がありません（欠落）`);
        break walk;
      }
      if (e.prevHash !== prevHash) {
        fail('link', e.seq, `連番 ${e.seq}: 直前の記録とつながっていません（prev_hash 不一致）`);
        break walk;
      }
      if (e.computed !== e.hash) {
        fail('content', e.seq, `連番 ${e.seq}: 記録の内容がハッシュと一致しません（改ざん）`);
        break walk;
      }
      if (e.seq <= anchors.anchoredSeq && anchors.covered[e.seq]) {
        prefix.write(e.hash.slice(0, PREFIX_BYTES * 2), 0, 'hex');
        const at = (e.seq - 1) * PREFIX_BYTES;
        const head = headOfCheckpoint.get(e.seq);
        if (prefix.compare(anchors.prefixes, at, at + PREFIX_BYTES) !== 0 || (head && head !== e.hash)) {
          fail(
            'rewritten',
            e.seq,
            `連番 ${e.seq}: 署名済みチェックポイントのハッシュと一致しません（この記録以降が書き換えられています）`,
          );
          break walk;
        }
      }
      for (const s of sealsOf(e.detail)) {
        if (s.wellFormed) seals.push({ seq: e.seq, seal: s.seal });
        else
          problems.push({
            kind: 'row-missing',
            seq: e.seq,
            message: `連番 ${e.seq}: 確定記録の封印が読み取れません（改ざん）`,
          });
      }
      if (e.action === 'audit-checkpoint') {
        const ref = e.detail.checkpoint as { seq?: unknown; digest?: unknown } | undefined;
        if (ref && typeof ref.seq === 'number' && typeof ref.digest === 'string')
          checkpointEvents.push({ seq: e.seq, ref: { seq: ref.seq, digest: ref.digest } });
      }
      prevHash = e.hash;
      expected++;
    }
  }
  const events = expected - 1;
  if (!broken) {
    if (events < anchors.anchoredSeq) {
      problems.push({
        kind: 'truncated',
        seq: events + 1,
        message: `連番 ${events + 1}〜${anchors.anchoredSeq} の記録が消えています（署名済みチェックポイントにある末尾の記録の削除・ヘッドの巻き戻し）`,
      });
    } else {
      const head = await getAuditHead(db, facilityId);
      if (head.seq !== events || head.hash !== prevHash)
        problems.push({
          kind: 'head',
          seq: events + 1,
          message: `連番 ${events + 1}: 末尾の記録が欠けています（ヘッドと不一致）`,
        });
    }
  }
  // A checkpoint the chain says was written must still be in the store, unchanged.
  for (const { seq, ref } of checkpointEvents) {
    if (anchors.digests.get(ref.seq) !== ref.digest)
      problems.push({
        kind: 'checkpoint-missing',
        seq,
        message: `連番 ${seq} の記録にあるチェックポイント（連番 ${ref.seq} まで）が保管場所にありません（削除または差し替え）`,
      });
  }
  // Sealed rows: recomputed from the current rows, one query per table and 2,000 keys.
  const byTable = new Map<SealTable, { seq: number; seal: Seal }[]>();
  for (const s of seals) {
    const list = byTable.get(s.seal.t) ?? [];
    if (list.length === 0) byTable.set(s.seal.t, list);
    list.push(s);
  }
  for (const [table, list] of byTable) {
    const current = await currentRowHashes(
      db,
      facilityId,
      table,
      list.map((s) => s.seal.k),
    );
    for (const { seq, seal } of list) {
      const now = current.get(seal.k);
      if (now === seal.h) continue;
      problems.push(
        now === undefined
          ? {
              kind: 'row-missing',
              seq,
              message: `連番 ${seq} で確定した${sealTableLabels[table]}（${seal.k}）が見つかりません（削除）`,
            }
          : {
              kind: 'row-changed',
              seq,
              message: `連番 ${seq} で確定した${sealTableLabels[table]}（${seal.k}）の内容が確定時と異なります（改ざん）`,
            },
      );
    }
  }
  problems.sort((a, b) => a.seq - b.seq);
  const latest = anchors.valid.at(-1);
  const first = problems[0];
  return {
    facilityId,
    ok: problems.length === 0,
    events,
    ...(first ? { brokenAt: first.seq, problem: first.message } : {}),
    problems,
    checkpoints: anchors.valid.length,
    anchoredSeq: anchors.anchoredSeq,
    latestCheckpoint: latest ? { seq: latest.seq, createdAt: latest.createdAt } : null,
    sealedRows: seals.length,
    ms: Math.round(performance.now() - started),
  };
}
