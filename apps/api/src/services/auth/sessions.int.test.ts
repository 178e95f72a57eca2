import { insertFacility, insertUser, type KarteDb } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionService, sessionIdOf } from './sessions';

let karte: KarteDb;
let userId: string;
let facilityId: string;
const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

beforeAll(async () => {
  karte = await openTestDb();
  facilityId = (await insertFacility(karte.db, { institutionCode: '0110113719', name: 'A' })).id;
  userId =
    (
      await insertUser(karte.db, facilityId, {
        username: 'u',
        displayName: 'U',
        role: 'clerk',
        passwordHash: 'x',
      })
    )?.id ?? '';
});
afterAll(() => karte?.close());

describe('session expiry', () => {
  it('ends a session left idle too long', async () => {
    const sessions = new SessionService(karte.db, limits);
    const token = await sessions.create(userId, facilityId);
    const t0 = Date.now();
    expect(await sessions.resolve(token, t0)).not.toBeNull();
    expect(await sessions.resolve(token, t0 + 29 * 60_000)).not.toBeNull(); // activity keeps it alive
    expect(await sessions.resolve(token, t0 + 58 * 60_000)).not.toBeNull();
    expect(await sessions.resolve(token, t0 + 89 * 60_000)).toBeNull(); // 31 minutes idle
    // Ended for good, also for another process that never cached it.
    expect(await new SessionService(karte.db, limits).resolve(token, t0 + 89 * 60_000)).toBeNull();
  });

  it('ends a session after the absolute limit however active', async () => {
    const sessions = new SessionService(karte.db, limits);
    const token = await sessions.create(userId, facilityId);
    const t0 = Date.now();
    for (let m = 0; m < 12 * 60; m += 20)
      expect(await sessions.resolve(token, t0 + m * 60_000)).not.toBeNull();
    expect(await sessions.resolve(token, t0 + 12 * 3_600_000 + 60_000)).toBeNull();
  });

  it('background polling does not keep a session alive; what the user does does', async () => {
    const sessions = new SessionService(karte.db, limits);
    const token = await sessions.create(userId, facilityId);
    const t0 = Date.now();
    expect(await sessions.resolve(token, t0)).not.toBeNull();
    // An open board polls every few seconds for 40 minutes; nobody touches the screen.
    for (let s = 5; s <= 30 * 60 - 5; s += 5)
      expect(await sessions.resolve(token, t0 + s * 1000, { background: true })).not.toBeNull();
    const ended = await sessions.check(token, t0 + 31 * 60_000, { background: true });
    expect(ended).toEqual({ auth: null, ended: 'idle' });
    // The reason stays with the ended session, for any process asked later.
    expect((await new SessionService(karte.db, limits).check(token)).ended).toBe('idle');
  });

  it('tells why a session ended: absolute limit, logout, disabled', async () => {
    const sessions = new SessionService(karte.db, limits);
    const a = await sessions.create(userId, facilityId);
    const t0 = Date.now();
    expect((await sessions.check(a, t0 + 12 * 3_600_000 + 1)).ended).toBe('absolute');
    const b = await sessions.create(userId, facilityId);
    await sessions.resolve(b);
    await sessions.end(sessionIdOf(b), 'logout');
    expect((await sessions.check(b)).ended).toBe('logout');
  });

  it('knows nothing of unknown tokens', async () => {
    expect(await new SessionService(karte.db, limits).resolve('forged-token')).toBeNull();
  });
});
