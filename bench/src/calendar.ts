/**
 * calendar_week_p95_ratio: a doctor's week of 予約 with 300 appointments read through the API — the calendar
 * procedure as the 予約 screen asks for it, over real HTTP — ÷ the same reads (billing hours, the week's
 * appointments with their patients and doctors, the facility's doctors and 診療科) and the audit insert issued
 * straight through the driver.
 */
import { appendAuditSql, appointmentList, facilityDoctors, type KarteDb, schema } from '@karte/db';
import { eq, sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { signedInApi } from './chart';
import type { Figure } from './main';
import { makeTarget, stopProcess } from './patientSearch';
import { createBenchFacility, growPatients } from './seed';
import { p95, timeCalls } from './timing';

const READS = 300;
const WARMUP = 30;
/** A Monday: the week shown. */
const WEEK = '2027-03-01';
const APPOINTMENTS = 300;

/** 300 appointments of one doctor in the week: ~43 a day, 15 minutes each, one patient each. */
async function seedWeek(karte: KarteDb, facilityId: string, doctorId: string) {
  await karte.db.execute(sql`
    insert into appointments (facility_id, patient_id, doctor_id, department, appointment_date, start_minute,
      duration_minutes, purpose, created_by, updated_by)
    select ${facilityId}, p.id, ${doctorId}, '内科', ${WEEK}::date + ((p.n - 1) % 7)::int,
      (480 + ((p.n - 1) / 7) * 15)::smallint, 15, '再診', ${doctorId}, ${doctorId}
    from (select id, row_number() over (order by patient_number) as n from patients where facility_id = ${facilityId}) p
    where p.n <= ${APPOINTMENTS}`);
}

/** The calendar's reads without the API: the same SQL the service issues, and its audit append. */
async function directWeek(karte: KarteDb, facilityId: string, doctorId: string, userId: string) {
  const dialect = (
    karte.db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }
  ).dialect;
  const to = '2027-03-07';
  const settingsSql = karte.db
    .select()
    .from(schema.billingSettings)
    .where(eq(schema.billingSettings.facilityId, facilityId))
    .toSQL();
  const listSql = appointmentList(karte.db, facilityId, { from: WEEK, to, doctorId }).toSQL();
  const doctorsSql = facilityDoctors(karte.db, facilityId).toSQL();
  const facilitySql = karte.db
    .select()
    .from(schema.facilities)
    .where(eq(schema.facilities.id, facilityId))
    .toSQL();
  type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;
  const work = async (run: Run) => {
    await run(settingsSql.sql, settingsSql.params);
    const rows = await run(listSql.sql, listSql.params);
    await run(doctorsSql.sql, doctorsSql.params);
    await run(facilitySql.sql, facilitySql.params);
    const a = dialect.sqlToQuery(
      appendAuditSql({
        facilityId,
        occurredAt: new Date().toISOString(),
        userId,
        patientId: null,
        action: 'read',
        procedure: 'appointments.calendar',
        outcome: 'ok',
        detail: {
          what: 'appointment-calendar',
          from: WEEK,
          to,
          patientIds: [...new Set(rows.map((r) => String(r.patient_id ?? r.patientId)))],
        },
      }),
    );
    await run(a.sql, a.params);
  };
  if (karte.pglite) {
    const pg = karte.pglite;
    return () =>
      pg.transaction((tx) => work(async (t, p) => (await tx.query<Record<string, unknown>>(t, p)).rows));
  }
  const pgsql = karte.sql as postgres.Sql;
  return () =>
    pgsql.begin((tx) =>
      work(async (t, p) => [...(await tx.unsafe<Record<string, unknown>[]>(t, p as never[]))]),
    );
}

export async function calendarBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const reads = quick ? 100 : READS;
  const target = await makeTarget();
  try {
    let karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    await growPatients(karte.db, facilityId, 0, 1000);
    const user = await karte.db.query.users.findFirst();
    if (!user) throw new Error('seed');
    // The bench user is the doctor whose week it is.
    await karte.db.execute(sql`update users set role = 'doctor' where id = ${user.id}`);
    await seedWeek(karte, facilityId, user.id);
    await karte.close();

    const { app, api } = await signedInApi(target);
    const input = { from: WEEK, days: 7, doctorId: user.id };
    const first = JSON.parse(await api.query('appointments.calendar', input)) as {
      result: { data: { json: { appointments: unknown[] } } };
    };
    const shown = first.result.data.json.appointments.length;
    if (shown !== APPOINTMENTS)
      throw new Error(`calendar shows ${shown} appointments, expected ${APPOINTMENTS}`);
    const apiTimes = await timeCalls(reads, () => api.query('appointments.calendar', input), WARMUP);
    await stopProcess(app.proc);

    karte = await target.open();
    const direct = await directWeek(karte, facilityId, user.id, user.id);
    const directTimes = await timeCalls(reads, direct, WARMUP);
    await karte.close();
    console.log(
      `  a doctor's week of ${shown} appointments: API p95 ${p95(apiTimes).toFixed(1)} ms, ` +
        `direct p95 ${p95(directTimes).toFixed(1)} ms`,
    );
    return [
      { name: 'calendar_week_p95_ratio', value: p95(apiTimes) / p95(directTimes), unit: 'ratio', target: 2 },
      { name: 'calendar_week_api_p95_ms', value: p95(apiTimes), unit: 'ms', target: null },
      { name: 'calendar_week_direct_p95_ms', value: p95(directTimes), unit: 'ms', target: null },
    ];
  } finally {
    await target.cleanup();
  }
}
