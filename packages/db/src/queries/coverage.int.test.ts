/**
 * One current coverage per patient (migration 0013_current_coverage): a database where a race already left
 * several current versions is repaired by the migration (the newest stays current, the others are ended and kept),
 * and from then on the unique index refuses a second current version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../errors';
import type { KarteDb } from '../open';
import { coverages } from '../schema';
import { openTestDb } from '../testing';
import { insertFacility } from './admin';
import { replaceCoverage } from './coverage';
import { insertPatient } from './reception';

let karte: KarteDb;
let facilityId: string;
let patientId: string;

const values = (number: string) => ({
  insurerNumber: '01130012',
  symbol: '12',
  number,
  branch: '',
  relationship: 'self' as const,
  acquiredOn: null,
  validUntil: null,
  limitCategory: '',
  wariOverride: null,
  wariSource: '',
});

beforeAll(async () => {
  karte = await openTestDb();
  facilityId = (await insertFacility(karte.db, { institutionCode: '0110113719', name: 'A' })).id;
  patientId = (
    await insertPatient(karte.db, facilityId, null, {
      familyName: '保険',
      givenName: '一郎',
      familyNameKana: 'ホケン',
      givenNameKana: 'イチロウ',
      sex: 'male',
      birthDate: '1970-01-01',
      postalCode: '',
      address: '',
      phone: '',
    })
  ).id;
});
afterAll(() => karte?.close());

const current = () =>
  karte.db
    .select()
    .from(coverages)
    .where(and(eq(coverages.patientId, patientId), isNull(coverages.endedAt)));

describe('one current coverage per patient', () => {
  it('the migration ends the older current versions a race left, then the index holds', async () => {
    // The state before the migration: no index, three current versions.
    await karte.db.execute(sql`drop index coverages_current_key`);
    for (const [i, n] of ['1001', '1002', '1003'].entries())
      await karte.db.insert(coverages).values({
        ...values(n),
        facilityId,
        patientId,
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
      });
    expect(await current()).toHaveLength(3);

    const file = join(import.meta.dirname, '../../migrations/0013_current_coverage.sql');
    for (const statement of readFileSync(file, 'utf8').split('--> statement-breakpoint'))
      await karte.db.execute(sql.raw(statement));

    const now = await current();
    expect(now.map((c) => c.number)).toEqual(['1003']);
    expect(await karte.db.$count(coverages, eq(coverages.patientId, patientId))).toBe(3);

    // A second current version is refused by the index (a unique violation: the services answer CONFLICT).
    const second = await karte.db
      .insert(coverages)
      .values({ ...values('2000'), facilityId, patientId })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(second)).toBe(true);
    // replaceCoverage from a stale "no coverage yet" is a conflict (null), never a second current version.
    expect(await replaceCoverage(karte.db, facilityId, patientId, null, null, values('2001'))).toBeNull();
    expect((await current()).map((c) => c.number)).toEqual(['1003']);
  });
});
