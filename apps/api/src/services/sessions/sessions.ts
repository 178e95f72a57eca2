import { appendAudit, type Database, endSessionByRef, listOpenSessions } from '@karte/db';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import type { Auth, SessionService } from '../auth/sessions';

type OpenSession = Awaited<ReturnType<typeof listOpenSessions>>[number];

/** A session as the pages show it: never its id (the token's hash), only its reference. */
function toView(row: OpenSession, currentSessionId: string) {
  return {
    ref: row.ref,
    user: { id: row.userId, username: row.username, displayName: row.displayName, role: row.role },
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    clientAddress: row.clientAddress,
    userAgent: row.userAgent,
    current: row.id === currentSessionId,
  };
}

/** ログイン中の端末: the signed-in user's own open sessions, this one marked. */
export async function mySessions(db: Database, auth: Auth) {
  const rows = await listOpenSessions(db, auth.facility.id, auth.user.id);
  return rows.map((r) => toView(r, auth.sessionId));
}

/** Everyone's open sessions in the administrator's facility. */
export async function facilitySessions(db: Database, auth: Auth) {
  const rows = await listOpenSessions(db, auth.facility.id);
  return rows.map((r) => toView(r, auth.sessionId));
}

/**
 * Ends a session by its reference, audited in the same transaction: one's own other session (`own`), or
 * any session of the facility (administrator). Another facility's session, or one already ended, is
 * NOT_FOUND. The session ends with a reason the login page explains.
 */
export async function revokeSession(
  db: Database,
  sessions: SessionService,
  actor: Actor,
  auth: Auth,
  ref: string,
  scope: 'own' | 'facility',
) {
  const ended = await db.transaction(async (tx) => {
    const mine = (await listOpenSessions(tx, actor.facilityId, auth.user.id)).find((s) => s.ref === ref);
    if (mine?.id === auth.sessionId)
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'この端末のログインは「ログアウト」で終了してください',
      });
    const reason = scope === 'own' ? 'revoked-self' : 'revoked';
    const row = await endSessionByRef(
      tx,
      actor.facilityId,
      ref,
      reason,
      scope === 'own' ? auth.user.id : undefined,
    );
    if (!row)
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: 'ログイン中の端末が見つかりません（既に終了している可能性があります）',
      });
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'revoke-session',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { sessionRef: ref, targetUserId: row.userId, reason },
    });
    return row;
  });
  sessions.forget(ended.id);
  return { ok: true as const };
}
