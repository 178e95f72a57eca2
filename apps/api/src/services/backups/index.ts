import { appendAudit, type Database, type KarteDb } from '@karte/db';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import { recordAccess } from '../audit';
import type { BackupScheduler } from './schedule';

/** The running server's scheduler, by its database (set by startKarte, cleared on close). */
const schedulers = new WeakMap<KarteDb, BackupScheduler>();

export function registerBackupScheduler(karte: KarteDb, scheduler: BackupScheduler | undefined): void {
  if (scheduler) schedulers.set(karte, scheduler);
  else schedulers.delete(karte);
}

/**
 * The backup page: schedule, last success and failure, the files. A backup is of the whole installation (every
 * clinic of this database): the page names files, sizes and times only, never their contents.
 */
export function backupOverview(karte: KarteDb) {
  const s = schedulers.get(karte);
  if (!s) return { status: { enabled: false, at: '', keep: 0 }, files: [] };
  const { dir: _dir, ...status } = s.status(); // the server's folder layout stays on the server
  return { status, files: s.files() };
}

/**
 * 「今すぐバックアップ」: starts a backup and returns at once (the page follows its progress). The request is
 * audited when made, the outcome when it is known.
 */
export async function startBackupNow(karte: KarteDb, actor: Actor) {
  const s = schedulers.get(karte);
  if (!s?.enabled)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'バックアップの保存先が設定されていません（KARTE_BACKUP_DIR）',
    });
  if (s.isRunning()) throw new TRPCError({ code: 'CONFLICT', message: 'バックアップを実行中です' });
  await recordAccess(karte.db, actor, 'backup', null, { trigger: 'manual' });
  const done = s.run('manual');
  void done.then((outcome) => auditOutcome(karte.db, actor, outcome).catch(() => {}));
  return { started: true };
}

function auditOutcome(
  db: Database,
  actor: Actor,
  outcome: { file?: string; bytes?: number; reason?: string },
) {
  return appendAudit(db, {
    facilityId: actor.facilityId,
    userId: actor.userId,
    patientId: null,
    action: 'backup-result',
    procedure: actor.procedure,
    outcome: outcome.file ? 'ok' : 'error',
    detail: outcome.file
      ? { file: outcome.file, bytes: outcome.bytes }
      : { reason: outcome.reason?.slice(0, 500) },
  });
}
