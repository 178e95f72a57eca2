import { router } from '../trpc';

/** バックアップ: encrypted backups made on a schedule and on demand, their list and last result (issue #14). */
export const backupsRouter = router({});
