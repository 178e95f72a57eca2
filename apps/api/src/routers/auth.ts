import { randomBytes } from 'node:crypto';
import { changePasswordInput, loginInput } from '@karte/domain';
import { DEMO_INSTITUTION_CODE as DEMO_FACILITY_CODE } from '../seed/seed';
import { changePassword, deviceIdOf, login } from '../services/auth/login';
import {
  clearedSessionCookie,
  deviceCookie,
  endReasonLabels,
  sessionCookie,
} from '../services/auth/sessions';
import { authed, publicProcedure, router } from '../trpc';

export const authRouter = router({
  /**
   * Who is signed in (null when nobody), why the last session ended (for the login page), whether demo
   * logins may be shown and, in demo mode, the demo clinic's 医療機関コード to pre-fill.
   */
  me: publicProcedure.query(({ ctx }) => ({
    auth: ctx.auth ? { user: ctx.auth.user, facility: ctx.auth.facility } : null,
    ended:
      ctx.auth || !ctx.sessionEnded
        ? null
        : { reason: ctx.sessionEnded, message: endReasonLabels[ctx.sessionEnded] },
    demo: ctx.config.demo,
    demoFacilityCode: ctx.config.demo ? DEMO_FACILITY_CODE : null,
  })),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const { token, userKey } = await login(ctx.karte.db, ctx.sessions, ctx.config, ctx.loginGuard, ctx.log, {
      ...input,
      clientAddress: ctx.clientAddress,
      deviceToken: ctx.deviceToken,
      currentSessionId: ctx.auth?.sessionId ?? null,
      userAgent: ctx.userAgent,
    });
    ctx.setCookie(sessionCookie(token, ctx.config.session.absoluteMs, ctx.config.tlsProxy));
    // This browser signed in: from now on it is served first when logins queue.
    const device = ctx.deviceToken ?? randomBytes(24).toString('base64url');
    ctx.loginGuard.devices.remember(deviceIdOf(device), userKey);
    if (!ctx.deviceToken) ctx.setCookie(deviceCookie(device, ctx.config.tlsProxy));
    return { ok: true as const };
  }),

  logout: authed('authenticated').mutation(async ({ ctx }) => {
    await ctx.sessions.end(ctx.auth.sessionId, 'logout');
    ctx.setCookie(clearedSessionCookie(ctx.config.tlsProxy));
    return { ok: true as const };
  }),

  changePassword: authed('authenticated')
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) => {
      await changePassword(
        ctx.karte.db,
        ctx.sessions,
        ctx.config,
        ctx.loginGuard,
        ctx.auth,
        ctx.clientAddress,
        input.currentPassword,
        input.newPassword,
      );
      // Every session of the user ended; this browser continues with a new one.
      const token = await ctx.sessions.create(ctx.auth.user.id, ctx.auth.facility.id, {
        address: ctx.clientAddress,
        userAgent: ctx.userAgent,
      });
      ctx.setCookie(sessionCookie(token, ctx.config.session.absoluteMs, ctx.config.tlsProxy));
      return { ok: true as const };
    }),
});
