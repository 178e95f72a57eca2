/**
 * share_delivery_ratio: deliver N queued Bundles (10,000; 2,000 with --quick) to the share-service simulator
 * (its validation off) through the outbox worker — lease, POST, record, as in production — throughput ÷ the
 * throughput of posting the same pre-built payloads with a plain HTTP client at the same concurrency, in the
 * same run. Target ≥ 0.7 (bench-results.json stores it as value with target, higher is better).
 */
import { join } from 'node:path';
import { schema } from '@karte/db';
import { buildClinsBundles } from '@karte/fhir-mapping';
import { at, chartFor, facility } from '@karte/fhir-mapping/testing';
import { sql } from 'drizzle-orm';
import { startShareWorker } from '../../apps/api/src/jobs/shareWorker';
import { log } from '../../apps/api/src/log';
import { httpShareServicePort } from '../../apps/api/src/ports/share';
import { startShareSimulator } from '../../apps/api/src/simulator';
import type { Figure } from './main';
import { makeTarget } from './patientSearch';
import { createBenchFacility, growPatients } from './seed';

const CONCURRENCY = 16;

export async function shareBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const n = quick ? 2_000 : 10_000;
  const repoRoot = join(import.meta.dirname, '../..');
  const sim = await startShareSimulator([join(repoRoot, 'apps/share-sim/dist/main.js')], {
    SHARE_SIM_VALIDATE: '0',
  });
  const target = await makeTarget();
  const karte = await target.open();
  try {
    const facilityId = await createBenchFacility(karte.db);
    await growPatients(karte.db, facilityId, 0, 1);
    const [patient] = await karte.db.select({ id: schema.patients.id }).from(schema.patients).limit(1);
    // The payloads: a real 傷病名 Bundle (about 7 KB), one identifier per submission.
    const template = buildClinsBundles(chartFor(1), facility, at).bundles[0]!.bundle;
    const payloads = Array.from({ length: n }, (_, i) => ({
      ...template,
      identifier: { ...template.identifier, value: `0110113719^2026^B-${i}` },
    }));
    for (let i = 0; i < n; i += 500) {
      await karte.db.insert(schema.shareSubmissions).values(
        payloads.slice(i, i + 500).map((bundle) => ({
          facilityId,
          patientId: patient!.id,
          kind: 'conditions',
          identifier: bundle.identifier.value,
          bundle,
          body: JSON.stringify(bundle),
        })),
      );
    }
    console.log(`  ${n} submissions queued (${JSON.stringify(template).length} bytes each)`);

    // Plain client: the same payloads, POSTed with fetch at the same concurrency.
    const plainStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const body = JSON.stringify(payloads[next++]);
          const res = await fetch(`${sim.url}/Bundle`, {
            method: 'POST',
            headers: { 'content-type': 'application/fhir+json' },
            body,
          });
          await res.arrayBuffer();
        }
      }),
    );
    const plainSeconds = (performance.now() - plainStart) / 1000;
    await fetch(`${sim.url}/_control/reset`, { method: 'POST' });

    // The worker, as the API runs it.
    const started = performance.now();
    const worker = await startShareWorker(karte, httpShareServicePort(sim.url), log, {
      concurrency: CONCURRENCY,
    });
    for (;;) {
      const [row] = await karte.db
        .select({ left: sql<number>`count(*)::int` })
        .from(schema.shareSubmissions)
        .where(sql`status = 'pending' and sent_version < version`);
      if ((row?.left ?? 1) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const workerSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const stats = (await (await fetch(`${sim.url}/_stats`)).json()) as { accepted: number };
    if (stats.accepted < n) throw new Error(`simulator holds ${stats.accepted} of ${n}`);
    console.log(
      `  plain HTTP ${(n / plainSeconds).toFixed(0)}/s, outbox worker ${(n / workerSeconds).toFixed(0)}/s (${karte.kind})`,
    );
    return [
      {
        name: 'share_delivery_ratio',
        value: n / workerSeconds / (n / plainSeconds),
        unit: 'ratio',
        target: 0.7,
        note: 'min',
      },
    ];
  } finally {
    await karte.close();
    await target.cleanup();
    await sim.stop();
  }
}
