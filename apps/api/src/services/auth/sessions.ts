import { createHash, randomBytes } from 'node:crypto';
import { type Database, endSession, getLiveSession, insertSession, touchSession } from '@karte/db';
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

export const SESSION_COOKIE = 'karte_session';
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

  async create(userId: string, facilityId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await insertSession(this.db, { id: sessionIdOf(token), userId, facilityId });
    return token;
  }

  /** The signed-in user for a cookie token, or null when absent, unknown, ended or expired. */
  async resolve(token: string | null, now = Date.now()): Promise<Auth | null> {
    if (!token) return null;
    const id = sessionIdOf(token);
    let entry = this.cache.get(id);
    if (!entry || now - entry.fetchedAt > CACHE_MS) {
      const row = await getLiveSession(this.db, id);
      if (!row?.user.active) {
        this.cache.delete(id);
        return null;
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
    if (now - entry.lastSeenAt > this.limits.idleMs || now - entry.createdAt > this.limits.absoluteMs) {
      await this.end(id);
      return null;
    }
    entry.lastSeenAt = now;
    if (now - entry.touchedAt > TOUCH_MS) {
      entry.touchedAt = now;
      await touchSession(this.db, id);
    }
    return entry.auth;
  }

  async end(sessionId: string) {
    this.cache.delete(sessionId);
    await endSession(this.db, sessionId);
  }

  /** Forget cached sessions of a user (disabled, password changed). */
  forgetUser(userId: string) {
    for (const [id, entry] of this.cache) if (entry.auth.user.id === userId) this.cache.delete(id);
  }
}

export function sessionCookie(token: string, maxAgeMs: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

export function tokenFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}
