import { actorOf } from '../services/audit';
import { backupOverview, startBackupNow } from '../services/backups';
import { authed, router } from '../trpc';

const admin = ['admin'] as const;

/** バックアップ: encrypted backups made on a schedule and on demand, their list and last result (issue #14). */
export const backupsRouter = router({
  overview: authed(admin).query(({ ctx }) => backupOverview(ctx.karte)),

  runNow: authed(admin).mutation(({ ctx, path }) => startBackupNow(ctx.karte, actorOf(ctx.auth, path))),
});
