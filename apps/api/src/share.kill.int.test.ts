/**
 * Nothing is lost when the API is killed (kill -9) in the middle of a burst of changes: the bundled API as
 * `npm start` runs it (dist/main.js, built by `npm test` first), the share-service simulator with 30% 503s
 * and latency, on a fresh PGlite folder — or a fresh database of the PostgreSQL server in that leg.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startShareSimulator } from './simulator';
import { clientFor, problemFields } from './testing';

const main = join(import.meta.dirname, '../dist/main.js');
const repoRoot = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'karte-kill-'));
const port = 3390 + Math.floor(Math.random() * 50);
const usePostgres = process.env.KARTE_TEST_DB === 'postgres';
let databaseUrl: string | undefined;
let dropDatabase = async () => {};
let sim: RunningSimulator;
const procs: ChildProcess[] = [];

beforeAll(async () => {
  sim = await startShareSimulator(['--import', 'tsx', join(repoRoot, 'apps/share-sim/src/main.ts')], {
    SHARE_SIM_ERROR_RATE: '0.3',
    SHARE_SIM_FAIL_FIRST: '2', // and the first two for certain: a run without any 503 proves nothing
    SHARE_SIM_LATENCY_MS: '20',
  });
  if (usePostgres && process.env.DATABASE_URL) {
    const name = `karte_kill_${randomBytes(5).toString('hex')}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
}, 60_000);
afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await sim?.stop();
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

function startApi() {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    KARTE_DEMO: '1',
    SHARE_SERVICE_URL: sim.url,
    SHARE_BACKOFF_SECONDS: '0.05',
    SHARE_MAX_ATTEMPTS: '60',
    LOG_LEVEL: 'warn',
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else {
    delete env.DATABASE_URL;
    env.KARTE_DATA_DIR = join(dir, 'data');
  }
  const proc = spawn('node', [main], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  procs.push(proc);
  return proc;
}

async function healthy() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('API not healthy');
}

async function signedIn(username: string) {
  const c = clientFor(`http://127.0.0.1:${port}`);
  await c.auth.login.mutate({ facilityCode: '1310123458', username, password: 'karte-demo' });
  return c;
}

describe('share-service delivery survives kill -9', () => {
  it('every acknowledged change reaches the service after a restart, latest version last', async () => {
    expect(existsSync(main), 'apps/api/dist/main.js: run `npm test` (it builds first)').toBe(true);
    const api = startApi();
    await healthy();
    const clerk = await signedIn('clerk');
    const doctor = await signedIn('doctor');
    const patients = (await clerk.reception.searchPatients.query({ query: 'イ', limit: 20 })).slice(0, 10);
    for (const [i, p] of patients.entries())
      await clerk.reception.saveCoverage.mutate({
        patientId: p.id,
        basedOn: null,
        coverage: {
          insurerNumber: '01130012',
          symbol: '',
          number: String(2000 + i),
          branch: '',
          relationship: 'self',
          acquiredOn: '',
          validUntil: '',
          limitCategory: '',
          wariOverride: '',
        },
      });
    // The burst: problems added in parallel; the API is killed after a few were acknowledged.
    const acknowledged: { patientId: string; problemId: string }[] = [];
    const names: [string, string][] = [
      ['本態性高血圧症', '20076157'],
      ['２型糖尿病', '20050020'],
      ['脂質異常症', '20091221'],
    ];
    const burst = patients.flatMap((p) =>
      names.map(async ([name, code]) => {
        const row = await doctor.chart.addProblem.mutate({
          patientId: p.id,
          problem: problemFields(name, code),
        });
        acknowledged.push({ patientId: p.id, problemId: row.id });
      }),
    );
    for (let i = 0; i < 100 && acknowledged.length < 8; i++) await new Promise((r) => setTimeout(r, 50));
    api.kill('SIGKILL');
    await Promise.allSettled(burst);
    expect(acknowledged.length).toBeGreaterThan(0);

    const again = startApi();
    await healthy();
    const reader = await signedIn('doctor');
    // Wait until the restarted worker has delivered everything queued.
    let list: Awaited<ReturnType<typeof reader.sharing.submissions.query>> | undefined;
    for (let i = 0; i < 600; i++) {
      list = await reader.sharing.submissions.query({ limit: 500 });
      if (list.rows.length > 0 && list.rows.every((r) => r.state === '送信済')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(list?.rows.every((r) => r.state === '送信済')).toBe(true);
    const stats = (await (await fetch(`${sim.url}/_stats`)).json()) as {
      regressions: number;
      injected503: number;
    };
    expect(stats.regressions).toBe(0);
    expect(stats.injected503).toBeGreaterThan(0);
    // Every problem the API acknowledged before the kill is in the latest condition Bundle held by the service.
    for (const a of acknowledged) {
      const rows = list?.rows.filter((r) => r.patientId === a.patientId && r.kind === 'conditions') ?? [];
      expect(rows).toHaveLength(1);
      const res = await fetch(`${sim.url}/Bundle?identifier=${encodeURIComponent(rows[0]!.identifier)}`);
      const text = await res.text();
      expect(text, `problem ${a.problemId}`).toContain(a.problemId);
    }
    again.kill('SIGTERM');
    await new Promise((r) => again.once('exit', r));
  }, 240_000);
});
