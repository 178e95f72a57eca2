import { actorOf } from '../services/audit';
import { anchorDeps, anchorStatus, checkpointNow, verifyNow } from '../services/auditTrail/service';
import { authed, router } from '../trpc';

const admin = ['admin'] as const;

/** 監査証跡の外部アンカー: signed checkpoints of each facility's audit chain, verified against the chain (issue #14). */
export const auditTrailRouter = router({
  status: authed(admin).query(({ ctx, path }) =>
    anchorStatus(anchorDeps(ctx.config), ctx.config, actorOf(ctx.auth, path)),
  ),
  checkpoint: authed(admin).mutation(({ ctx, path }) =>
    checkpointNow(ctx.karte.db, anchorDeps(ctx.config), actorOf(ctx.auth, path)),
  ),
  verify: authed(admin).mutation(({ ctx, path }) =>
    verifyNow(ctx.karte.db, anchorDeps(ctx.config), actorOf(ctx.auth, path)),
  ),
});
