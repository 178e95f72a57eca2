/**
 * backup_restore_s_per_10k_patients: an encrypted backup of a clinic's database (N patients, each with a visit,
 * two chart entries, a problem and audit events; plus the code masters every installation holds) and its
 * restore into an empty database, timed together, per 10,000 patients. PGlite by default, PostgreSQL with
 * DATABASE_URL (pg_dump / pg_restore).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAudit, ensureMasters, schema } from '@karte/db';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { restoreBackup, writeBackup } from '../../apps/api/src/services/backups/engine';
import type { Figure } from './main';
import { makeTarget } from './patientSearch';
import { createBenchFacility, growPatients } from './seed';

export async function backupBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const patients = quick ? 2_000 : 10_000;
  const source = await makeTarget();
  const work = mkdtempSync(join(tmpdir(), 'karte-bench-backup-'));
  const karte = await source.open();
  let restoreTo: { dataDir: string } | { databaseUrl: string };
  let dropRestore = async () => {};
  try {
    await ensureMasters(karte.db);
    const facilityId = await createBenchFacility(karte.db);
    const [user] = await karte.db.select().from(schema.users).where(eq(schema.users.facilityId, facilityId));
    const userId = user?.id as string;
    await growPatients(karte.db, facilityId, 0, patients);
    await karte.db.execute(sql`
      insert into encounters (facility_id, patient_id, encounter_date, doctor_id, created_by)
      select facility_id, id, date '2026-06-01' + (patient_number % 180), ${userId}, ${userId} from patients
      where facility_id = ${facilityId}`);
    await karte.db.execute(sql`
      insert into entries (facility_id, patient_id, encounter_id, kind, current_version, draft_rev, responsible_doctor, created_by)
      select e.facility_id, e.patient_id, e.id, 'soap', 1, 1, ${userId}, ${userId}
      from encounters e cross join generate_series(1, 2) n where e.facility_id = ${facilityId}`);
    await karte.db.execute(sql`
      insert into entry_versions (entry_id, version, facility_id, content, entered_by, responsible_doctor, approved_by, approved_at)
      select id, 1, facility_id,
        jsonb_build_object('s', '咳と鼻汁が続く。夜間に増悪。', 'o', '体温 37.2℃ 咽頭発赤 肺音清', 'a', '急性上気道炎', 'p', '経過観察、3日後再診'),
        ${userId}, ${userId}, ${userId}, now()
      from entries where facility_id = ${facilityId}`);
    await karte.db.execute(sql`
      insert into problems (facility_id, patient_id, disease_code, name, onset_date, created_by, updated_by)
      select facility_id, id, null, '急性上気道炎', date '2026-06-01', ${userId}, ${userId} from patients
      where facility_id = ${facilityId}`);
    // The audit chain (hashed, one by one): a sample of chart reads, as the clinic's day leaves them.
    const ids = await karte.db
      .select({ id: schema.patients.id })
      .from(schema.patients)
      .where(eq(schema.patients.facilityId, facilityId))
      .limit(quick ? 500 : 2_000);
    for (const p of ids)
      await appendAudit(karte.db, {
        facilityId,
        userId,
        patientId: p.id,
        action: 'read',
        procedure: 'chart.chart',
        outcome: 'ok',
        detail: {},
      });
    console.log(`  seeded ${patients} patients with visits, entries, problems; ${ids.length} audit events`);

    const key = randomBytes(32);
    const file = join(work, 'bench.kbak');
    let started = performance.now();
    await writeBackup(karte, file, key);
    const backupS = (performance.now() - started) / 1000;
    const bytes = statSync(file).size;

    if (karte.kind === 'postgres' && process.env.DATABASE_URL) {
      const name = `karte_bench_restore_${process.pid}`;
      const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${name}`;
      restoreTo = { databaseUrl: url.toString() };
      dropRestore = async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      };
    } else restoreTo = { dataDir: join(work, 'restored') };
    started = performance.now();
    await restoreBackup(file, restoreTo, key);
    const restoreS = (performance.now() - started) / 1000;
    const total = backupS + restoreS;
    console.log(
      `  ${karte.kind}: backup ${backupS.toFixed(1)} s (${(bytes / 1e6).toFixed(1)} MB), restore ${restoreS.toFixed(1)} s`,
    );
    return [
      {
        name: 'backup_restore_s_per_10k_patients',
        value: (total * 10_000) / patients,
        unit: 's',
        target: 60,
      },
    ];
  } finally {
    await karte.close();
    await dropRestore();
    await source.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}
