/**
 * The audit chain anchored outside the database: each tampering a database owner can do — delete the tail and
 * rewind the head, rewrite the chain from an event on with recomputed hashes, edit a confirmed clinical row with
 * the triggers off, touch a checkpoint file — is done here directly in the database or the store, and the
 * verifier must name the first bad position.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendAudit,
  auditBody,
  auditHash,
  type Database,
  schema,
  searchAudit,
  toIsoTimestamp,
  verifyAuditChain,
} from '@karte/db';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFacility, errorCodeOf, loginAs, startTestApp, type TestApp } from '../../testing';
import { createCheckpoint } from './anchor';
import { checkpointName } from './checkpoint';
import { anchorDeps } from './service';
import { verifyAnchored } from './verify';

let app: TestApp;
let db: Database;
let deps: ReturnType<typeof anchorDeps>;
let codes = 1310900010;

beforeAll(async () => {
  app = await startTestApp();
  db = app.karte.db;
  deps = anchorDeps(app.config);
});
afterAll(() => app?.close());

/** A facility of its own with `n` events in its chain. */
async function facilityWith(n: number) {
  const { facility } = await addFacility(app.karte, String(codes++), `t${codes}`);
  await appendEvents(facility.id, n);
  return facility.id;
}

async function appendEvents(facilityId: string, n: number) {
  for (let i = 0; i < n; i++)
    await appendAudit(db, {
      facilityId,
      userId: null,
      patientId: null,
      action: 'read',
      procedure: 'test.event',
      outcome: 'ok',
      detail: { i },
    });
}

const checkpoint = (facilityId: string) =>
  createCheckpoint(db, deps, facilityId, { userId: null, procedure: 'test.checkpoint' });

/** Work done as the database's owner would: triggers off (the test connection is a superuser). */
const asOwner = (work: (tx: Database) => Promise<void>) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await work(tx as unknown as Database);
  });

const head = async (facilityId: string) =>
  (await db.select().from(schema.auditHeads).where(eq(schema.auditHeads.facilityId, facilityId)))[0];

describe('checkpoints', () => {
  it('anchor an intact chain: verified, signed up to the checkpoint, recorded in the chain', async () => {
    const f = await facilityWith(12);
    const first = await checkpoint(f);
    expect(first?.checkpoint).toMatchObject({ seq: 12, events: 12, fromSeq: 1, previous: null });
    await appendEvents(f, 3);
    const second = await checkpoint(f);
    // 12 events, the first checkpoint's own event (13), 3 more.
    expect(second?.checkpoint).toMatchObject({ seq: 16, fromSeq: 13, previous: { seq: 12 } });
    const r = await verifyAnchored(db, f, deps);
    expect(r).toMatchObject({ ok: true, events: 17, checkpoints: 2, anchoredSeq: 16, problems: [] });
    expect(r.latestCheckpoint?.seq).toBe(16);
    const [last] = await searchAudit(db, f, { limit: 1 });
    expect(last).toMatchObject({ action: 'audit-checkpoint', seq: 17 });
    expect(readFileSync(join(deps.store.location, f, checkpointName(16)), 'utf8')).toContain('"signature"');
  });

  it('detect deleted tail events with a rewound head (the chain alone still verifies)', async () => {
    const f = await facilityWith(20);
    await checkpoint(f); // signs 1..20; its event is 21
    await appendEvents(f, 5);
    await asOwner(async (tx) => {
      await tx.execute(sql`delete from audit_events where facility_id = ${f} and seq >= 15`);
      const [e14] = await tx
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.facilityId, f), eq(schema.auditEvents.seq, 14)));
      await tx.execute(sql`update audit_heads set seq = 14, hash = ${e14?.hash} where facility_id = ${f}`);
    });
    expect((await verifyAuditChain(db, f)).ok).toBe(true); // what the chain alone cannot see
    const r = await verifyAnchored(db, f, deps);
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toBe(15);
    expect(r.problems[0]).toMatchObject({ kind: 'truncated', seq: 15 });
    expect(r.problem).toContain('連番 15〜20 の記録が消えています');
    // And no new checkpoint blesses the shortened chain.
    await expect(checkpoint(f)).rejects.toThrow('前回のチェックポイント');
  });

  it('detect a chain rewritten from event k on with recomputed hashes and a consistent head', async () => {
    const f = await facilityWith(30);
    await checkpoint(f); // 1..30, event 31
    await appendEvents(f, 4); // 32..35 (not yet anchored)
    const k = 9;
    await asOwner(async (tx) => {
      const rows = await tx
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.facilityId, f), gte(schema.auditEvents.seq, k)))
        .orderBy(asc(schema.auditEvents.seq));
      let prev = rows[0]?.prevHash ?? '';
      for (const row of rows) {
        const detail = row.seq === k ? { i: 'hidden' } : row.detail;
        const body = auditBody({ ...row, detail, occurredAt: toIsoTimestamp(row.occurredAt) });
        const hash = auditHash(prev, row.seq, body);
        await tx.execute(sql`update audit_events set detail = ${JSON.stringify(detail)}::jsonb, prev_hash = ${prev},
          hash = ${hash} where id = ${row.id}`);
        prev = hash;
      }
      await tx.execute(sql`update audit_heads set hash = ${prev} where facility_id = ${f}`);
    });
    expect((await verifyAuditChain(db, f)).ok).toBe(true); // consistent as a chain
    const r = await verifyAnchored(db, f, deps);
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toBe(k);
    expect(r.problems[0]).toMatchObject({ kind: 'rewritten', seq: k });
    expect(r.problem).toContain('署名済みチェックポイントのハッシュと一致しません');
  });

  it('detect an event changed in place (hash no longer matches its columns)', async () => {
    const f = await facilityWith(6);
    await checkpoint(f);
    await asOwner(async (tx) => {
      await tx.execute(sql`update audit_events set action = 'search' where facility_id = ${f} and seq = 4`);
    });
    const r = await verifyAnchored(db, f, deps);
    expect(r.brokenAt).toBe(4);
    expect(r.problems[0]?.kind).toBe('content');
  });

  it('detect a checkpoint file changed, a checkpoint removed and one signed with another key', async () => {
    const f = await facilityWith(5);
    await checkpoint(f); // 1..5, event 6
    await appendEvents(f, 3);
    await checkpoint(f); // 6..9, event 10
    await appendEvents(f, 2);
    await checkpoint(f); // 10..12, event 13
    expect((await verifyAnchored(db, f, deps)).ok).toBe(true);

    // The middle checkpoint edited (its head moved back): the signature no longer holds.
    const middle = join(deps.store.location, f, checkpointName(9));
    const original = readFileSync(middle, 'utf8');
    writeFileSync(middle, original.replace('"events": 9', '"events": 8'));
    let r = await verifyAnchored(db, f, deps);
    expect(r.ok).toBe(false);
    // Anchoring holds up to the first checkpoint (5): from 6 on the record is no longer signed.
    expect(r.brokenAt).toBe(6);
    expect(r.problems[0]).toMatchObject({ kind: 'checkpoint', seq: 6 });
    expect(r.problem).toContain('署名が正しくありません');
    writeFileSync(middle, original);
    expect((await verifyAnchored(db, f, deps)).ok).toBe(true);

    // The newest checkpoint deleted: the chain's own record of it (event 13) finds it gone.
    const newest = join(deps.store.location, f, checkpointName(12));
    const kept = readFileSync(newest, 'utf8');
    unlinkSync(newest);
    r = await verifyAnchored(db, f, deps);
    expect(r.brokenAt).toBe(13);
    expect(r.problems[0]).toMatchObject({ kind: 'checkpoint-missing', seq: 13 });
    writeFileSync(newest, kept);

    // A checkpoint forged with a key of the attacker's: unknown key.
    const forged = anchorDeps({
      ...app.config,
      auditTrail: { ...app.config.auditTrail, keyFile: join(deps.store.location, '..', 'other', 'k.key') },
    });
    await appendEvents(f, 1);
    await createCheckpoint(db, { ...forged, store: deps.store }, f, {
      userId: null,
      procedure: 'test.checkpoint',
    }).catch(() => undefined); // refused: the newest checkpoint is not signed by the other key
    unlinkSync(join(deps.store.location, f, checkpointName(12)));
    unlinkSync(join(deps.store.location, f, checkpointName(9)));
    unlinkSync(join(deps.store.location, f, checkpointName(5)));
    await createCheckpoint(db, { ...forged, store: deps.store }, f, {
      userId: null,
      procedure: 'test.checkpoint',
    });
    r = await verifyAnchored(db, f, deps);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ kind: 'checkpoint', seq: 1 });
    expect(r.problem).toContain('署名の鍵');
  });
});

describe('confirmed clinical rows sealed in the chain', () => {
  it('detect a confirmed chart version and a lab result edited with the triggers off', async () => {
    const clerk = await loginAs(app.url, 'clerk');
    const doctor = await loginAs(app.url, 'doctor');
    const facilityId = (await doctor.auth.me.query()).auth?.facility.id ?? '';
    const created = await clerk.reception.registerPatient.mutate({
      familyName: '封印',
      givenName: '太郎',
      familyNameKana: 'フウイン',
      givenNameKana: 'タロウ',
      sex: 'male',
      birthDate: '1960-01-01',
      postalCode: '',
      address: '',
      phone: '',
      confirmDuplicate: true,
    });
    if (created.status !== 'created') throw new Error('setup');
    const patientId = created.patient.id;
    const enc = await doctor.chart.openEncounter.mutate({ patientId, visitId: null });
    const d = await doctor.chart.saveDraft.mutate({
      encounterId: enc.id,
      entryId: null,
      baseRev: 0,
      content: { s: '頭痛', o: '', a: '', p: '' },
      doctorId: null,
    });
    if (d.status !== 'saved') throw new Error('setup');
    await doctor.chart.confirm.mutate({ entryId: d.entryId, baseRev: d.draftRev, reason: '' });
    const confirmEvent = (await searchAudit(db, facilityId, { limit: 5 })).find(
      (e) => e.detail.what === 'entry-confirm',
    );
    expect(confirmEvent?.detail.sealed).toEqual([
      { t: 'entry_versions', k: `${d.entryId}:1`, h: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    await doctor.orders.addLabResults.mutate({
      patientId,
      results: [
        {
          collectedOn: '2026-11-20',
          code: '3A015000002327101',
          name: '',
          value: '4.2',
          unit: 'g/dL',
          range: '3.8-5.2',
        },
      ],
    });
    const labEvent = (await searchAudit(db, facilityId, { limit: 1 }))[0];
    const [lab] = await db.select().from(schema.labResults).where(eq(schema.labResults.patientId, patientId));
    expect(labEvent?.detail.sealed).toEqual([{ t: 'lab_results', k: lab?.id, h: expect.any(String) }]);
    await checkpoint(facilityId);
    const before = await verifyAnchored(db, facilityId, deps);
    expect(before.ok).toBe(true);
    expect(before.sealedRows).toBeGreaterThanOrEqual(2);

    // The triggers refuse the edit...
    await expect(
      db.execute(
        sql`update entry_versions set content = '{"s":"x","o":"","a":"","p":""}' where entry_id = ${d.entryId}`,
      ),
    ).rejects.toThrow();
    // ...so the owner turns them off.
    await asOwner(async (tx) => {
      await tx.execute(
        sql`update entry_versions set content = jsonb_set(content, '{s}', '"腹痛"') where entry_id = ${d.entryId}`,
      );
      await tx.execute(sql`update lab_results set value = '5.0', value_num = 5 where id = ${lab?.id}`);
    });
    const r = await verifyAnchored(db, facilityId, deps);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['row-changed', confirmEvent?.seq],
      ['row-changed', labEvent?.seq],
    ]);
    expect(r.brokenAt).toBe(confirmEvent?.seq);
    expect(r.problems[0]?.message).toContain(`診療記録の確定版（${d.entryId}:1）の内容が確定時と異なります`);
    expect(r.problems[1]?.message).toContain(`検査結果（${lab?.id}）`);

    // Put back as it was: it verifies again (the hash is of the content, not of the edit).
    await asOwner(async (tx) => {
      await tx.execute(
        sql`update entry_versions set content = jsonb_set(content, '{s}', '"頭痛"') where entry_id = ${d.entryId}`,
      );
      await tx.execute(sql`update lab_results set value = '4.2', value_num = 4.2 where id = ${lab?.id}`);
    });
    expect((await verifyAnchored(db, facilityId, deps)).ok).toBe(true);
    // A sealed row deleted.
    await asOwner(async (tx) => {
      await tx.execute(sql`delete from lab_results where id = ${lab?.id}`);
    });
    const gone = await verifyAnchored(db, facilityId, deps);
    expect(gone.problems).toEqual([expect.objectContaining({ kind: 'row-missing', seq: labEvent?.seq })]);
  });
});

describe('the admin’s procedures', () => {
  it('status, checkpoint and verify through the API, audited; others are refused', async () => {
    const f = await addFacility(app.karte, '1310900099', 'z');
    const admin = await loginAs(app.url, 'z-admin');
    expect(await admin.auditTrail.status.query()).toMatchObject({ latest: null, problem: null });
    const made = await admin.auditTrail.checkpoint.mutate();
    expect(made.created).toBe(true);
    const [event] = await searchAudit(db, f.facility.id, { limit: 1 });
    expect(event).toMatchObject({
      action: 'audit-checkpoint',
      procedure: 'auditTrail.checkpoint',
      userId: f.users.admin,
      outcome: 'ok',
    });
    expect((await admin.auditTrail.status.query()).latest).toMatchObject({ seq: made.seq });
    const report = await admin.auditTrail.verify.mutate();
    expect(report).toMatchObject({ ok: true, anchoredSeq: made.seq, checkpoints: 1 });
    expect((await searchAudit(db, f.facility.id, { limit: 1 }))[0]).toMatchObject({ action: 'audit-verify' });
    const nurse = await loginAs(app.url, 'z-nurse');
    expect(await errorCodeOf(nurse.auditTrail.checkpoint.mutate())).toBe('FORBIDDEN');
    // An event after the checkpoint changed: no checkpoint blesses it (refused, and the refusal recorded), and
    // verify names the position.
    const tampered = (await head(f.facility.id))?.seq ?? 0;
    await asOwner(async (tx) => {
      await tx.execute(
        sql`update audit_events set outcome = 'denied' where facility_id = ${f.facility.id} and seq = ${tampered}`,
      );
    });
    expect(await errorCodeOf(admin.auditTrail.checkpoint.mutate())).toBe('PRECONDITION_FAILED');
    expect((await searchAudit(db, f.facility.id, { limit: 1 }))[0]).toMatchObject({
      action: 'audit-checkpoint',
      outcome: 'error',
    });
    expect((await admin.auditTrail.verify.mutate()).brokenAt).toBe(tampered);
  });
});
