import { insertFacility, insertUser, type KarteDb } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionService } from './sessions';

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

  it('knows nothing of unknown tokens', async () => {
    expect(await new SessionService(karte.db, limits).resolve('forged-token')).toBeNull();
  });
});
