import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAuditSql, type KarteDb, openDb, parsePatientQuery, searchPatients } from '@karte/db';
import postgres from 'postgres';
import type { Figure } from './main';
import { BENCH_PASSWORD, BENCH_USER, createBenchFacility, growPatients, searchTerms } from './seed';

const root = new URL('../..', import.meta.url).pathname;
const SEARCHES = 1000;
const WARMUP = 100;
const LIMIT = 20; // as the search screen asks (apps/web PatientSearchPage PAGE)

const p95 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
};

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

async function makeTarget(): Promise<Target> {
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

/** The API as `npm start` runs it, in its own process. */
async function startServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('node', [join(root, 'apps/api/dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), KARTE_DEMO: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, proc };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error('server did not start');
}

async function stopServer(proc: ChildProcess) {
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

async function measureApi(url: string, terms: string[]): Promise<number[]> {
  const login = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-karte-csrf': '1' },
    body: JSON.stringify({ json: { username: BENCH_USER, password: BENCH_PASSWORD } }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  if (!cookie) throw new Error('bench login failed');
  // Plain node:http with one kept-alive connection, as a browser tab holds one.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: hostname, port, path, agent, headers: { cookie } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  const one = async (query: string) => {
    const input = encodeURIComponent(JSON.stringify({ json: { query, limit: LIMIT } }));
    const t0 = performance.now();
    const res = await get(`/trpc/reception.searchPatients?input=${input}`);
    const ms = performance.now() - t0;
    const body = JSON.parse(res.body) as { result?: { data?: { json?: unknown[] } } };
    if (res.status !== 200 || !Array.isArray(body.result?.data?.json))
      throw new Error(`search failed: ${res.status}`);
    return ms;
  };
  for (const t of terms.slice(0, WARMUP)) await one(t);
  const times: number[] = [];
  for (const t of terms) times.push(await one(t));
  return times;
}

/** The same database work without the API: the search query and the audit append, in one transaction. */
async function measureRaw(
  karte: KarteDb,
  facilityId: string,
  userId: string,
  terms: string[],
): Promise<number[]> {
  // The search SQL exactly as the app's query builder writes it, and the same audit statement.
  const dialect = (
    karte.db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }
  ).dialect;
  const searchSql = (term: string) => {
    const q = parsePatientQuery(term);
    if (!q) throw new Error(`no query for ${term}`);
    const built = searchPatients(karte.db, facilityId, q, LIMIT).toSQL();
    return { sql: built.sql, params: built.params as unknown[], kind: q.kind };
  };
  const audit = (term: string, kind: string, ids: string[]) =>
    dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId: null,
        action: 'search',
        procedure: 'reception.searchPatients',
        outcome: 'ok',
        detail: { query: term, kind, patientIds: ids },
      }),
    );
  let one: (term: string) => Promise<number>;
  if (karte.pglite) {
    const pg = karte.pglite;
    one = async (term) => {
      const s = searchSql(term);
      const t0 = performance.now();
      await pg.transaction(async (tx) => {
        const rows = await tx.query<{ id: string }>(s.sql, s.params);
        const a = audit(
          term,
          s.kind,
          rows.rows.map((r) => r.id),
        );
        await tx.query(a.sql, a.params);
      });
      return performance.now() - t0;
    };
  } else {
    const sql = karte.sql as postgres.Sql;
    one = async (term) => {
      const s = searchSql(term);
      const t0 = performance.now();
      await sql.begin(async (tx) => {
        // Prepared like the app's search; the audit call unprepared like the app's.
        const rows = await tx.unsafe<{ id: string }[]>(s.sql, s.params as never[], { prepare: true });
        const a = audit(
          term,
          s.kind,
          rows.map((r) => r.id),
        );
        await tx.unsafe(a.sql, a.params as never[]);
      });
      return performance.now() - t0;
    };
  }
  for (const t of terms.slice(0, WARMUP)) await one(t);
  const times: number[] = [];
  for (const t of terms) times.push(await one(t));
  return times;
}

export async function patientSearch({ quick }: { quick: boolean }): Promise<Figure[]> {
  const small = 10_000;
  const large = quick ? 100_000 : 1_000_000;
  const terms = searchTerms(SEARCHES);
  const target = await makeTarget();
  const results: Record<number, { api: number; raw: number }> = {};
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
      const [user] = await karte.db.query.users.findMany({
        where: (u, { eq }) => eq(u.username, BENCH_USER),
      });
      await karte.close(); // one process owns a PGlite folder: hand it to the server
      const server = await startServer(target.serverEnv);
      const api = await measureApi(server.url, terms);
      await stopServer(server.proc);
      karte = await target.open();
      const raw = await measureRaw(karte, facilityId, user?.id ?? '', terms);
      results[size] = { api: p95(api), raw: p95(raw) };
      console.log(
        `  ${size.toLocaleString()} patients: p95 API ${p95(api).toFixed(2)} ms, p95 direct ${p95(raw).toFixed(2)} ms`,
      );
    }
    await karte.close();
  } finally {
    await target.cleanup();
  }
  const s = results[small] as { api: number; raw: number };
  const l = results[large] as { api: number; raw: number };
  const db = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  console.log(`  database: ${db}`);
  return [
    { name: 'patient_search_p95_ratio', value: l.api / l.raw, unit: 'ratio', target: 1.5 },
    { name: 'patient_search_scale_ratio', value: l.api / s.api, unit: 'ratio', target: 2 },
    { name: `patient_search_api_p95_ms_${large}`, value: l.api, unit: 'ms', target: null },
    { name: `patient_search_direct_p95_ms_${large}`, value: l.raw, unit: 'ms', target: null },
    { name: `patient_search_api_p95_ms_${small}`, value: s.api, unit: 'ms', target: null },
  ];
}
