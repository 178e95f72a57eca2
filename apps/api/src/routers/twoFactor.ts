import { router } from '../trpc';

/** 2段階認証: TOTP enrolment, recovery codes and the facility's policy (issue #14). */
export const twoFactorRouter = router({});
