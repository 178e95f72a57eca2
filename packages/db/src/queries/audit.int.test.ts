import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KarteDb } from '../open';
import { openTestDb } from '../testing';
import { insertFacility } from './admin';
import { appendAudit, appendAuditMany, searchAudit, verifyAuditChain } from './audit';

let karte: KarteDb;
let facilityA: string;
let facilityB: string;

beforeAll(async () => {
  karte = await openTestDb();
  facilityA = (await insertFacility(karte.db, { institutionCode: '0110113719', name: 'A' })).id;
  facilityB = (await insertFacility(karte.db, { institutionCode: '1310000000', name: 'B' })).id;
});
afterAll(() => karte?.close());

const event = (facilityId: string, action = 'read') => ({
  facilityId,
  userId: null,
  patientId: null,
  action,
  procedure: 'test.proc',
  outcome: 'ok' as const,
  detail: { z: 1, a: { y: 'ー', b: [1, 2] } },
});

describe('audit trail', () => {
  it('chains events per facility and verifies them', async () => {
    for (let i = 0; i < 5; i++) await appendAudit(karte.db, event(facilityA));
    await appendAudit(karte.db, event(facilityB));
    const a = await verifyAuditChain(karte.db, facilityA);
    expect(a).toMatchObject({ ok: true, events: 5 });
    expect(await verifyAuditChain(karte.db, facilityB)).toMatchObject({ ok: true, events: 1 });
    const rows = await searchAudit(karte.db, facilityA, { limit: 10 });
    expect(rows.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(rows[0]?.prevHash).toBe(rows[1]?.hash);
  });

  it('verifies events whose detail holds dates (a row before and after a change), as stored', async () => {
    const f = (await insertFacility(karte.db, { institutionCode: '2710000008', name: 'D' })).id;
    const at = new Date('2026-11-30T12:34:56.789Z');
    await appendAudit(karte.db, {
      ...event(f),
      detail: { from: { updatedAt: at, errorAt: null }, to: { at } },
    });
    await karte.db.transaction((tx) =>
      appendAuditMany(tx, [{ ...event(f), detail: { when: at, list: [at] } }]),
    );
    expect(await verifyAuditChain(karte.db, f)).toMatchObject({ ok: true, events: 2 });
  });

  it('keeps the chain whole under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () => karte.db.transaction((tx) => appendAudit(tx, event(facilityA)))),
    );
    expect(await verifyAuditChain(karte.db, facilityA)).toMatchObject({ ok: true, events: 25 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database', async () => {
    await expect(karte.db.execute(sql`update audit_events set action = 'x'`)).rejects.toThrow();
    await expect(karte.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    await expect(karte.db.execute(sql`truncate audit_events`)).rejects.toThrow();
    expect(await verifyAuditChain(karte.db, facilityA)).toMatchObject({ ok: true, events: 25 });
  });

  it('detects tampering when the trigger is bypassed', async () => {
    // Someone with superuser rights disables the trigger and edits history: the verifier sees it.
    await karte.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(
        sql`update audit_events set action = 'forged' where facility_id = ${facilityA} and seq = 3`,
      );
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    const report = await verifyAuditChain(karte.db, facilityA);
    expect(report).toMatchObject({ ok: false, brokenAt: 3 });
    expect(await verifyAuditChain(karte.db, facilityB)).toMatchObject({ ok: true });
  });

  it('detects events removed from the end of the chain', async () => {
    await karte.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_append_only`);
      await tx.execute(sql`delete from audit_events where facility_id = ${facilityB}`);
      await tx.execute(sql`alter table audit_events enable trigger audit_events_append_only`);
    });
    expect(await verifyAuditChain(karte.db, facilityB)).toMatchObject({ ok: false });
  });

  it('appends batches across facilities, concurrently with single events, and the chains stay whole', async () => {
    // Two facilities without any event yet: the first batch creates each head.
    const c = (await insertFacility(karte.db, { institutionCode: '2710000000', name: 'C' })).id;
    const d = (await insertFacility(karte.db, { institutionCode: '2720000000', name: 'D' })).id;
    const batch = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => event(i % 3 === 0 ? d : c, `${tag}-${i}`));
    await Promise.all([
      karte.db.transaction((tx) => appendAuditMany(tx, batch(30, 'first'))),
      ...Array.from({ length: 10 }, () => karte.db.transaction((tx) => appendAudit(tx, event(c)))),
      karte.db.transaction((tx) => appendAuditMany(tx, batch(12, 'second'))),
      ...Array.from({ length: 5 }, () => karte.db.transaction((tx) => appendAudit(tx, event(d)))),
    ]);
    // 30 → 20 C + 10 D; 12 → 8 C + 4 D.
    expect(await verifyAuditChain(karte.db, c)).toMatchObject({ ok: true, events: 20 + 10 + 8 });
    expect(await verifyAuditChain(karte.db, d)).toMatchObject({ ok: true, events: 10 + 5 + 4 });
    // A batch keeps its order within the chain.
    const sends = (await searchAudit(karte.db, d, { limit: 50 }))
      .filter((r) => r.action.startsWith('first-'))
      .reverse();
    expect(sends.map((r) => r.action)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27].map((i) => `first-${i}`));
    expect(sends.map((r) => r.seq)).toEqual(sends.map((_, i) => (sends[0]?.seq ?? 0) + i));
    // A batch that fails leaves nothing behind: the head is not advanced either.
    await expect(
      karte.db.transaction(async (tx) => {
        await appendAuditMany(tx, batch(3, 'third'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await verifyAuditChain(karte.db, c)).toMatchObject({ ok: true, events: 38 });
    await appendAudit(karte.db, event(c));
    expect(await verifyAuditChain(karte.db, c)).toMatchObject({ ok: true, events: 39 });
  });
});
