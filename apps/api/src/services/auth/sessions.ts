import { createHash, randomBytes } from 'node:crypto';
import { type Database, endSession, getSessionRow, insertSession, touchSession } from '@karte/db';
import type { Role } from '@karte/domain';

export interface Auth {
  sessionId: string;
  user: { id: string; username: string; displayName: string; role: Role; mustChangePassword: boolean };
  facility: { id: string; name: string; institutionCode: string };
}

interface Cached {
  auth: Auth;
  createdAt: number;
  lastSeenAt: number;
  /** When the row was read: entries older than CACHE_MS are read again. */
  fetchedAt: number;
  /** When last_seen_at was last written. */
  touchedAt: number;
}

/** Why a session ended, as the login page says it. */
export type EndReason =
  | 'idle'
  | 'absolute'
  | 'logout'
  | 'disabled'
  | 'password'
  | 'relogin'
  | 'locked'
  | 'revoked'
  | 'revoked-self';
export const endReasonLabels: Record<EndReason, string> = {
  idle: '操作がない時間が続いたため、ログアウトしました（アイドル時間切れ）',
  absolute: 'ログインしてから最大の時間が経ったため、ログアウトしました（最大時間切れ）',
  logout: 'ログアウトしました',
  disabled: '管理者によりこの利用者が無効化されたため、ログアウトしました',
  password: 'パスワードが変更されたため、ログアウトしました（別の端末で変更されたか、管理者による変更）',
  relogin: '同じブラウザで別のログインが行われたため、以前のログインは終了しました',
  locked: 'パスワードを続けて誤ったため、ログアウトしました',
  revoked: '管理者がこの端末のログインを終了させたため、ログアウトしました',
  'revoked-self':
    '別の端末の「ログイン中の端末」から、この端末のログインが終了されたため、ログアウトしました',
};

export const SESSION_COOKIE = 'karte_session';
/** Set after a successful login: a browser that signed in before is served first when logins queue. */
export const DEVICE_COOKIE = 'karte_device';
// Sessions live in the database so any API process can serve any request. A short in-process
// cache spares the database a lookup on every call; logout and disabling a user drop the
// entry here at once, and other processes see it within CACHE_MS.
const CACHE_MS = 5_000;
const TOUCH_MS = 60_000;

export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionService {
  private cache = new Map<string, Cached>();

  constructor(
    private db: Database,
    private limits: { idleMs: number; absoluteMs: number },
  ) {}

  /** A new session; where it was started from (address, browser) is shown on the sessions pages. */
  async create(
    userId: string,
    facilityId: string,
    client: { address?: string; userAgent?: string } = {},
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await insertSession(this.db, {
      id: sessionIdOf(token),
      userId,
      facilityId,
      clientAddress: (client.address ?? '').slice(0, 100),
      userAgent: (client.userAgent ?? '').slice(0, 300),
    });
    return token;
  }

  /** The signed-in user for a cookie token, or null when absent, unknown, ended or expired. */
  async resolve(token: string | null, now = Date.now(), options: { background?: boolean } = {}) {
    return (await this.check(token, now, options)).auth;
  }

  /**
   * The signed-in user, or why the session of this cookie ended. Only what the user does extends a
   * session: a background request (polling, marked by the SPA) is served but leaves last-seen alone,
   * so an open screen that only polls still reaches the idle limit.
   */
  async check(
    token: string | null,
    now = Date.now(),
    options: { background?: boolean } = {},
  ): Promise<{ auth: Auth | null; ended: EndReason | null }> {
    if (!token) return { auth: null, ended: null };
    const id = sessionIdOf(token);
    let entry = this.cache.get(id);
    if (!entry || now - entry.fetchedAt > CACHE_MS) {
      const row = await getSessionRow(this.db, id);
      if (!row) {
        this.cache.delete(id);
        return { auth: null, ended: null };
      }
      if (row.session.endedAt) {
        this.cache.delete(id);
        return { auth: null, ended: (row.session.endReason as EndReason | null) ?? 'logout' };
      }
      if (!row.user.active) {
        await this.end(id, 'disabled');
        return { auth: null, ended: 'disabled' };
      }
      const lastSeenAt = Math.max(row.session.lastSeenAt.getTime(), entry?.lastSeenAt ?? 0);
      entry = {
        auth: {
          sessionId: id,
          user: {
            id: row.user.id,
            username: row.user.username,
            displayName: row.user.displayName,
            role: row.user.role,
            mustChangePassword: row.user.mustChangePassword,
          },
          facility: {
            id: row.facility.id,
            name: row.facility.name,
            institutionCode: row.facility.institutionCode,
          },
        },
        createdAt: row.session.createdAt.getTime(),
        lastSeenAt,
        fetchedAt: now,
        touchedAt: entry?.touchedAt ?? lastSeenAt,
      };
      this.cache.set(id, entry);
    }
    if (now - entry.createdAt > this.limits.absoluteMs) {
      await this.end(id, 'absolute');
      return { auth: null, ended: 'absolute' };
    }
    if (now - entry.lastSeenAt > this.limits.idleMs) {
      await this.end(id, 'idle');
      return { auth: null, ended: 'idle' };
    }
    if (!options.background) {
      entry.lastSeenAt = now;
      if (now - entry.touchedAt > TOUCH_MS) {
        entry.touchedAt = now;
        await touchSession(this.db, id);
      }
    }
    return { auth: entry.auth, ended: null };
  }

  async end(sessionId: string, reason: EndReason = 'logout') {
    this.cache.delete(sessionId);
    await endSession(this.db, sessionId, reason);
  }

  /** Forget one cached session (ended elsewhere, e.g. revoked on the sessions page). */
  forget(sessionId: string) {
    this.cache.delete(sessionId);
  }

  /** Forget cached sessions of a facility (its name or 医療機関コード changed). */
  forgetFacility(facilityId: string) {
    for (const [id, entry] of this.cache) if (entry.auth.facility.id === facilityId) this.cache.delete(id);
  }

  /** Forget cached sessions of a user (disabled, password changed). */
  forgetUser(userId: string) {
    for (const [id, entry] of this.cache) if (entry.auth.user.id === userId) this.cache.delete(id);
  }
}

// Behind a TLS reverse proxy (KARTE_TLS_PROXY / an https KARTE_PUBLIC_URL) cookies are Secure.
const flags = (secure: boolean) => `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

export function sessionCookie(token: string, maxAgeMs: number, secure = false): string {
  return `${SESSION_COOKIE}=${token}; ${flags(secure)}; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}

export function clearedSessionCookie(secure = false): string {
  return `${SESSION_COOKIE}=; ${flags(secure)}; Max-Age=0`;
}

export function deviceCookie(token: string, secure = false): string {
  return `${DEVICE_COOKIE}=${token}; ${flags(secure)}; Max-Age=${400 * 24 * 3600}`;
}

export function tokenFromCookieHeader(header: string | undefined, cookie = SESSION_COOKIE): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=') || null;
  }
  return null;
}
