import { changePasswordInput, loginInput } from '@karte/domain';
import { changePassword, login } from '../services/auth/login';
import { clearedSessionCookie, sessionCookie } from '../services/auth/sessions';
import { authed, publicProcedure, router } from '../trpc';

export const authRouter = router({
  /** Who is signed in (null when nobody), and whether demo logins may be shown. */
  me: publicProcedure.query(({ ctx }) => ({
    auth: ctx.auth ? { user: ctx.auth.user, facility: ctx.auth.facility } : null,
    demo: ctx.config.demo,
  })),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { token } = await login(ctx.karte.db, ctx.sessions, ctx.config, input.username, input.password);
    ctx.setCookie(sessionCookie(token, ctx.config.session.absoluteMs));
    return { ok: true as const };
  }),

  logout: authed('authenticated').mutation(async ({ ctx }) => {
    await ctx.sessions.end(ctx.auth.sessionId);
    ctx.setCookie(clearedSessionCookie());
    return { ok: true as const };
  }),

  changePassword: authed('authenticated')
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) => {
      await changePassword(ctx.karte.db, ctx.sessions, ctx.auth, input.currentPassword, input.newPassword);
      // Every session of the user ended; this browser continues with a new one.
      const token = await ctx.sessions.create(ctx.auth.user.id, ctx.auth.facility.id);
      ctx.setCookie(sessionCookie(token, ctx.config.session.absoluteMs));
      return { ok: true as const };
    }),
});
