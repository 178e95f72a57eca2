import { ensureMasters, type KarteDb, openDb } from '@karte/db';
import type { Config } from './config';
import { startShareWorker } from './jobs/shareWorker';
import { setShareWake } from './jobs/wake';
import type { Logger } from './log';
import type { EligibilityPort } from './ports/eligibility';
import { httpShareServicePort } from './ports/share';
import { seedIfEmpty } from './seed/seed';
import { createServer } from './server';
import { ensureTariff } from './services/billing/masters';

/** Opens the database (migrating it), seeds a first boot and builds the HTTP server. */
export async function startKarte(
  config: Config,
  log: Logger,
  karte?: KarteDb,
  options: { seed: boolean; eligibility?: EligibilityPort } = { seed: true },
) {
  const db =
    karte ??
    (await openDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }));
  const masters = await ensureMasters(db.db);
  if (masters.length > 0) log.info({ masters }, 'code masters loaded');
  // 支払基金 基本マスター (料金): the bundled 2024-06 set with its monthly changes, on first boot (~4 s on PGlite).
  const started = Date.now();
  const tariff = await ensureTariff(db.db);
  if (tariff) log.info({ tariff, ms: Date.now() - started }, 'tariff master loaded');
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
  const { server, sessions } = createServer(db, config, log, options.eligibility);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
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
        setShareWake(undefined);
        if (!karte) await db.close();
      })();
      return closing;
    },
  };
}
