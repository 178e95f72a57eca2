import { passkeyRegisterInput, passkeyRemoveInput } from '@karte/domain';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { actorOf } from '../services/audit';
import {
  myPasskeys,
  registerPasskey,
  registrationOptions,
  removePasskey,
} from '../services/twoFactor/passkeys';
import { authed, router } from '../trpc';

/** パスキー (WebAuthn): one's own passkeys — register, list, remove (issue #14). Sign-in is in auth.*. */
export const passkeysRouter = router({
  list: authed('authenticated').query(({ ctx }) => myPasskeys(ctx.karte.db, ctx.auth)),

  /** The options for navigator.credentials.create (the challenge is kept for 5 minutes, bound to this session). */
  registrationOptions: authed('authenticated').mutation(({ ctx }) =>
    registrationOptions(ctx.karte.db, ctx.auth, ctx.origin),
  ),

  register: authed('authenticated')
    .input(passkeyRegisterInput)
    .mutation(({ ctx, input }) =>
      registerPasskey(
        ctx.karte.db,
        ctx.auth,
        actorOf(ctx.auth, 'passkeys.register'),
        ctx.origin,
        input.name,
        input.response as RegistrationResponseJSON,
      ),
    ),

  remove: authed('authenticated')
    .input(passkeyRemoveInput)
    .mutation(({ ctx, input }) =>
      removePasskey(ctx.karte.db, actorOf(ctx.auth, 'passkeys.remove'), input.id),
    ),
});
