/**
 * audit_verify_s_per_1m_events: a facility's audit chain of N events (1,000,000; 100,000 with --quick), built
 * with batched inserts (the chain's own formula, as appendAuditMany does — not through the API), anchored by
 * signed checkpoints every 100,000 events, then verified in full as `npm run audit:verify` does: every hash
 * recomputed, every event against its checkpoint, the checkpoints' signatures. Seconds per 1M events.
 * Target ≤ 10.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditInput, appendAuditMany } from '@karte/db';
import { createCheckpoint } from '../../apps/api/src/services/auditTrail/anchor';
import { directoryStore } from '../../apps/api/src/services/auditTrail/store';
import { verifyAnchored } from '../../apps/api/src/services/auditTrail/verify';
import type { Figure } from './main';
import { makeTarget } from './patientSearch';
import { createBenchFacility } from './seed';

const BATCH = 10_000;
const CHECKPOINT_EVERY = 100_000;

export async function auditVerifyBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const n = quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'karte-bench-audit-'));
  const deps = { store: directoryStore(join(dir, 'anchors')), keyFile: join(dir, 'keys', 'audit.key') };
  const target = await makeTarget();
  const karte = await target.open();
  try {
    const facilityId = await createBenchFacility(karte.db);
    const users = Array.from({ length: 20 }, () => randomUUID());
    const patients = Array.from({ length: 5_000 }, () => randomUUID());
    const procedures = ['chart.chart', 'reception.getPatient', 'orders.labTable', 'reception.board'];
    const t0 = performance.now();
    let have = 0;
    while (have < n) {
      const size = Math.min(BATCH, n - have);
      const events: AuditInput[] = Array.from({ length: size }, (_, i) => {
        const k = have + i;
        return {
          facilityId,
          // Users and patients are not foreign keys of audit_events: random ids stand for them.
          userId: users[k % users.length] ?? null,
          patientId: patients[k % patients.length] ?? null,
          action: k % 10 === 0 ? 'update' : 'read',
          procedure: procedures[k % procedures.length] ?? 'chart.chart',
          outcome: 'ok',
          detail: { what: 'chart', encounters: k % 7, entryId: patients[(k * 7) % patients.length] },
        };
      });
      await karte.db.transaction((tx) => appendAuditMany(tx, events));
      have += size;
      // A checkpoint now and then, as the schedule would make them (each adds its own event).
      if (have % CHECKPOINT_EVERY === 0 || have === n)
        await createCheckpoint(karte.db, deps, facilityId, { userId: null, procedure: 'bench' });
      process.stdout.write(`\r  ${have.toLocaleString()} events`);
    }
    console.log(` (${((performance.now() - t0) / 1000).toFixed(0)} s to build)`);
    const started = performance.now();
    const report = await verifyAnchored(karte.db, facilityId, deps);
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`verification failed: ${report.problem}`);
    console.log(
      `  verified ${report.events.toLocaleString()} events against ${report.checkpoints} checkpoints in ${seconds.toFixed(2)} s (${karte.kind})`,
    );
    return [
      {
        name: 'audit_verify_s_per_1m_events',
        value: Number(((seconds * 1_000_000) / report.events).toFixed(3)),
        unit: 's',
        target: 10,
      },
    ];
  } finally {
    await karte.close();
    await target.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
