import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KarteDb, openDb } from '@karte/db';
import postgres from 'postgres';
import { directSearch, LIMIT } from './direct';
import type { Figure } from './main';
import {
  BENCH_FACILITY_CODE,
  BENCH_PASSWORD,
  BENCH_USER,
  createBenchFacility,
  growPatients,
  searchTerms,
} from './seed';
import { p95, percentile } from './timing';

const root = new URL('../..', import.meta.url).pathname;
const SEARCHES = 1000;
const WARMUP = 100;

const p50 = (xs: number[]) => percentile(xs, 0.5);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Target {
  open(): Promise<KarteDb>;
  serverEnv: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh database for the run: a temporary PGlite folder, or a temporary database on DATABASE_URL. */
export async function makeTarget(): Promise<Target> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `karte_bench_${process.pid}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      open: () => openDb({ databaseUrl: url.toString(), maxConnections: 4 }),
      serverEnv: { DATABASE_URL: url.toString() },
      cleanup: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'karte-bench-'));
  return {
    open: () => openDb({ dataDir: dir }),
    serverEnv: { KARTE_DATA_DIR: dir },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts a server process and waits until `ready` answers. */
export async function startProcess(args: string[], env: Record<string, string>, ready: string) {
  const port = await freePort();
  const proc = spawn(
    'node',
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...args,
    ],
    {
      env: { ...process.env, ...env, PORT: String(port), KARTE_DEMO: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}${ready}`)).status < 500) return { url, proc };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`${args.join(' ')} did not start`);
}

export async function stopProcess(proc: ChildProcess) {
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

/** Sequential searches over plain node:http with one kept-alive connection, as a browser tab holds one. */
async function measureHttp(url: string, terms: string[], cookie = ''): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: hostname, port, path, agent, headers: cookie ? { cookie } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  const path = cookie ? 'reception.searchPatients' : 'search';
  const one = async (query: string) => {
    const input = encodeURIComponent(JSON.stringify({ json: { query, limit: LIMIT } }));
    const t0 = performance.now();
    const res = await get(`/trpc/${path}?input=${input}`);
    const ms = performance.now() - t0;
    const body = JSON.parse(res.body) as { result?: { data?: { json?: unknown[] } } };
    if (res.status !== 200 || !Array.isArray(body.result?.data?.json))
      throw new Error(`search failed: ${res.status}`);
    return ms;
  };
  for (const t of terms.slice(0, WARMUP)) await one(t);
  const times: number[] = [];
  for (const t of terms) times.push(await one(t));
  agent.destroy();
  return times;
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-karte-csrf': '1' },
    body: JSON.stringify({
      json: { facilityCode: BENCH_FACILITY_CODE, username: BENCH_USER, password: BENCH_PASSWORD },
    }),
  });
  const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  if (!cookie) throw new Error('bench login failed');
  return cookie;
}

async function measureDirect(karte: KarteDb, facilityId: string, userId: string, terms: string[]) {
  const search = directSearch(karte, facilityId, userId);
  const one = async (term: string) => {
    const run = search(term);
    const t0 = performance.now();
    await run();
    return performance.now() - t0;
  };
  for (const t of terms.slice(0, WARMUP)) await one(t);
  const times: number[] = [];
  for (const t of terms) times.push(await one(t));
  return times;
}

interface Sample {
  api: number[];
  floor: number[];
  direct: number[];
}

export async function patientSearch({ quick }: { quick: boolean }): Promise<Figure[]> {
  const small = 10_000;
  const large = quick ? 100_000 : 1_000_000;
  const terms = searchTerms(SEARCHES);
  const target = await makeTarget();
  const results: Record<number, Sample> = {};
  try {
    let karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    let have = 0;
    for (const size of [small, large]) {
      const t0 = Date.now();
      await growPatients(karte.db, facilityId, have, size, (n) =>
        process.stdout.write(`\r  seeding ${n.toLocaleString()} patients`),
      );
      have = size;
      console.log(` (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      const user = await karte.db.query.users.findFirst();
      await karte.close(); // one process owns a PGlite folder: hand it to each server in turn

      // 1. The API as `npm start` runs it, in its own process.
      const app = await startProcess([join(root, 'apps/api/dist/main.js')], target.serverEnv, '/healthz');
      const api = await measureHttp(app.url, terms, await login(app.url));
      await stopProcess(app.proc);
      // 2. The floor: bare tRPC doing only the direct database work, in its own process.
      const bare = await startProcess(
        ['--import', 'tsx', join(root, 'bench/src/floorServer.ts')],
        target.serverEnv,
        '/trpc/none',
      );
      const floor = await measureHttp(bare.url, terms);
      await stopProcess(bare.proc);
      // 3. The database work alone, through the driver.
      karte = await target.open();
      const direct = await measureDirect(karte, facilityId, user?.id ?? '', terms);
      results[size] = { api, floor, direct };
      const f = (xs: number[]) => `p50 ${p50(xs).toFixed(2)} / p95 ${p95(xs).toFixed(2)} ms`;
      console.log(
        `  ${size.toLocaleString()} patients: API ${f(api)}; bare tRPC ${f(floor)}; direct ${f(direct)}`,
      );
    }
    await karte.close();
  } finally {
    await target.cleanup();
  }
  const s = results[small] as Sample;
  const l = results[large] as Sample;
  console.log(`  database: ${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`);
  return [
    { name: 'patient_search_p95_ratio', value: p95(l.api) / p95(l.direct), unit: 'ratio', target: 1.5 },
    { name: 'patient_search_scale_ratio', value: p95(l.api) / p95(s.api), unit: 'ratio', target: 2 },
    // What HTTP + tRPC alone cost here: the same ratio for a bare tRPC server doing only the direct work.
    {
      name: 'patient_search_p95_ratio_bare_trpc',
      value: p95(l.floor) / p95(l.direct),
      unit: 'ratio',
      target: null,
    },
    { name: `patient_search_api_p95_ms_${large}`, value: p95(l.api), unit: 'ms', target: null },
    { name: `patient_search_direct_p95_ms_${large}`, value: p95(l.direct), unit: 'ms', target: null },
    { name: `patient_search_api_p95_ms_${small}`, value: p95(s.api), unit: 'ms', target: null },
  ];
}
