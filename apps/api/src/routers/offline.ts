import { router } from '../trpc';

/** 見読性: the encrypted offline HTML export of the day's patients, made on a schedule and on demand (issue #14). */
export const offlineRouter = router({});
