import { ensureMasters, type KarteDb, type OpenOptions, openDb } from '@karte/db';
import type { Config } from './config';
import { startAuditCheckpoints } from './jobs/auditCheckpoints';
import { startOfflineExports } from './jobs/offlineExport';
import { prepareShareQueue, startShareWorker } from './jobs/shareWorker';
import { setShareWake } from './jobs/wake';
import type { Logger } from './log';
import type { EligibilityPort } from './ports/eligibility';
import { httpShareServicePort } from './ports/share';
import { seedIfEmpty } from './seed/seed';
import { createServer } from './server';
import { registerBackupScheduler } from './services/backups';
import { BackupScheduler } from './services/backups/schedule';
import { tariffReady } from './services/billing/tariff';

/** How the configuration opens the database: PGlite, one PostgreSQL URL, or an owner and an application role. */
export function openOptions(config: Config): OpenOptions {
  if (!config.databaseUrl) return { dataDir: config.dataDir };
  if (!config.databaseOwnerUrl) return { databaseUrl: config.databaseUrl };
  return {
    databaseUrl: config.databaseUrl,
    ownerUrl: config.databaseOwnerUrl,
    ownerSetup: prepareShareQueue,
  };
}

/** PostgreSQL with the application's role able to alter its own tables: said at every start, not refused. */
export function warnUnlessLeastPrivilege(karte: KarteDb, log: Logger) {
  const p = karte.privileges;
  if (karte.kind !== 'postgres' || !p) return;
  if (p.problems.length === 0) {
    log.info({ ownerMigrated: p.ownerMigrated }, 'database roles: least privilege in force');
    return;
  }
  log.warn(
    { problems: p.problems },
    'database roles: least privilege is NOT in force — the application role could alter tables or disable the ' +
      'immutability triggers. Create an owner and an application role (npm run db:roles), then set ' +
      'DATABASE_OWNER_URL to the owner and DATABASE_URL to the application role (README, "Database roles")',
  );
}

/** Opens the database (migrating it), seeds a first boot and builds the HTTP server. */
export async function startKarte(
  config: Config,
  log: Logger,
  karte?: KarteDb,
  options: { seed: boolean; eligibility?: EligibilityPort; tariffAtStart?: boolean } = { seed: true },
) {
  const db = karte ?? (await openDb(openOptions(config)));
  warnUnlessLeastPrivilege(db, log);
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
  // 見読性: the day's encrypted offline file of each facility, on the schedule of KARTE_OFFLINE_HOURS.
  const offline =
    config.offline.hours.length > 0 ? startOfflineExports(db.db, config.offline, log) : undefined;
  // Daily encrypted backups from this process's own database connection (off without a backup folder).
  const backups = new BackupScheduler(db, config.backup, log);
  registerBackupScheduler(db, backups);
  backups.start();
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
    offline,
    backups,
    url: `http://${config.host}:${port}`,
    /** Graceful: stop accepting, let requests in flight finish, then close the database. */
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await share?.stop();
        await offline?.stop();
        await backups.stop();
        registerBackupScheduler(db, undefined);
        await checkpoints?.stop();
        await tariffLoad;
        setShareWake(undefined);
        if (!karte) await db.close();
      })();
      return closing;
    },
  };
}
