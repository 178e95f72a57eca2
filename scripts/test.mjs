#!/usr/bin/env node
// npm test: unit tests, integration tests on PGlite (on PostgreSQL instead when DATABASE_URL is set),
// then Playwright in Chromium against what `npm start` serves. Ends with one plain line:
// "N passed, N failed, N skipped", and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumMissing, findChromium } from './find-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const run = (cmd, args, opts = {}) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts }).status ?? 1;
};

const chromium = await findChromium();
if (!chromium) {
  console.error(chromiumMissing);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

let crashed = 0;
if (
  run('npx', [
    'turbo',
    'run',
    'build',
    '--filter=@karte/api',
    '--filter=@karte/web',
    '--filter=@karte/eligibility-sim',
    '--filter=@karte/share-sim',
    '--output-logs=errors-only',
  ]) !== 0
) {
  console.error('build failed');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, 'vitest.json')}`,
]);

// The browser tests get a database of their own: a fresh PGlite folder, or — with DATABASE_URL — a
// fresh database on that server (never the database DATABASE_URL names: it may hold real data).
const dataDir = mkdtempSync(join(tmpdir(), 'karte-e2e-'));
const e2eEnv = { ...process.env, CHROMIUM_PATH: chromium, E2E_DATA_DIR: join(dataDir, 'data') };
let dropE2eDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const { default: postgres } = await import('postgres');
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `karte_e2e_${process.pid}`;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  e2eEnv.DATABASE_URL = url.toString();
  dropE2eDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
const e2eStatus = run('npx', ['playwright', 'test'], { cwd: join(root, 'e2e'), env: e2eEnv });
await dropE2eDatabase();
rmSync(dataDir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const vitestReport = join(reports, 'vitest.json');
if (existsSync(vitestReport)) {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  if (vitestStatus !== 0 && v.numFailedTests === 0) crashed++; // e.g. a file that failed to load
} else crashed++;
const pwReport = join(reports, 'playwright.json');
if (existsSync(pwReport)) {
  const p = JSON.parse(readFileSync(pwReport, 'utf8')).stats;
  passed += p.expected + p.flaky;
  failed += p.unexpected;
  skipped += p.skipped;
  if (e2eStatus !== 0 && p.unexpected === 0) crashed++;
} else crashed++;

failed += crashed;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
