/**
 * drug_search_p95_ms: drug search over the 12,434 products through the API (kana, kanji, 成分名, code).
 * lab_trend_p95_ratio: the trend of one item for a patient with 5,000 results (20 items × 250 dates)
 * through the API ÷ the same reads and audit insert issued straight through the driver.
 */
import { appendAuditSql, type KarteDb, labTrend, schema } from '@karte/db';
import { eq, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { signedInApi } from './chart';
import type { Figure } from './main';
import { makeTarget, stopProcess } from './patientSearch';
import { createBenchFacility, growPatients } from './seed';
import { p95, timeCalls } from './timing';

const WARMUP = 30;
const ITEM = '3A015000002327101'; // ALB

async function seedLabs(karte: KarteDb, facilityId: string, patientId: string, userId: string) {
  // 20 items (ALB and 19 local codes) × 250 collection dates = 5,000 results.
  await karte.db.execute(sql`
    insert into lab_results (facility_id, patient_id, collected_on, code, code_system, name, value, value_num, unit, ref_low, ref_high, ref_text, flag, entered_by)
    select ${facilityId}, ${patientId}, date '2016-01-01' + d * 14,
      case when i = 0 then ${ITEM} else 'L' || lpad(i::text, 3, '0') end,
      case when i = 0 then 'jlac10' else 'local' end,
      case when i = 0 then 'アルブミン' else '院内項目' || i end,
      (3.5 + (d % 10) * 0.1)::text, 3.5 + (d % 10) * 0.1, 'g/dL', 3.8, 5.2, '3.8-5.2',
      case when 3.5 + (d % 10) * 0.1 < 3.8 then 'L' else '' end, ${userId}
    from generate_series(0, 249) d cross join generate_series(0, 19) i`);
}

/** The trend's database work without the API: patient check, the trend query, the audit append. */
function directTrend(karte: KarteDb, facilityId: string, patientId: string, userId: string) {
  const dialect = (
    karte.db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }
  ).dialect;
  const patient = dialect.sqlToQuery(
    sql`select * from patients where facility_id = ${facilityId} and id = ${patientId}`,
  );
  const trend = labTrend(karte.db, facilityId, patientId, ITEM).toSQL();
  const audit = (count: number) =>
    dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId,
        action: 'read',
        procedure: 'orders.labTrend',
        outcome: 'ok',
        detail: { what: 'lab-trend', code: ITEM, count },
      }),
    );
  if (karte.pglite) {
    const pg = karte.pglite;
    return () =>
      pg.transaction(async (tx) => {
        await tx.query(patient.sql, patient.params);
        const rows = (await tx.query(trend.sql, trend.params as unknown[])).rows;
        const a = audit(rows.length);
        await tx.query(a.sql, a.params);
        return rows.length;
      });
  }
  const pgsql = karte.sql as postgres.Sql;
  return () =>
    pgsql.begin(async (tx) => {
      await tx.unsafe(patient.sql, patient.params as never[]);
      const rows = await tx.unsafe(trend.sql, trend.params as never[], { prepare: true });
      const a = audit(rows.length);
      await tx.unsafe(a.sql, a.params as never[]);
      return rows.length;
    }) as Promise<number>;
}

export async function ordersBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const calls = quick ? 150 : 500;
  const target = await makeTarget();
  try {
    let karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    await growPatients(karte.db, facilityId, 0, 1000);
    const user = await karte.db.query.users.findFirst();
    const [patient] = await karte.db.query.patients.findMany({ limit: 1 });
    if (!user || !patient) throw new Error('seed');
    await karte.db.execute(sql`update users set role = 'doctor' where id = ${user.id}`);
    await seedLabs(karte, facilityId, patient.id, user.id);
    await karte.close();

    // The API loads the bundled masters (drugs, JLAC10 lists) on boot, as `npm start` does.
    const { app, api } = await signedInApi(target);
    const terms = [
      'ろきそ',
      'アムロジ',
      'カロナール',
      'ロキソプロフェン',
      '1149019',
      'ﾒﾄﾎﾙﾐﾝ',
      'クラリス',
      'ワルファリン',
      'プレドニン',
      'ガスター',
      'セレコ',
      'ムコ',
    ];
    const found = JSON.parse(await api.query('chart.searchDrugs', { query: 'ろきそ', limit: 20 })) as {
      result: { data: { json: unknown[] } };
    };
    if (found.result.data.json.length === 0) throw new Error('drug master not loaded');
    const searchTimes = await timeCalls(
      calls,
      (i) => api.query('chart.searchDrugs', { query: terms[i % terms.length], limit: 20 }),
      terms.length,
    );

    const trendCall = () => api.query('orders.labTrend', { patientId: patient.id, code: ITEM });
    const points = (JSON.parse(await trendCall()) as { result: { data: { json: unknown[] } } }).result.data
      .json.length;
    const apiTimes = await timeCalls(calls, trendCall, WARMUP);
    await stopProcess(app.proc);

    karte = await target.open();
    const n = await karte.db.$count(schema.labResults, eq(schema.labResults.patientId, patient.id));
    const direct = directTrend(karte, facilityId, patient.id, user.id);
    const directTimes = await timeCalls(calls, direct, WARMUP);
    await karte.close();
    console.log(
      `  drug search p95 ${p95(searchTimes).toFixed(1)} ms; lab trend of ${points} points (patient with ${n} results): ` +
        `API p95 ${p95(apiTimes).toFixed(2)} ms, direct p95 ${p95(directTimes).toFixed(2)} ms`,
    );
    return [
      { name: 'drug_search_p95_ms', value: p95(searchTimes), unit: 'ms', target: 30 },
      { name: 'lab_trend_p95_ratio', value: p95(apiTimes) / p95(directTimes), unit: 'ratio', target: 2 },
      { name: 'lab_trend_api_p95_ms', value: p95(apiTimes), unit: 'ms', target: null },
      { name: 'lab_trend_direct_p95_ms', value: p95(directTimes), unit: 'ms', target: null },
    ];
  } finally {
    await target.cleanup();
  }
}
