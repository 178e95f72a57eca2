/**
 * chart_open_p95_ratio: opening the chart of a patient with ten years of history (300 encounters,
 * 1,500 entries, 40 problems) through the API — the timeline (chart.chart) and the problem list
 * (chart.problems), as the chart screen asks for them — ÷ the same reads and audit inserts issued
 * straight through the driver. disease_search_p95_ms: 2-character kana prefixes through the API.
 */
import http from 'node:http';
import {
  appendAuditSql,
  entriesOfEncounters,
  type KarteDb,
  patientEncounters,
  patientProblems,
  schema,
  versionsOfEntries,
} from '@karte/db';
import { asc, eq, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Figure } from './main';
import { makeTarget, startProcess, stopProcess } from './patientSearch';
import { BENCH_FACILITY_CODE, BENCH_PASSWORD, BENCH_USER, createBenchFacility, growPatients } from './seed';
import { p95, timeCalls } from './timing';

const OPENS = 300;
const WARMUP = 30;

async function seedHistory(karte: KarteDb, facilityId: string, patientId: string, userId: string) {
  await karte.db.execute(sql`
    insert into encounters (facility_id, patient_id, encounter_date, doctor_id, created_by)
    select ${facilityId}, ${patientId}, date '2016-12-01' + (g * 12), ${userId}, ${userId} from generate_series(1, 300) g`);
  await karte.db.execute(sql`
    insert into entries (facility_id, patient_id, encounter_id, kind, current_version, draft_rev, responsible_doctor, created_by)
    select e.facility_id, e.patient_id, e.id, 'soap', 1, 1, ${userId}, ${userId}
    from encounters e cross join generate_series(1, 5) n where e.patient_id = ${patientId}`);
  await karte.db.execute(sql`
    insert into entry_versions (entry_id, version, facility_id, content, entered_by, responsible_doctor, approved_by, approved_at)
    select id, 1, facility_id,
      jsonb_build_object('s', '咳と鼻汁が続く。夜間に増悪。', 'o', '体温 37.2℃ 咽頭発赤 肺音清', 'a', '急性上気道炎', 'p', '経過観察、3日後再診'),
      ${userId}, ${userId}, ${userId}, now()
    from entries where patient_id = ${patientId}`);
  await karte.db.execute(sql`
    insert into problems (facility_id, patient_id, disease_code, name, onset_date, created_by, updated_by)
    select ${facilityId}, ${patientId}, null, '病名' || g, date '2016-12-01' + g * 60, ${userId}, ${userId}
    from generate_series(1, 40) g`);
}

export function client(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  let cookie = '';
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: hostname,
          port,
          path,
          method,
          agent,
          headers: {
            ...(data ? { 'content-type': 'application/json', 'x-karte-csrf': '1' } : {}),
            ...(cookie ? { cookie } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const set = res.headers['set-cookie']?.[0]?.split(';')[0];
            if (set) cookie = set;
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  const query = async (proc: string, input: unknown) => {
    const res = await request(
      'GET',
      `/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    );
    if (res.status !== 200) throw new Error(`${proc}: ${res.status}`);
    return res.body;
  };
  return { request, query };
}

/** The API as `npm start` runs it (own process, real HTTP), signed in as the bench user. */
export async function signedInApi(target: Awaited<ReturnType<typeof makeTarget>>) {
  const app = await startProcess(
    [new URL('../../apps/api/dist/main.js', import.meta.url).pathname],
    { ...target.serverEnv, ELIGIBILITY_URL: 'http://127.0.0.1:9' },
    '/healthz',
  );
  const api = client(app.url);
  const login = await api.request('POST', '/trpc/auth.login', {
    json: { facilityCode: BENCH_FACILITY_CODE, username: BENCH_USER, password: BENCH_PASSWORD },
  });
  if (login.status !== 200) {
    await stopProcess(app.proc);
    throw new Error(`bench login failed: ${login.status}`);
  }
  return { app, api };
}

/** The chart screen's reads without the API: the same SQL the services issue, and their audit appends. */
async function directOpen(karte: KarteDb, facilityId: string, patientId: string, userId: string) {
  const dialect = (
    karte.db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }
  ).dialect;
  const audit = (what: string) =>
    dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId,
        action: 'read',
        procedure: `chart.${what}`,
        outcome: 'ok',
        detail: { what },
      }),
    );
  const patientSql = sql`select * from patients where facility_id = ${facilityId} and id = ${patientId}`;
  const q = (x: { toSQL(): { sql: string; params: unknown[] } }) => x.toSQL();
  const encountersSql = q(patientEncounters(karte.db, facilityId, patientId));
  // listUsers' query, built here because the helper awaits it.
  const usersSql = karte.db
    .select()
    .from(schema.users)
    .where(eq(schema.users.facilityId, facilityId))
    .orderBy(asc(schema.users.username))
    .toSQL();
  const problemsSql = q(patientProblems(karte.db, facilityId, patientId));
  const patient = dialect.sqlToQuery(patientSql);
  type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  const work = async (run: Run) => {
    await run(patient.sql, patient.params);
    const encounters = await run(encountersSql.sql, encountersSql.params);
    const entriesSql = q(
      entriesOfEncounters(
        karte.db,
        facilityId,
        encounters.map((e) => String(e.id)),
      ) as unknown as {
        toSQL(): { sql: string; params: unknown[] };
      },
    );
    const entries = await run(entriesSql.sql, entriesSql.params);
    const versionsSql = q(
      versionsOfEntries(
        karte.db,
        facilityId,
        entries.map((e) => String(e.id)),
      ) as unknown as {
        toSQL(): { sql: string; params: unknown[] };
      },
    );
    await run(versionsSql.sql, versionsSql.params);
    await run(usersSql.sql, usersSql.params);
    const a = audit('chart');
    await run(a.sql, a.params);
  };
  const problems = async (run: Run) => {
    await run(patient.sql, patient.params);
    await run(problemsSql.sql, problemsSql.params);
    const a = audit('problems');
    await run(a.sql, a.params);
  };
  if (karte.pglite) {
    const pg = karte.pglite;
    return async () => {
      await pg.transaction((tx) =>
        work(async (t, p) => (await tx.query<Record<string, unknown>>(t, p)).rows),
      );
      await pg.transaction((tx) =>
        problems(async (t, p) => (await tx.query<Record<string, unknown>>(t, p)).rows),
      );
    };
  }
  const pgsql = karte.sql as postgres.Sql;
  const viaPostgres =
    (tx: postgres.TransactionSql): Run =>
    async (t, p) => [...(await tx.unsafe<Record<string, unknown>[]>(t, p as never[]))];
  return async () => {
    await pgsql.begin((tx) => work(viaPostgres(tx)));
    await pgsql.begin((tx) => problems(viaPostgres(tx)));
  };
}

export async function chartBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const opens = quick ? 100 : OPENS;
  const target = await makeTarget();
  try {
    let karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    await growPatients(karte.db, facilityId, 0, 1000);
    const user = await karte.db.query.users.findFirst();
    const [patient] = await karte.db.query.patients.findMany({ limit: 1 });
    if (!user || !patient) throw new Error('seed');
    // The bench user writes the chart as a doctor.
    await karte.db.execute(sql`update users set role = 'doctor' where id = ${user.id}`);
    await seedHistory(karte, facilityId, patient.id, user.id);
    await karte.close();

    const { app, api } = await signedInApi(target);
    const encounters = (
      JSON.parse(await api.query('chart.chart', { patientId: patient.id })) as {
        result: { data: { json: { encounters: { entries: unknown[] }[] } } };
      }
    ).result.data.json.encounters;
    const entryCount = encounters.reduce((n, e) => n + e.entries.length, 0);
    const openChart = async () => {
      await api.query('chart.chart', { patientId: patient.id });
      await api.query('chart.problems', { patientId: patient.id });
    };
    const apiTimes = await timeCalls(opens, openChart, WARMUP);

    const terms = [
      'コウ',
      'カン',
      'キュ',
      'シン',
      'ハイ',
      'いん',
      'せい',
      'ﾄｳ',
      'まん',
      'ジョ',
      'フク',
      'ない',
    ];
    const searchTimes = await timeCalls(
      quick ? 200 : 500,
      (i) => api.query('chart.searchDiseases', { query: terms[i % terms.length], limit: 20 }),
      terms.length,
    );
    await stopProcess(app.proc);

    karte = await target.open();
    const direct = await directOpen(karte, facilityId, patient.id, user.id);
    const directTimes = await timeCalls(opens, direct, WARMUP);
    await karte.close();
    console.log(
      `  chart of ${encounters.length} encounters / ${entryCount} entries: API p95 ${p95(apiTimes).toFixed(1)} ms, ` +
        `direct p95 ${p95(directTimes).toFixed(1)} ms; disease search p95 ${p95(searchTimes).toFixed(1)} ms`,
    );
    return [
      { name: 'chart_open_p95_ratio', value: p95(apiTimes) / p95(directTimes), unit: 'ratio', target: 2 },
      { name: 'chart_open_api_p95_ms', value: p95(apiTimes), unit: 'ms', target: null },
      { name: 'chart_open_direct_p95_ms', value: p95(directTimes), unit: 'ms', target: null },
      { name: 'disease_search_p95_ms', value: p95(searchTimes), unit: 'ms', target: 30 },
    ];
  } finally {
    await target.cleanup();
  }
}
