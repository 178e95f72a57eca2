import { randomBytes } from 'node:crypto';
import {
  changePasswordInput,
  loginInput,
  passkeyLoginInput,
  passkeyLoginOptionsInput,
  passkeySecondFactorInput,
  secondFactorInput,
  totpConfirmInput,
} from '@karte/domain';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DEMO_INSTITUTION_CODE as DEMO_FACILITY_CODE } from '../seed/seed';
import { changePassword, deviceIdOf, login } from '../services/auth/login';
import {
  clearedSessionCookie,
  deviceCookie,
  endReasonLabels,
  sessionCookie,
} from '../services/auth/sessions';
import { confirmForcedEnrolment, startForcedEnrolment } from '../services/twoFactor/forcedEnrolment';
import {
  passkeyLogin,
  passkeyLoginOptions,
  secondFactorOptions,
  verifySecondFactorPasskey,
} from '../services/twoFactor/passkeys';
import { clearedPendingCookie, pendingCookie, verifySecondFactorCode } from '../services/twoFactor/pending';
import { authed, type Context, publicProcedure, router } from '../trpc';

/** A full session for this browser: the session cookie, the pending state cleared, the device remembered. */
function signedIn(ctx: Context, token: string, userKey: string) {
  ctx.setCookie(sessionCookie(token, ctx.config.session.absoluteMs, ctx.config.tlsProxy));
  ctx.setCookie(clearedPendingCookie(ctx.config.tlsProxy));
  // This browser signed in: from now on it is served first when logins queue.
  const device = ctx.deviceToken ?? randomBytes(24).toString('base64url');
  ctx.loginGuard.devices.remember(deviceIdOf(device), userKey);
  if (!ctx.deviceToken) ctx.setCookie(deviceCookie(device, ctx.config.tlsProxy));
}

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

  /**
   * Step 1: 医療機関コード + ログインID + password. With a second factor (or one the policy requires and
   * the user lacks) no session yet: `next` says what the second screen asks, within 5 minutes.
   */
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.karte.db, ctx.sessions, ctx.config, ctx.loginGuard, ctx.log, {
      ...input,
      clientAddress: ctx.clientAddress,
      deviceToken: ctx.deviceToken,
      currentSessionId: ctx.auth?.sessionId ?? null,
      userAgent: ctx.userAgent,
    });
    if (result.pending) {
      ctx.setCookie(pendingCookie(result.token, ctx.config.tlsProxy));
      return result.pending.next === 'second-factor'
        ? { ok: true as const, next: 'second-factor' as const, methods: result.pending.methods }
        : { ok: true as const, next: 'enrol' as const, methods: null };
    }
    signedIn(ctx, result.token, result.userKey);
    return { ok: true as const, next: null, methods: null };
  }),

  /** Step 2: a code from the authenticator app, or a recovery code (each good once). */
  verifySecondFactor: publicProcedure.input(secondFactorInput).mutation(async ({ ctx, input }) => {
    const { token, userKey } = await verifySecondFactorCode(
      ctx.karte.db,
      ctx.sessions,
      ctx.config,
      ctx.loginGuard,
      {
        pendingToken: ctx.pendingToken,
        clientAddress: ctx.clientAddress,
        currentSessionId: ctx.auth?.sessionId ?? null,
        method: input.method,
        code: input.code,
      },
    );
    signedIn(ctx, token, userKey);
    return { ok: true as const };
  }),

  /** Step 2 with a passkey: the options for navigator.credentials.get. */
  secondFactorPasskeyOptions: publicProcedure.mutation(({ ctx }) =>
    secondFactorOptions(ctx.karte.db, ctx.pendingToken, ctx.origin),
  ),

  verifySecondFactorPasskey: publicProcedure
    .input(passkeySecondFactorInput)
    .mutation(async ({ ctx, input }) => {
      const { token, userKey } = await verifySecondFactorPasskey(
        ctx.karte.db,
        ctx.sessions,
        ctx.config,
        ctx.loginGuard,
        {
          pendingToken: ctx.pendingToken,
          origin: ctx.origin,
          clientAddress: ctx.clientAddress,
          currentSessionId: ctx.auth?.sessionId ?? null,
          response: input.response as AuthenticationResponseJSON,
        },
      );
      signedIn(ctx, token, userKey);
      return { ok: true as const };
    }),

  /** Enrolment forced by policy, before anything else: a new TOTP secret for the pending user. */
  enrolStart: publicProcedure.mutation(({ ctx }) =>
    startForcedEnrolment(ctx.karte.db, ctx.config, ctx.loginGuard, {
      pendingToken: ctx.pendingToken,
      clientAddress: ctx.clientAddress,
    }),
  ),

  /** Confirms the forced enrolment with a code: the recovery codes (shown once) and a full session. */
  enrolConfirm: publicProcedure.input(totpConfirmInput).mutation(async ({ ctx, input }) => {
    const { confirmed, token, userKey } = await confirmForcedEnrolment(
      ctx.karte.db,
      ctx.sessions,
      ctx.config,
      ctx.loginGuard,
      {
        pendingToken: ctx.pendingToken,
        clientAddress: ctx.clientAddress,
        currentSessionId: ctx.auth?.sessionId ?? null,
        code: input.code,
      },
    );
    signedIn(ctx, token, userKey);
    return confirmed;
  }),

  /** パスキーでログイン, step 1: the options for navigator.credentials.get (any passkey of this site). */
  passkeyLoginOptions: publicProcedure.input(passkeyLoginOptionsInput).mutation(async ({ ctx, input }) => {
    const { options, token } = await passkeyLoginOptions(
      ctx.karte.db,
      ctx.loginGuard,
      ctx.clientAddress,
      input.facilityCode,
      ctx.origin,
    );
    ctx.setCookie(
      token ? pendingCookie(token, ctx.config.tlsProxy) : clearedPendingCookie(ctx.config.tlsProxy),
    );
    return options;
  }),

  /** パスキーでログイン, step 2: a full session (user verification was required by the options). */
  passkeyLogin: publicProcedure.input(passkeyLoginInput).mutation(async ({ ctx, input }) => {
    const { token, userKey } = await passkeyLogin(ctx.karte.db, ctx.sessions, ctx.loginGuard, {
      pendingToken: ctx.pendingToken,
      origin: ctx.origin,
      clientAddress: ctx.clientAddress,
      currentSessionId: ctx.auth?.sessionId ?? null,
      response: input.response as AuthenticationResponseJSON,
    });
    signedIn(ctx, token, userKey);
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
