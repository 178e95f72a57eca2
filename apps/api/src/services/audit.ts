import { type AuditOutcome, appendAudit, auditTargetOf, type Database, type Tx } from '@karte/db';
import type { Auth } from './auth/sessions';

/** Who does what, where: what every service needs to scope and audit its work. */
export interface Actor {
  facilityId: string;
  userId: string;
  procedure: string;
}

export function actorOf(auth: Auth, procedure: string): Actor {
  return { facilityId: auth.facility.id, userId: auth.user.id, procedure };
}

/** Records a successful access to patient data, inside the transaction of the access. */
export function recordAccess(
  tx: Tx,
  actor: Actor,
  action: string,
  patientId: string | null,
  detail: Record<string, unknown> = {},
) {
  return appendAudit(tx, {
    facilityId: actor.facilityId,
    userId: actor.userId,
    patientId,
    action,
    procedure: actor.procedure,
    outcome: 'ok',
    detail,
  });
}

const outcomeByCode: Record<string, AuditOutcome> = {
  FORBIDDEN: 'denied',
  UNAUTHORIZED: 'denied',
  NOT_FOUND: 'denied',
  BAD_REQUEST: 'invalid',
  CONFLICT: 'conflict',
};

/**
 * A refused or failed request, with the patient it targeted when the input names one of this facility (the
 * input is read for the record only: resolved within the facility, a foreign id stays in the detail).
 */
export async function recordFailure(
  db: Database,
  auth: Auth,
  procedure: string,
  action: string,
  code: string,
  input?: unknown,
) {
  const target = await auditTargetOf(db, auth.facility.id, input);
  return appendAudit(db, {
    facilityId: auth.facility.id,
    userId: auth.user.id,
    patientId: target.patientId,
    action,
    procedure,
    outcome: outcomeByCode[code] ?? 'error',
    detail: target.claimed ? { code, claimedPatientId: target.claimed } : { code },
  });
}
