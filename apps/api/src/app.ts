import { ensureMasters, type KarteDb, openDb } from '@karte/db';
import type { Config } from './config';
import { startAuditCheckpoints } from './jobs/auditCheckpoints';
import { startShareWorker } from './jobs/shareWorker';
import { setShareWake } from './jobs/wake';
import type { Logger } from './log';
import type { EligibilityPort } from './ports/eligibility';
import { httpShareServicePort } from './ports/share';
import { seedIfEmpty } from './seed/seed';
import { createServer } from './server';
import { tariffReady } from './services/billing/tariff';

/** Opens the database (migrating it), seeds a first boot and builds the HTTP server. */
export async function startKarte(
  config: Config,
  log: Logger,
  karte?: KarteDb,
  options: { seed: boolean; eligibility?: EligibilityPort; tariffAtStart?: boolean } = { seed: true },
) {
  const db =
    karte ??
    (await openDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }));
  const masters = await ensureMasters(db.db);
  if (masters.length > 0) log.info({ masters }, 'code masters loaded');
  if (options.seed) await seedIfEmpty(db.db, config, log);
  // The share-service worker: delivers what is queued (the demo's seed included) once a URL is set.
  const share = config.shareServiceUrl
    ? await startShareWorker(
        db,
        httpShareServicePort(config.shareServiceUrl, { timeoutMs: config.share.timeoutMs }),
        log,
        {
          maxAttempts: config.share.maxAttempts,
          backoffBaseSeconds: config.share.backoffBaseSeconds,
        },
      )
    : undefined;
  setShareWake(share?.wake);
  // Signed checkpoints of the audit chain, to the anchor folder (KARTE_AUDIT_CHECKPOINT_MINUTES; 0: none).
  const checkpoints = startAuditCheckpoints(db, config, log);
  const { server, sessions } = createServer(db, config, log, options.eligibility);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // 支払基金 基本マスター (料金): on first boot the bundled 2024-06 set with its monthly changes (~5 s on PGlite),
  // loaded once the server listens so that start-up is not held up; a 会計 meanwhile waits for it (tariffReady).
  // Tests start without it: the first test that needs it loads it.
  const tariffLoad =
    (options.tariffAtStart ?? true)
      ? (async () => {
          const started = Date.now();
          try {
            const tariff = await tariffReady(db.db);
            if (tariff) log.info({ tariff, ms: Date.now() - started }, 'tariff master loaded');
          } catch (error) {
            log.error({ err: error }, 'tariff master could not be loaded (retried on first use)');
          }
        })()
      : undefined;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let closing: Promise<void> | undefined;
  return {
    karte: db,
    server,
    sessions,
    share,
    url: `http://${config.host}:${port}`,
    /** Graceful: stop accepting, let requests in flight finish, then close the database. */
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await share?.stop();
        await checkpoints?.stop();
        await tariffLoad;
        setShareWake(undefined);
        if (!karte) await db.close();
      })();
      return closing;
    },
  };
}
