import {
  appendAudit,
  auditChainPage,
  auditChainPages,
  type Database,
  getAuditHead,
  getFacility,
} from '@karte/db';
import { sql } from 'drizzle-orm';
import {
  type Checkpoint,
  checkCheckpoint,
  checkpointName,
  digestOf,
  packHashes,
  signCheckpoint,
} from './checkpoint';
import { loadSigningKey, loadVerifyKeys } from './keys';
import type { AnchorDeps } from './verify';

export class CheckpointRefused extends Error {}

/** The newest valid checkpoint of a facility (a forged or unreadable newest one is refused, not skipped). */
export async function latestCheckpoint(deps: AnchorDeps, facilityId: string) {
  const names = await deps.store.list(facilityId);
  const name = names.at(-1);
  if (!name) return null;
  const text = await deps.store.read(facilityId, name);
  const check = checkCheckpoint(text ?? '', facilityId, name, loadVerifyKeys(deps.keyFile));
  if (!check.ok) throw new CheckpointRefused(`最新のチェックポイント ${name} が不正です: ${check.reason}`);
  return check.checkpoint;
}

const PAGE = 20_000;

/**
 * Signs the facility's chain as it stands and stores the checkpoint outside the database. The events since the
 * previous checkpoint are verified first (a checkpoint never blesses a broken chain), and the checkpoint is
 * recorded in the chain (action audit-checkpoint, with its digest) in the same transaction: the next checkpoint
 * anchors that event, and the verifier finds a checkpoint removed from the store by it.
 * `scheduled`: skipped when nothing happened since the last one but its own event.
 */
export async function createCheckpoint(
  db: Database,
  deps: AnchorDeps,
  facilityId: string,
  by: { userId: string | null; procedure: string; scheduled?: boolean },
): Promise<{ checkpoint: Checkpoint; name: string; created: boolean } | null> {
  const key = loadSigningKey(deps.keyFile);
  return db.transaction(async (tx) => {
    // One checkpoint of a facility at a time, across processes.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`karte-audit-checkpoint:${facilityId}`}))`);
    const facility = await getFacility(tx, facilityId);
    if (!facility) throw new CheckpointRefused('医療機関が見つかりません');
    const previous = await latestCheckpoint(deps, facilityId);
    const head = await getAuditHead(tx, facilityId);
    if (previous && head.seq < previous.seq)
      throw new CheckpointRefused(
        `監査ログが前回のチェックポイント（連番 ${previous.seq}）より短くなっています。検証を実行してください`,
      );
    if (by.scheduled && previous && head.seq <= previous.seq + 1) {
      const [last] = await auditChainPage(tx, facilityId, head.seq - 1, 1);
      if (head.seq === previous.seq || last?.action === 'audit-checkpoint') return null;
    }
    // The events since the previous checkpoint, checked as the verifier would.
    const from = (previous?.seq ?? 0) + 1;
    let prevHash = previous?.headHash ?? '';
    if (previous) {
      const [at] = await auditChainPage(tx, facilityId, previous.seq - 1, 1);
      if (at?.hash !== previous.headHash)
        throw new CheckpointRefused(
          `連番 ${previous.seq} が前回のチェックポイントと一致しません。検証を実行してください`,
        );
    }
    const hashes: string[] = [];
    let expected = from;
    for await (const page of auditChainPages(tx, facilityId, expected - 1, PAGE, head.seq)) {
      for (const e of page) {
        if (e.seq !== expected || e.prevHash !== prevHash || e.computed !== e.hash) {
          throw new CheckpointRefused(
            `連番 ${expected} で監査ログのハッシュチェーンが切れています。検証を実行してください`,
          );
        }
        hashes.push(e.hash);
        prevHash = e.hash;
        expected++;
      }
    }
    if (expected - 1 !== head.seq || prevHash !== head.hash)
      throw new CheckpointRefused('監査ログのヘッドが最後の記録と一致しません。検証を実行してください');
    const name = checkpointName(head.seq);
    let checkpoint = signCheckpoint(
      {
        facilityId,
        institutionCode: facility.institutionCode,
        seq: head.seq,
        events: head.seq,
        headHash: head.hash,
        createdAt: new Date().toISOString(),
        fromSeq: from,
        hashes: packHashes(hashes),
        previous: previous ? { seq: previous.seq, digest: digestOf(previous) } : null,
      },
      key,
    );
    let created = true;
    if (head.seq === previous?.seq) {
      // Nothing new (asked for again at once): the checkpoint there stands.
      checkpoint = previous;
      created = false;
    } else if (!(await deps.store.create(facilityId, name, `${JSON.stringify(checkpoint, null, 1)}\n`))) {
      // Left by a transaction that did not commit: the same state signed, so it stands.
      const existing = checkCheckpoint(
        (await deps.store.read(facilityId, name)) ?? '',
        facilityId,
        name,
        loadVerifyKeys(deps.keyFile),
      );
      if (!existing.ok || existing.checkpoint.headHash !== head.hash)
        throw new CheckpointRefused(
          `連番 ${head.seq} のチェックポイントが既にあり、内容が一致しません。検証を実行してください`,
        );
      checkpoint = existing.checkpoint;
      created = false;
    }
    await appendAudit(tx, {
      facilityId,
      userId: by.userId,
      patientId: null,
      action: 'audit-checkpoint',
      procedure: by.procedure,
      outcome: 'ok',
      detail: {
        checkpoint: { seq: checkpoint.seq, digest: digestOf(checkpoint) },
        keyId: checkpoint.keyId,
        ...(by.scheduled ? { scheduled: true } : {}),
      },
    });
    return { checkpoint, name, created };
  });
}
