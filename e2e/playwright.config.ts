import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
// @ts-expect-error plain ESM helper shared with the test runner script
import { chromiumMissing, findChromium } from '../scripts/find-chromium.mjs';

const executablePath: string | null = await findChromium();
if (!executablePath) throw new Error(chromiumMissing);

const port = Number(process.env.E2E_PORT ?? 3199);
const sharePort = port - 1;
// A fresh embedded database per run (or the DATABASE_URL server, when set), never the user's .data.
const dataDir = process.env.E2E_DATA_DIR ?? join(tmpdir(), `karte-e2e-${process.env.E2E_RUN_ID ?? 'local'}`);

export default defineConfig({
  testDir: './src',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../reports/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      // The share-service simulator (a separate process, as in production the national service).
      command: 'node ../apps/share-sim/dist/main.js',
      url: `http://127.0.0.1:${sharePort}/healthz`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { PORT: String(sharePort), HOST: '127.0.0.1' },
    },
    {
      // What `npm start` serves: the bundled API with the built SPA on one port.
      command: 'node ../apps/api/dist/main.js',
      url: `http://127.0.0.1:${port}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        KARTE_DATA_DIR: dataDir,
        KARTE_DEMO: '1',
        // Backups into a folder of the run (the default for PGlite; set for a PostgreSQL run too).
        KARTE_BACKUP_DIR: `${dataDir}-backups`,
        LOG_LEVEL: 'warn',
        SHARE_SERVICE_URL: `http://127.0.0.1:${sharePort}`,
        SHARE_BACKOFF_SECONDS: '0.2',
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      },
    },
  ],
});
