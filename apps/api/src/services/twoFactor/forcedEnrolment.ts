import type { Database } from '@karte/db';
import type { Config } from '../../config';
import type { LoginGuard } from '../auth/loginGuard';
import type { SessionService } from '../auth/sessions';
import { completeSignIn, pendingSignIn } from './pending';
import { confirmTotpEnrolment, startTotpEnrolment } from './totp';

/**
 * Enrolment forced by the facility's policy: after the password, a user who must have a second factor and has
 * none gets no session until a TOTP code confirms a new secret. Both steps take the login limits.
 */
export interface ForcedEnrolmentRequest {
  pendingToken: string | null | undefined;
  clientAddress: string;
}

/** A new TOTP secret (QR and key) for the pending user. */
export async function startForcedEnrolment(
  db: Database,
  config: Config,
  guard: LoginGuard,
  req: ForcedEnrolmentRequest,
) {
  const pending = await pendingSignIn(db, req.pendingToken, 'enrol');
  guard.admit(req.clientAddress, pending.userKey);
  return startTotpEnrolment(
    db,
    config,
    { facilityId: pending.facility.id, userId: pending.user.id, procedure: 'auth.enrolStart' },
    pending.facility.institutionCode,
    pending.user.username,
  );
}

/** Confirms the forced enrolment with a code: the recovery codes (shown once) and a full session's token. */
export async function confirmForcedEnrolment(
  db: Database,
  sessions: SessionService,
  config: Config,
  guard: LoginGuard,
  req: ForcedEnrolmentRequest & { code: string; currentSessionId: string | null },
) {
  const pending = await pendingSignIn(db, req.pendingToken, 'enrol');
  guard.admit(req.clientAddress, pending.userKey);
  const actor = { facilityId: pending.facility.id, userId: pending.user.id, procedure: 'auth.enrolConfirm' };
  let confirmed: Awaited<ReturnType<typeof confirmTotpEnrolment>>;
  try {
    confirmed = await confirmTotpEnrolment(db, config, actor, req.code);
  } catch (error) {
    guard.failed(pending.userKey);
    throw error;
  }
  guard.succeeded(req.clientAddress);
  const token = await completeSignIn(
    db,
    sessions,
    pending,
    'auth.enrolConfirm',
    { address: req.clientAddress, method: 'totp', enrolled: true },
    req.currentSessionId,
  );
  return { confirmed, token, userKey: pending.userKey };
}
