import { appendAudit, type Database } from '@karte/db';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config';
import { type Actor, recordAccess } from '../audit';
import { CheckpointRefused, createCheckpoint, latestCheckpoint } from './anchor';
import { directoryStore } from './store';
import { type AnchorDeps, verifyAnchored } from './verify';

export function anchorDeps(config: Config): AnchorDeps {
  return { store: directoryStore(config.auditTrail.anchorDir), keyFile: config.auditTrail.keyFile };
}

/** The admin page's header: the newest checkpoint and the schedule. */
export async function anchorStatus(deps: AnchorDeps, config: Config, actor: Actor) {
  let latest: { seq: number; createdAt: string; keyId: string } | null = null;
  let problem: string | null = null;
  try {
    const c = await latestCheckpoint(deps, actor.facilityId);
    latest = c ? { seq: c.seq, createdAt: c.createdAt, keyId: c.keyId } : null;
  } catch (error) {
    if (!(error instanceof CheckpointRefused)) throw error;
    problem = error.message;
  }
  return { latest, problem, intervalMinutes: config.auditTrail.checkpointMinutes };
}

/** 「チェックポイントを作成」: audited in the checkpoint's transaction; a refusal is audited too. */
export async function checkpointNow(db: Database, deps: AnchorDeps, actor: Actor) {
  try {
    const done = await createCheckpoint(db, deps, actor.facilityId, {
      userId: actor.userId,
      procedure: actor.procedure,
    });
    if (!done) throw new Error('checkpoint skipped');
    return { seq: done.checkpoint.seq, createdAt: done.checkpoint.createdAt, created: done.created };
  } catch (error) {
    const message =
      error instanceof CheckpointRefused
        ? error.message
        : 'チェックポイントを保存できません（署名鍵または保管場所を確認してください）';
    await appendAudit(db, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'audit-checkpoint',
      procedure: actor.procedure,
      outcome: 'error',
      detail: { message },
    });
    if (!(error instanceof CheckpointRefused)) throw error;
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message, cause: error });
  }
}

/** 改ざん検証: the chain, the checkpoints and the sealed rows; the verification itself is recorded after. */
export async function verifyNow(db: Database, deps: AnchorDeps, actor: Actor) {
  const report = await verifyAnchored(db, actor.facilityId, deps);
  await recordAccess(db, actor, 'audit-verify', null, {
    ok: report.ok,
    events: report.events,
    anchoredSeq: report.anchoredSeq,
    ...(report.brokenAt ? { brokenAt: report.brokenAt, problems: report.problems.length } : {}),
  });
  return report;
}
