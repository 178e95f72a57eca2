/**
 * Issue #12-2: a withdrawn consent stops documents. The demo patient's queued Bundles (all six kinds) wait
 * (no share service configured); then consent is withdrawn and a worker with a recording port drains the
 * queue: only the deletions may go, the documents are cancelled (取消（同意撤回）), and 再送 is refused.
 */
import { getConsent, schema, setConsent } from '@karte/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShareWorker } from '../../jobs/shareWorker';
import { log } from '../../log';
import type { ShareServicePort } from '../../ports/share';
import { loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let clerk: TestClient;
let doctor: TestClient;

/** A share service that accepts everything and remembers what it got. */
function recordingPort() {
  const posted: { identifier: string; patientOnly: boolean }[] = [];
  const port: ShareServicePort = {
    async submit(bundle) {
      const b = JSON.parse(typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
      posted.push({ identifier: b.identifier?.value, patientOnly: (b.entry ?? []).length <= 2 });
      return { outcome: 'accepted', httpStatus: 201, message: '' };
    },
  };
  return { port, posted };
}

async function drainWith(port: ShareServicePort) {
  const worker = await startShareWorker(app.karte, port, log, { backoffBaseSeconds: 0.01 });
  try {
    await worker.drain();
  } finally {
    await worker.stop();
  }
}

const documentKinds = ['referral', 'discharge', 'checkup'];

beforeAll(async () => {
  app = await startTestApp(); // no SHARE_SERVICE_URL: the seed's submissions wait in the queue
  clerk = await loginAs(app.url, 'clerk');
  doctor = await loginAs(app.url, 'doctor');
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('consent withdrawal and the share queue', () => {
  it('withdrawal cancels the pending documents; the worker sends only deletions; 再送 is refused with the reason', async () => {
    const queued = await app.karte.db.select().from(schema.shareSubmissions);
    const docs = queued.filter((r) => documentKinds.includes(r.kind));
    expect(docs.map((r) => r.kind).sort()).toEqual(['checkup', 'discharge', 'referral']);
    expect(docs.every((r) => r.status === 'pending')).toBe(true);
    const patientId = docs[0]!.patientId;

    await clerk.sharing.setConsent.mutate({ patientId, withdrawn: true });
    const status = await doctor.sharing.patientSubmissions.query({ patientId });
    for (const s of status.submissions.filter((x) => documentKinds.includes(x.kind)))
      expect(s.state, s.kind).toBe('取消（同意撤回）');

    const { port, posted } = recordingPort();
    await drainWith(port);
    const docIds = new Set(docs.map((d) => d.identifier));
    expect(posted.filter((p) => docIds.has(p.identifier))).toEqual([]);
    // Only the Patient-only Bundles that delete what might have been sent.
    expect(posted.every((p) => p.patientOnly)).toBe(true);

    const refusal = await clerk.sharing.resend.mutate({ id: docs[0]!.id }).catch((e: Error) => e);
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toMatch(/同意が撤回されているため再送できません/);
    const [row] = await app.karte.db
      .select()
      .from(schema.shareSubmissions)
      .where(eq(schema.shareSubmissions.id, docs[0]!.id));
    expect(row?.status).toBe('cancelled');

    // The facility list filters and counts them.
    const list = await doctor.sharing.submissions.query({ status: 'cancelled', limit: 50 });
    expect(list.rows.map((r) => r.kind).sort()).toEqual(['checkup', 'discharge', 'referral']);
    expect(list.counts.cancelled).toBe(3);

    // Consent given again: what is current is queued and goes.
    await clerk.sharing.setConsent.mutate({ patientId, withdrawn: false });
    const again = recordingPort();
    await drainWith(again.port);
    expect(again.posted.filter((p) => docIds.has(p.identifier)).length).toBe(3);
  }, 120_000);

  it('the worker checks consent at send time (a queued Bundle of a withdrawn patient is not posted)', async () => {
    const [first] = await app.karte.db.select().from(schema.shareSubmissions).limit(1);
    const patientId = first!.patientId;
    // Queue a new version of everything, then mark the consent withdrawn behind the service's back.
    await app.karte.db
      .update(schema.shareSubmissions)
      .set({ status: 'pending', action: 'send', version: first!.version + 5 })
      .where(eq(schema.shareSubmissions.patientId, patientId));
    await setConsent(app.karte.db, first!.facilityId, patientId, true, (await getUserId())!);
    expect((await getConsent(app.karte.db, first!.facilityId, patientId))?.withdrawn).toBe(true);
    const { port, posted } = recordingPort();
    await drainWith(port);
    expect(posted).toEqual([]);
  }, 120_000);
});

async function getUserId() {
  const [u] = await app.karte.db.select().from(schema.users).limit(1);
  return u?.id;
}
