import { sessionRefInput } from '@karte/domain';
import { actorOf } from '../services/audit';
import { facilitySessions, mySessions, revokeSession } from '../services/sessions/sessions';
import { authed, router } from '../trpc';

/** ログイン中の端末: one's own sessions and, for the administrator, everyone's, with revoke (issue #14). */
export const sessionsRouter = router({
  mine: authed('authenticated').query(({ ctx }) => mySessions(ctx.karte.db, ctx.auth)),

  revokeMine: authed('authenticated')
    .input(sessionRefInput)
    .mutation(({ ctx, input, path }) =>
      revokeSession(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), ctx.auth, input.ref, 'own'),
    ),

  facility: authed(['admin']).query(({ ctx }) => facilitySessions(ctx.karte.db, ctx.auth)),

  revoke: authed(['admin'])
    .input(sessionRefInput)
    .mutation(({ ctx, input, path }) =>
      revokeSession(ctx.karte.db, ctx.sessions, actorOf(ctx.auth, path), ctx.auth, input.ref, 'facility'),
    ),
});
