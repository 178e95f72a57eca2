import { router } from '../trpc';

/** ログイン中の端末: one's own sessions and, for the administrator, everyone's, with revoke (issue #14). */
export const sessionsRouter = router({});
