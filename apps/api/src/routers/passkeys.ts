import { router } from '../trpc';

/** パスキー (WebAuthn): registration, sign-in instead of the password, and as a second factor (issue #14). */
export const passkeysRouter = router({});
