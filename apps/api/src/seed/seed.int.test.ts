import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { countFacilities, ensureMasters, findFacilityByCode, findUserInFacility, schema } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { checkInstitutionCode } from '@karte/domain';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config';
import { createLogger, log } from '../log';
import { demoReferenceRange } from './demoChart';
import { DEMO_INSTITUTION_CODE, seedIfEmpty } from './seed';

describe('first boot', () => {
  it('seeds the demo clinic once, and never a non-empty database again', async () => {
    const karte = await openTestDb();
    try {
      const config = configFromEnv({ KARTE_DEMO: '1' });
      await ensureMasters(karte.db); // as at boot: the demo chart codes its records on the masters
      expect(await seedIfEmpty(karte.db, config, log)).toMatchObject({ seeded: true, demo: true });
      expect(checkInstitutionCode(DEMO_INSTITUTION_CODE)).toBeNull();
      const [patients] = await karte.db.select({ n: count() }).from(schema.patients);
      expect(patients?.n).toBe(200);
      // Every kind the share service takes, and one finalised document of each kind.
      const kinds = await karte.db
        .select({
          kind: schema.entries.kind,
          version: schema.entries.currentVersion,
          content: schema.entries.draft,
        })
        .from(schema.entries);
      expect(kinds.filter((e) => e.kind === 'document' && e.version === 1)).toHaveLength(3);
      const [problems] = await karte.db.select({ n: count() }).from(schema.problems);
      expect(problems?.n).toBeGreaterThanOrEqual(3);
      const drug = await karte.db.select().from(schema.allergies);
      expect(drug.map((a) => a.category)).toEqual(expect.arrayContaining(['drug', 'food']));
      const [labs] = await karte.db.select({ n: count() }).from(schema.labResults);
      expect(labs?.n).toBeGreaterThanOrEqual(4);
      // 会計: today's visits waiting at 会計待, one with 難病 公費 (54, 上限 10,000円), one with 区分ウ (A03).
      const billing = await karte.db.select().from(schema.visits).where(eq(schema.visits.state, 'billing'));
      expect(billing.length).toBeGreaterThanOrEqual(3);
      const [subsidy] = await karte.db.select().from(schema.publicSubsidies);
      expect(subsidy).toMatchObject({ payerNumber: '54136015', monthlyCap: 10_000 });
      const kubun = await karte.db
        .select()
        .from(schema.coverages)
        .where(eq(schema.coverages.limitCategory, 'A03'));
      expect(billing.map((v) => v.patientId)).toEqual(
        expect.arrayContaining([subsidy?.patientId, kubun[0]?.patientId]),
      );
      // They were seen here before (a finished visit), so 会計 proposes 再診 as their 来院目的 says.
      const before = await karte.db
        .select()
        .from(schema.visits)
        .where(and(eq(schema.visits.patientId, subsidy?.patientId ?? ''), eq(schema.visits.state, 'done')));
      expect(before).toHaveLength(1);
      expect((before[0]?.visitDate ?? '') < (billing[0]?.visitDate ?? '')).toBe(true);
      // バイタル (issue #15): months of measurements for the trends, and today's 問診 with its vitals.
      const vitals = await karte.db.select().from(schema.vitalSigns);
      expect(vitals.length).toBeGreaterThanOrEqual(100);
      const days = new Set(vitals.map((v) => v.measuredAt.toISOString().slice(0, 7)));
      expect(days.size).toBeGreaterThanOrEqual(5);
      const [intake] = await karte.db.select().from(schema.intakes);
      expect(intake).toMatchObject({ version: 1, chiefComplaint: '発熱と咳' });
      expect(vitals.filter((v) => v.visitId === intake?.visitId).map((v) => v.temperature)).toEqual(['38.4']);
      const demo = await findFacilityByCode(karte.db, DEMO_INSTITUTION_CODE);
      for (const u of ['doctor', 'nurse', 'clerk', 'admin'])
        expect(await findUserInFacility(karte.db, demo?.id ?? '', u)).not.toBeNull();
      expect(await seedIfEmpty(karte.db, config, log)).toEqual({ seeded: false });
      expect(await countFacilities(karte.db)).toBe(1);
    } finally {
      await karte.close();
    }
  }, 120_000); // seeds the whole demo clinic (its months of history too)

  it('gives the demo patient the creatinine reference range of the patient’s own sex', async () => {
    expect(demoReferenceRange('3C015000002327101', 'male')).toBe('0.65-1.07');
    expect(demoReferenceRange('3C015000002327101', 'female')).toBe('0.46-0.79');
    const karte = await openTestDb();
    try {
      await ensureMasters(karte.db);
      await seedIfEmpty(karte.db, configFromEnv({ KARTE_DEMO: '1' }), log);
      const cre = await karte.db
        .select({
          sex: schema.patients.sex,
          low: schema.labResults.refLow,
          high: schema.labResults.refHigh,
          flag: schema.labResults.flag,
          value: schema.labResults.valueNum,
        })
        .from(schema.labResults)
        .innerJoin(schema.patients, eq(schema.patients.id, schema.labResults.patientId))
        .where(eq(schema.labResults.code, '3C015000002327101'));
      expect(cre.length).toBeGreaterThan(0);
      for (const r of cre) {
        const [low, high] = r.sex === 'male' ? [0.65, 1.07] : [0.46, 0.79];
        expect([Number(r.low), Number(r.high)]).toEqual([low, high]);
        // The H/L flag follows the range of the right sex.
        const v = Number(r.value);
        expect(r.flag).toBe(v > high ? 'H' : v < low ? 'L' : '');
      }
    } finally {
      await karte.close();
    }
  }, 120_000); // seeds the whole demo clinic

  it('gives a production database only an initial admin who must change the password', async () => {
    const karte = await openTestDb();
    try {
      const env = {
        DATABASE_URL: 'postgres://x',
        KARTE_FACILITY_CODE: '0110113719',
        KARTE_ADMIN_PASSWORD: 'first-admin-pass',
      };
      const config = configFromEnv(env);
      expect(config.demo).toBe(false);
      await expect(seedIfEmpty(karte.db, config, log, { KARTE_FACILITY_CODE: '0110113718' })).rejects.toThrow(
        /医療機関コード/,
      );
      expect(await seedIfEmpty(karte.db, config, log, env)).toMatchObject({ seeded: true, demo: false });
      const facility = await findFacilityByCode(karte.db, '0110113719');
      const admin = await findUserInFacility(karte.db, facility?.id ?? '', 'admin');
      expect(admin?.mustChangePassword).toBe(true);
      const [patients] = await karte.db.select({ n: count() }).from(schema.patients);
      expect(patients?.n).toBe(0);
    } finally {
      await karte.close();
    }
  });

  it('does not log a generated initial admin password: it goes to a file only the owner reads', async () => {
    const karte = await openTestDb();
    try {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'karte-seed-')), 'data');
      const env = { DATABASE_URL: 'postgres://x', KARTE_FACILITY_CODE: '0110113719' };
      const config = { ...configFromEnv(env), dataDir };
      let logged = '';
      const capture = createLogger(
        new Writable({
          write(chunk, _enc, done) {
            logged += chunk.toString();
            done();
          },
        }),
        'info',
      );
      await seedIfEmpty(karte.db, config, capture, env);
      const file = join(dataDir, 'initial-admin-password.txt');
      const password = /パスワード (\S+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(logged).toContain(file);
      expect(logged).not.toContain(password);
    } finally {
      await karte.close();
    }
  });

  it('demo mode follows the database kind unless KARTE_DEMO says otherwise', () => {
    expect(configFromEnv({}).demo).toBe(true);
    expect(configFromEnv({ DATABASE_URL: 'postgres://x' }).demo).toBe(false);
    expect(configFromEnv({ DATABASE_URL: 'postgres://x', KARTE_DEMO: '1' }).demo).toBe(true);
    expect(configFromEnv({ KARTE_DEMO: '0' }).demo).toBe(false);
  });
});
