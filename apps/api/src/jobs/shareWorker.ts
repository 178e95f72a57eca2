import {
  type DeliveryResult,
  isRetryable,
  type KarteDb,
  leaseDueSubmissions,
  nextDueInSeconds,
  recordDeliveries,
  releaseAllLeases,
  releaseLeases,
  takeDueSubmissions,
} from '@karte/db';
import PgBoss from 'pg-boss';
import type { Logger } from '../log';
import { backoffSeconds, type ShareServicePort } from '../ports/share';

export interface ShareWorkerOptions {
  /** Attempts per version before it is marked failed (再送 by hand). */
  maxAttempts: number;
  /** Backoff base in seconds (attempt n waits about base·2ⁿ). */
  backoffBaseSeconds: number;
  /** Submissions taken per round, and how many POSTs are in flight at once. */
  batchSize: number;
  concurrency: number;
  /** How long a taken submission stays reserved for this process. */
  leaseSeconds: number;
}

export const defaultShareWorkerOptions: ShareWorkerOptions = {
  maxAttempts: 8,
  backoffBaseSeconds: 2,
  batchSize: 200,
  concurrency: 16,
  leaseSeconds: 30,
};

const QUEUE = 'share-deliver';

/** A pg-boss connection on the same database: PGlite in process through its `db` option, or PostgreSQL. */
function bossFor(karte: KarteDb) {
  if (karte.pglite) {
    const pg = karte.pglite;
    return new PgBoss({
      schema: 'pgboss',
      db: {
        // pg-boss sends multi-statement scripts without parameters: exec returns every statement's result.
        async executeSql(text: string, values: unknown[] = []) {
          if (values.length > 0) return (await pg.query(text, values)) as { rows: unknown[] };
          const results = await pg.exec(text);
          return (results.length === 1 ? results[0] : results) as unknown as { rows: unknown[] };
        },
      },
    });
  }
  return new PgBoss({ connectionString: karte.url, schema: 'pgboss', max: 2 });
}

/**
 * Least privilege (DATABASE_OWNER_URL): pg-boss installs or upgrades its schema and creates each queue's table
 * on first use — DDL the application role may not run. The owner does it before the grants, on every start.
 */
export async function prepareShareQueue(ownerUrl: string) {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    schema: 'pgboss',
    max: 1,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  try {
    await boss.createQueue(QUEUE);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * Delivers the share-service outbox. A pg-boss queue runs the drains: right after a change (wake), at the
 * time the next retry is due (a delayed job) and once a minute (a schedule, should a wake be lost). A
 * drain takes due submissions in batches with a lease — one delivery per identifier in flight, across
 * processes — posts them through the port and records every answer; at-least-once: a crash between POST and
 * record sends that version again, which the service de-duplicates by Bundle.identifier.
 */
export async function startShareWorker(
  karte: KarteDb,
  port: ShareServicePort,
  log: Logger,
  options: Partial<ShareWorkerOptions> = {},
) {
  const o = { ...defaultShareWorkerOptions, ...options };
  const db = karte.db;
  // Embedded: this process owns the data folder, so nothing else can be delivering.
  if (karte.kind === 'pglite') await releaseAllLeases(db);
  const boss = bossFor(karte);
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'));
  await boss.start();
  await boss.createQueue(QUEUE);
  type Leased = {
    id: string;
    facility_id: string;
    patient_id: string;
    identifier: string;
    version: number;
    attempts: number;
    /** The Bundle as stored (JSON text): posted as is, never parsed here. */
    body: string;
  };
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function deliver(row: Leased) {
    const r = await port.submit(row.body);
    const retry = r.outcome === 'transient' && row.attempts + 1 < o.maxAttempts;
    const result: DeliveryResult = {
      id: row.id,
      facilityId: row.facility_id,
      patientId: row.patient_id,
      identifier: row.identifier,
      version: row.version,
      outcome: r.outcome,
      httpStatus: r.httpStatus,
      message: r.message,
      retryInSeconds: retry ? backoffSeconds(row.attempts, o.backoffBaseSeconds) : null,
    };
    return result;
  }

  // Embedded, the lease lives in memory (this process owns the database): what is taken and not yet recorded.
  // On PostgreSQL it is the row's lease_until, shared by every process.
  const inFlight = new Set<string>();
  const lease = async () => {
    if (!karte.pglite) return (await leaseDueSubmissions(db, o.batchSize, o.leaseSeconds)) as Leased[];
    const rows = (await takeDueSubmissions(db, o.batchSize, [...inFlight])) as Leased[];
    for (const r of rows) inFlight.add(r.id);
    return rows;
  };
  const settle = (ids: string[]) => {
    for (const id of ids) inFlight.delete(id);
  };

  async function post(rows: Leased[]) {
    const results: DeliveryResult[] = [];
    let next = 0;
    const lanes = Array.from({ length: Math.min(o.concurrency, rows.length) }, async () => {
      while (next < rows.length) {
        const row = rows[next++];
        if (row) results.push(await deliver(row));
      }
    });
    await Promise.all(lanes);
    return results;
  }

  async function record(results: DeliveryResult[]) {
    // A deadlock or serialisation failure on PostgreSQL is worth another try; anything else is left to the
    // lease: those rows go out again once it expires (at-least-once), or at once when the lease is in memory.
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await db.transaction((tx) => recordDeliveries(tx, results));
          break;
        } catch (error) {
          if (attempt >= 2 || !isRetryable(error)) throw error;
        }
      }
    } finally {
      settle(results.map((r) => r.id));
    }
    const failed = results.filter((r) => r.outcome !== 'accepted');
    if (failed.length > 0)
      log.warn(
        { sent: results.length - failed.length, failed: failed.length, first: failed[0]?.message },
        'share delivery',
      );
  }

  /**
   * Posts batch after batch. While one batch is on the wire the next is leased and the previous one's
   * answers are recorded (in order: one recording at a time), so the database work overlaps the HTTP work.
   */
  async function drainAll() {
    let rows = await lease();
    let recording: Promise<void> = Promise.resolve();
    let failure: unknown;
    const settled = async () => {
      await recording;
      if (failure) throw failure;
    };
    try {
      while (rows.length > 0 && !stopped) {
        const [results, following] = await Promise.all([post(rows), lease()]);
        await settled();
        // Caught at once (rethrown by settled()): never an unhandled rejection while the next batch posts.
        recording = record(results).catch((error) => {
          failure = error;
        });
        rows = following;
      }
      await settled();
    } finally {
      await recording;
      // Leased but not posted (stopping): give them back at once.
      const ids = rows.map((r) => r.id);
      settle(ids);
      if (!karte.pglite) await releaseLeases(db, ids);
    }
  }

  async function drain() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drainAll();
        } while (again && !stopped);
        // The next retry, if any, as a delayed job: it survives a restart.
        const due = await nextDueInSeconds(db);
        if (due !== null && !stopped) await boss.send(QUEUE, {}, { startAfter: Math.max(1, Math.ceil(due)) });
      } catch (error) {
        log.error({ err: error }, 'share delivery failed');
      } finally {
        running = null;
      }
    })();
    return running;
  }

  await boss.work(QUEUE, { pollingIntervalSeconds: 1 }, async () => {
    await drain();
  });
  await boss.schedule(QUEUE, '* * * * *');
  let wakeTimer: NodeJS.Timeout | undefined;
  const worker = {
    /** After a commit that queued something: deliver now (debounced). */
    wake() {
      if (stopped || wakeTimer) return;
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        void drain();
      }, 20);
    },
    drain,
    async stop() {
      stopped = true;
      clearTimeout(wakeTimer);
      await running;
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
  void drain();
  return worker;
}
