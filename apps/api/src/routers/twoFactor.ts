import { totpConfirmInput, totpDisableInput, twoFactorPolicyInput, twoFactorResetInput } from '@karte/domain';
import { actorOf } from '../services/audit';
import {
  changePolicy,
  confirmTotpEnrolment,
  disableTotp,
  overview,
  policyOf,
  resetUserFactors,
  startTotpEnrolment,
  twoFactorStatus,
} from '../services/twoFactor/totp';
import { authed, router } from '../trpc';

/** 2段階認証: TOTP enrolment, recovery codes and the facility's policy (issue #14). */
export const twoFactorRouter = router({
  /** One's own second factors and whether one must have one. */
  status: authed('authenticated').query(({ ctx }) =>
    twoFactorStatus(ctx.karte.db, ctx.config, ctx.auth.facility.id, ctx.auth.user.id, ctx.auth.user.role),
  ),

  /** Enrolment step 1: a new secret as a QR code and as text (unconfirmed until a code is typed). */
  startEnrolment: authed('authenticated').mutation(({ ctx }) =>
    startTotpEnrolment(
      ctx.karte.db,
      ctx.config,
      actorOf(ctx.auth, 'twoFactor.startEnrolment'),
      ctx.auth.facility.institutionCode,
      ctx.auth.user.username,
    ),
  ),

  /** Enrolment step 2: a code from the app; answers the recovery codes, shown this once. */
  confirmEnrolment: authed('authenticated')
    .input(totpConfirmInput)
    .mutation(({ ctx, input }) =>
      confirmTotpEnrolment(
        ctx.karte.db,
        ctx.config,
        actorOf(ctx.auth, 'twoFactor.confirmEnrolment'),
        input.code,
      ),
    ),

  /** Turns TOTP off (password + current code); enrolling again starts from startEnrolment. */
  disable: authed('authenticated')
    .input(totpDisableInput)
    .mutation(({ ctx, input }) =>
      disableTotp(
        ctx.karte.db,
        ctx.config,
        ctx.loginGuard,
        actorOf(ctx.auth, 'twoFactor.disable'),
        ctx.clientAddress,
        input.password,
        input.code,
      ),
    ),

  /** The facility's policy (administrators are always required unless relaxed by configuration). */
  policy: authed(['admin']).query(({ ctx }) => policyOf(ctx.karte.db, ctx.config, ctx.auth.facility.id)),

  setPolicy: authed(['admin'])
    .input(twoFactorPolicyInput)
    .mutation(async ({ ctx, input }) => {
      await changePolicy(ctx.karte.db, actorOf(ctx.auth, 'twoFactor.setPolicy'), input.others);
      return policyOf(ctx.karte.db, ctx.config, ctx.auth.facility.id);
    }),

  /** Who has enrolled what (the administrator's view). */
  users: authed(['admin']).query(({ ctx }) => overview(ctx.karte.db, ctx.auth.facility.id)),

  /** Removes a user's TOTP, recovery codes and passkeys (a lost phone); they enrol again at next login if required. */
  resetUser: authed(['admin'])
    .input(twoFactorResetInput)
    .mutation(({ ctx, input }) =>
      resetUserFactors(ctx.karte.db, actorOf(ctx.auth, 'twoFactor.resetUser'), input.userId),
    ),
});
