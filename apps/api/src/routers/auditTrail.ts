import { router } from '../trpc';

/** 監査証跡の外部アンカー: signed checkpoints of each facility's audit chain, verified against the chain (issue #14). */
export const auditTrailRouter = router({});
