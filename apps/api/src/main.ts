import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirLockedError } from '@karte/db';
import { startKarte } from './app';
import { configFromEnv } from './config';
import { log } from './log';
import { type RunningSimulator, startEligibilitySimulator, startShareSimulator } from './simulator';

// dist/main.js sits in apps/api/dist; the repository root is three folders up.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const config = { ...configFromEnv(process.env, repoRoot), webDist: resolve(repoRoot, 'apps/web/dist') };

let simulator: RunningSimulator | undefined;
let shareSimulator: RunningSimulator | undefined;
try {
  const started = Date.now();
  if (!config.eligibilityUrl) {
    // No national service configured: run the simulator beside the API (a demo, or a laptop).
    simulator = await startEligibilitySimulator([resolve(repoRoot, 'apps/eligibility-sim/dist/main.js')]);
    config.eligibilityUrl = simulator.url;
    log.info(
      { url: simulator.url },
      'eligibility simulator started (set ELIGIBILITY_URL to use a real service)',
    );
  }
  if (config.shareServiceUrl === 'sim') {
    // A demo of the share service on a laptop: the simulator beside the API.
    shareSimulator = await startShareSimulator([resolve(repoRoot, 'apps/share-sim/dist/main.js')]);
    config.shareServiceUrl = shareSimulator.url;
    log.info({ url: shareSimulator.url }, 'share-service simulator started');
  }
  const app = await startKarte(config, log);
  log.info(
    {
      url: app.url,
      database: app.karte.kind,
      location: app.karte.location,
      demo: config.demo,
      ms: Date.now() - started,
    },
    `Karte is ready at ${app.url}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await simulator?.stop();
    await shareSimulator?.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof DataDirLockedError) {
    log.fatal(error.message);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    log.fatal(
      `ポート ${config.port} は使用中です。PORT=${config.port + 1} npm start のように別のポートを指定してください ` +
        `(port ${config.port} on ${config.host} is in use).`,
    );
  } else {
    log.fatal({ err: error }, 'Karte could not start');
  }
  await simulator?.stop();
  await shareSimulator?.stop();
  process.exit(1);
}
