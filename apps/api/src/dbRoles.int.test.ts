/**
 * Least privilege on PostgreSQL (issue #14): the owner migrates and grants, the application role does Karte's
 * work and nothing else — it cannot alter tables or triggers, nor change the append-only records itself.
 * PostgreSQL only: PGlite has a single (super)user.
 */
import { randomBytes } from 'node:crypto';
import { applyAppGrants, type KarteDb, openDb, setUpRoles } from '@karte/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKarte, warnUnlessLeastPrivilege } from './app';
import { type Config, configFromEnv } from './config';
import { createLogger } from './log';
import { loginAs } from './testing';

const onPostgres = process.env.KARTE_TEST_DB === 'postgres';
const suffix = randomBytes(4).toString('hex');
const ownerRole = `karte_t_owner_${suffix}`;
const appRole = `karte_t_app_${suffix}`;
const database = `karte_t_roles_${suffix}`;
const server = process.env.DATABASE_URL ?? '';
const urlAs = (role: string | null, db = database) => {
  const u = new URL(server);
  if (role) {
    u.username = role;
    u.password = ''; // the test server trusts local connections
  }
  u.pathname = `/${db}`;
  return u.toString();
};
/** A database that first ran with a plain (superuser) URL, then is handed over to the owner. */
const earlier = `karte_t_earlier_${suffix}`;

let app: Awaited<ReturnType<typeof startKarte>> | undefined;
let asApp: postgres.Sql;
let asOwner: postgres.Sql;
const config = (): Config => ({
  ...configFromEnv({ KARTE_DEMO: '1' }),
  port: 0,
  databaseUrl: urlAs(appRole),
  databaseOwnerUrl: urlAs(ownerRole),
  // The share worker runs too (pg-boss as the application role); nothing listens there: deliveries wait.
  shareServiceUrl: 'http://127.0.0.1:9',
});
const start = () =>
  startKarte(config(), createLogger(undefined, 'silent'), undefined, { seed: true, tariffAtStart: false });

/** The SQLSTATE a statement of the application role fails with. */
async function sqlstate(statement: string): Promise<string> {
  try {
    await asApp.unsafe(statement);
  } catch (error) {
    return (error as { code?: string }).code ?? 'none';
  }
  return 'succeeded';
}

describe.runIf(onPostgres)('database roles (least privilege)', () => {
  beforeAll(async () => {
    // Through the same code as `npm run db:roles -- --database …` with a superuser URL.
    await setUpRoles(server, { ownerRole, appRole, database });
    app = await start();
    asApp = postgres(urlAs(appRole), { max: 1, onnotice: () => {} });
    asOwner = postgres(urlAs(ownerRole), { max: 1, onnotice: () => {} });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await asApp?.end();
    await asOwner?.end();
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`drop database if exists ${earlier} with (force)`);
      await admin.unsafe(`drop role if exists ${appRole}`);
      await admin.unsafe(`drop role if exists ${ownerRole}`);
    } finally {
      await admin.end();
    }
  });

  it('the application connects as a role that owns nothing; the owner ran the migrations', async () => {
    expect(app?.karte.privileges).toEqual({ ownerMigrated: true, problems: [] });
    const [who] = await asApp<{ me: string; super: boolean }[]>`
      select current_user::text as me, (select rolsuper from pg_roles where rolname = current_user) as super`;
    expect(who).toEqual({ me: appRole, super: false });
    const owned = await asApp`
      select c.relname from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname = ${appRole}`;
    expect(owned).toEqual([]);
    const [t] = await asApp<{ owner: string }[]>`
      select tableowner as owner from pg_tables where tablename = 'audit_events'`;
    expect(t?.owner).toBe(ownerRole);
  });

  it("Karte's ordinary work succeeds as the application role: login, registration, chart, approval, audit", async () => {
    const url = app?.url ?? '';
    const [before] = await asApp<{ n: number }[]>`select count(*)::int as n from audit_events`;
    const clerk = await loginAs(url, 'clerk');
    const doctor = await loginAs(url, 'doctor');
    const nurse = await loginAs(url, 'nurse');
    const registered = await clerk.reception.registerPatient.mutate({
      familyName: '権限',
      givenName: '最小',
      familyNameKana: 'ケンゲン',
      givenNameKana: 'サイショウ',
      sex: 'female',
      birthDate: '1970-04-01',
      postalCode: '',
      address: '',
      phone: '',
      confirmDuplicate: true,
    });
    if (registered.status !== 'created') throw new Error('expected a new patient');
    const patientId = registered.patient.id;
    const encounterId = (await doctor.chart.openEncounter.mutate({ patientId, visitId: null })).id;
    const draft = await doctor.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { s: '頭痛', o: '', a: '緊張型頭痛', p: '経過観察' },
      doctorId: null,
    });
    if (draft.status !== 'saved') throw new Error('expected saved');
    expect(
      await doctor.chart.confirm.mutate({ entryId: draft.entryId, baseRev: draft.draftRev, reason: '' }),
    ).toMatchObject({ version: 1, approved: true });
    // The one UPDATE of a confirmed version there is: the responsible doctor's approval of a proxy entry.
    const me = (await doctor.auth.me.query()).auth;
    const proxy = await nurse.chart.saveDraft.mutate({
      encounterId,
      entryId: null,
      baseRev: 0,
      content: { s: '血圧 130/80', o: '', a: '', p: '' },
      doctorId: me?.user.id ?? null,
    });
    if (proxy.status !== 'saved') throw new Error('expected saved');
    await nurse.chart.confirm.mutate({ entryId: proxy.entryId, baseRev: proxy.draftRev, reason: '' });
    expect(await doctor.chart.approve.mutate({ items: [{ entryId: proxy.entryId, version: 1 }] })).toEqual({
      approved: 1,
    });
    const chart = await doctor.chart.chart.query({ patientId });
    expect(chart.encounters[0]?.entries.map((e) => e.current?.approved)).toEqual([true, true]);
    // Audited through karte_append_audit (SECURITY DEFINER) although the role may not insert into the trail.
    const [after] = await asApp<{ n: number }[]>`select count(*)::int as n from audit_events`;
    expect(after?.n ?? 0).toBeGreaterThan((before?.n ?? 0) + 5);
    expect(await sqlstate(`select 1 from audit_events where action = 'x'`)).toBe('succeeded');
  });

  it('cannot alter tables or triggers, nor create, drop or truncate', async () => {
    const refused = {
      disableTriggers: await sqlstate('ALTER TABLE audit_events DISABLE TRIGGER ALL'),
      disableChartTrigger: await sqlstate(
        'ALTER TABLE entry_versions DISABLE TRIGGER entry_versions_immutable',
      ),
      dropTrigger: await sqlstate('DROP TRIGGER audit_events_append_only ON audit_events'),
      replaceTriggerFunction: await sqlstate(
        'CREATE OR REPLACE FUNCTION karte_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      ),
      replaceAppend: await sqlstate(
        `ALTER FUNCTION karte_append_audit(uuid, timestamptz, uuid, uuid, text, text, text, jsonb, text) SECURITY INVOKER`,
      ),
      addColumn: await sqlstate('ALTER TABLE patients ADD COLUMN evil text'),
      dropTable: await sqlstate('DROP TABLE audit_events'),
      dropOrdinary: await sqlstate('DROP TABLE patients'),
      createTable: await sqlstate('CREATE TABLE public.evil (id int)'),
      createSchema: await sqlstate('CREATE SCHEMA evil'),
      truncateAudit: await sqlstate('TRUNCATE audit_events'),
      truncateOrdinary: await sqlstate('TRUNCATE patients CASCADE'),
      becomeOwner: await sqlstate(`SET ROLE ${ownerRole}`),
      dropQueue: await sqlstate('DROP TABLE pgboss.job CASCADE'),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, '42501'])));
  });

  it('cannot UPDATE or DELETE the audit trail, confirmed chart versions or other append-only records', async () => {
    const refused = {
      updateAudit: await sqlstate(`UPDATE audit_events SET action = 'x'`),
      deleteAudit: await sqlstate('DELETE FROM audit_events'),
      insertAudit: await sqlstate(
        `INSERT INTO audit_events (facility_id, seq, occurred_at, action, procedure, outcome, detail, prev_hash, hash)
         SELECT facility_id, 999999, now(), 'x', 'x', 'ok', '{}', '', '' FROM audit_heads LIMIT 1`,
      ),
      rewindHead: await sqlstate('UPDATE audit_heads SET seq = 1'),
      deleteHead: await sqlstate('DELETE FROM audit_heads'),
      updateVersion: await sqlstate(
        `UPDATE entry_versions SET content = '{"s":"改ざん","o":"","a":"","p":""}'::jsonb`,
      ),
      updateVersionReason: await sqlstate(`UPDATE entry_versions SET reason = 'x'`),
      deleteVersion: await sqlstate('DELETE FROM entry_versions'),
      updateLab: await sqlstate(`UPDATE lab_results SET correction_reason = 'x'`),
      deleteLab: await sqlstate('DELETE FROM lab_results'),
      updateBillVersion: await sqlstate('UPDATE bill_versions SET charge_yen = 0'),
      deletePayment: await sqlstate('DELETE FROM bill_payments'),
      deletePrint: await sqlstate('DELETE FROM bill_prints'),
    };
    expect(refused).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, '42501'])));
    // And the rows are all there.
    const [v] = await asApp<{ n: number }[]>`select count(*)::int as n from entry_versions`;
    expect(v?.n).toBeGreaterThanOrEqual(2);
  });

  it('the grants survive a second start (migrations re-run) and cover tables a later migration adds', async () => {
    await app?.close();
    app = undefined;
    // What a later migration could add: an ordinary table and an append-only one (a karte_refuse_change trigger).
    await asOwner.unsafe('CREATE TABLE later_notes (id int primary key, body text)');
    await asOwner.unsafe('CREATE TABLE later_records (id int primary key, body text)');
    await asOwner.unsafe(`CREATE TRIGGER later_records_immutable BEFORE UPDATE OR DELETE ON later_records
      FOR EACH ROW EXECUTE FUNCTION karte_refuse_change()`);
    app = await start();
    expect(app.karte.privileges?.problems).toEqual([]);
    const privileges = async (table: string) =>
      (
        await asApp<{ p: string; has: boolean }[]>`
          select p, has_table_privilege(${table}, p) as has
          from unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p`
      )
        .filter((r) => r.has)
        .map((r) => r.p);
    expect(await privileges('later_notes')).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    expect(await privileges('later_records')).toEqual(['SELECT', 'INSERT']);
    expect(await privileges('audit_events')).toEqual(['SELECT']);
    expect(await privileges('lab_results')).toEqual(['SELECT', 'INSERT']);
    expect(await privileges('patients')).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    expect(await sqlstate('DELETE FROM audit_events')).toBe('42501');
    expect(await sqlstate('ALTER TABLE audit_events DISABLE TRIGGER ALL')).toBe('42501');
    // Still working after the restart.
    const doctor = await loginAs(app.url, 'doctor');
    expect((await doctor.auth.me.query()).auth?.user.role).toBe('doctor');
    // Applying the grants again changes nothing (idempotent).
    const first = await applyAppGrants(asOwner, appRole);
    expect(await applyAppGrants(asOwner, appRole)).toEqual(first);
    expect(first.some((s) => /TRUNCATE|REFERENCES|TRIGGER|OWNER/.test(s))).toBe(false);
  });

  it('an up-to-date database opens with the application URL alone (the CLIs); a plain owner URL is warned about', async () => {
    const appOnly: KarteDb = await openDb({ databaseUrl: urlAs(appRole), maxConnections: 1 });
    try {
      expect(appOnly.privileges).toEqual({ ownerMigrated: false, problems: [] });
      expect(await appOnly.migrationLevel()).toBeGreaterThan(0);
    } finally {
      await appOnly.close();
    }
    for (const [url, problem] of [
      [urlAs(ownerRole), /owns/],
      [urlAs(null), /superuser/],
    ] as const) {
      const plain = await openDb({ databaseUrl: url, maxConnections: 1 });
      try {
        expect(plain.privileges?.problems.join('; ')).toMatch(problem);
        const warnings: string[] = [];
        const fake = {
          info: () => {},
          warn: (_: unknown, message: string) => warnings.push(message),
        } as unknown as Parameters<typeof warnUnlessLeastPrivilege>[1];
        warnUnlessLeastPrivilege(plain, fake);
        expect(warnings.join('\n')).toMatch(/least privilege is NOT in force.*DATABASE_OWNER_URL/);
      } finally {
        await plain.close();
      }
    }
  });

  it('hands over a database that ran with a plain superuser URL (db:roles on an existing database)', async () => {
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${earlier}`);
    } finally {
      await admin.end();
    }
    const plain = await openDb({ databaseUrl: urlAs(null, earlier), maxConnections: 1 });
    await plain.close();
    await setUpRoles(server, { ownerRole, appRole, database: earlier });
    const split = await openDb({
      databaseUrl: urlAs(appRole, earlier),
      ownerUrl: urlAs(ownerRole, earlier),
      maxConnections: 1,
    });
    const q = split.sql;
    if (!q) throw new Error('expected PostgreSQL');
    try {
      expect(split.privileges).toEqual({ ownerMigrated: true, problems: [] });
      const notOwned = await q<{ name: string }[]>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'drizzle') and c.relkind in ('r', 'S')
          and pg_get_userbyid(c.relowner) <> ${ownerRole}`;
      expect(notOwned).toEqual([]);
      await expect(q.unsafe('ALTER TABLE audit_events DISABLE TRIGGER ALL')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await split.close();
    }
  });

  it('refuses an owner URL and an application URL of the same role', async () => {
    await expect(openDb({ databaseUrl: urlAs(ownerRole), ownerUrl: urlAs(ownerRole) })).rejects.toThrow(
      /same role/,
    );
  });
});
