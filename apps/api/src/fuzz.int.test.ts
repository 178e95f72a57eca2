/**
 * Fuzzing every procedure from its own zod schema (issue #12 item 10): inputs are drawn from the procedure's
 * input contract (walked below: no zod-to-fast-check bridge supports zod 4) with hostile values mixed in —
 * NUL, lone surrogates, 2³¹, 1e10, year 0000/9999, very long text, other facilities' ids, wrong types.
 * Each call is made as a user of a role allowed to call it. Nothing may answer INTERNAL_SERVER_ERROR, a
 * rejected call may leave no rows behind, and the audit chains still verify afterwards.
 * FUZZ_RUNS (inputs per procedure) and FUZZ_SEED reproduce a run.
 */
import { schema, verifyAuditChain } from '@karte/db';
import type { Role } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { log } from './log';
import { httpEligibilityPort } from './ports/eligibility';
import { appRouter } from './routers/_app';
import { LoginGuard } from './services/auth/loginGuard';
import type { Auth } from './services/auth/sessions';
import { addFacility, problemFields, startTestApp, type TestApp } from './testing';
import { type Context, createCallerFactory, type Meta } from './trpc';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
// A fixed default seed keeps CI reproducible; FUZZ_SEED=$RANDOM (and FUZZ_RUNS=200) explores further.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);

// biome-ignore lint/suspicious/noExplicitAny: zod 4's internal definitions are walked structurally.
type AnySchema = { _zod: { def: any } };
const createCaller = createCallerFactory(appRouter);
// Callers go straight to the procedures; the per-address login limits are the HTTP layer's concern.
const loginGuard = new LoginGuard();
type Caller = ReturnType<typeof createCaller>;

let app: TestApp;
const auths = new Map<Role, Auth>();
let facilityA = '';
let facilityB = '';
let ownIds: string[] = [];
let foreignIds: string[] = [];
let patientNumber = 1;

const BIG_TEXT = 'あ'.repeat(30_000);
const hostileStrings = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '山\uDBFF',
  '\u0007\u001B[31m',
  'A'.repeat(100_000),
  BIG_TEXT,
  '0000-01-01',
  '9999-12-31',
  '2026-02-30',
  '0000-00-00',
  '2147483648',
  '9999999999',
  '1e10',
  '10000000000',
  '-1',
  '',
  ' ',
  '\r\n\t',
  "'; drop table patients; --",
  '<script>alert(1)</script>',
  'constructor',
  '__proto__',
  '１２３４５',
  'R8.11.20',
];
const hostileNumbers = [
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  1e10,
  1e308,
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];
const wrongTypes = [null, true, 0, 'x', [], {}, { __proto__: { admin: true } }, [1, 2]];

const hostileString = () => fc.constantFrom(...hostileStrings);
const anyWrong = () => fc.constantFrom<unknown>(...wrongTypes, ...hostileStrings.slice(0, 6), 2 ** 31);
const ids = () =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...ownIds), weight: 4 },
    { arbitrary: fc.constantFrom(...foreignIds), weight: 2 },
    { arbitrary: fc.uuid({ version: 4 }), weight: 1 },
  );

/** A lab CSV of plausible and hostile rows (10-digit 患者番号, 1e10 values, year 0000, NUL …), as base64. */
function labCsvBase64() {
  const row = fc.tuple(
    fc.constantFrom(String(patientNumber), '9999999999', '2147483648', '0', '-1', 'abc', '\u0000', ''),
    fc.constantFrom(
      '2026-11-20',
      'R8.11.20',
      '令和8年11月20日',
      '0000-01-01',
      '9999-12-31',
      '2026-02-30',
      'x',
    ),
    fc.constantFrom('3A015000002327101', '3D010000001926101', 'X'.repeat(30), 'a\u0000', ''),
    fc.constantFrom('4.2', '1e10', '10000000000', '99999999999999999999', '-5', '陰性', '<0.5', '\u0000'),
    fc.constantFrom('g/dL', '', '\u0000', 'u'.repeat(40)),
    fc.constantFrom('3.8-5.2', '1-10000000000', '', '\u0000', '5-1'),
  );
  return fc
    .tuple(fc.array(row, { minLength: 0, maxLength: 4 }), fc.boolean())
    .map(([rows, trailingNewline]) => {
      const text = ['患者番号,採取日,項目コード,結果値,単位,基準値', ...rows.map((r) => r.join(','))].join(
        '\n',
      );
      return Buffer.from(trailingNewline ? `${text}\n` : text).toString('base64');
    });
}

function regexOf(def: { checks?: AnySchema[] }): RegExp | undefined {
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'string_format' && d.pattern instanceof RegExp && d.format !== 'uuid') return d.pattern;
  }
  return undefined;
}
function bound(def: { checks?: AnySchema[] }, check: string, field: string): number | undefined {
  const found = (def.checks ?? []).map((c) => c._zod.def).filter((d) => d.check === check);
  return found.length ? found[found.length - 1][field] : undefined;
}

/** Values that pass a field's own rules, by field name, so that valid inputs reach the services. */
const validByKey: Record<string, string[]> = {
  insurerNumber: ['01130012', '06130017'],
  payerNumber: ['54016027'],
  recipientNumber: ['1234566', ''],
  familyNameKana: ['ケンサ'],
  givenNameKana: ['タロウ'],
  usageCode: ['1013044400000000'],
  code: ['1149019F1560', '3A015000002327101'],
  drugCode: ['1149019F1560'],
  unit: ['TAB', 'g/dL'],
  value: ['4.2', '陰性'],
  range: ['3.8-5.2', ''],
  toInstitutionCode: ['1310123458', ''],
  branch: ['01', ''],
  postalCode: ['100-0001', ''],
  phone: ['03-1234-5678', ''],
  limitCategory: [''],
  username: ['fa-doctor', 'new-user'],
  password: ['karte-demo'],
  key: ['duplicate:1149019F1560'],
};
const isDateKey = (key: string) => /(Date|On|From|Until)$|^(from|to|before)$/.test(key);

/**
 * An arbitrary for a zod 4 schema. `valid`: values meant to pass the contract (so that a single hostile
 * value placed later reaches the service and the database); otherwise hostile values are mixed in anywhere.
 */
function arbitraryOf(s: AnySchema, key: string, valid: boolean): fc.Arbitrary<unknown> {
  const def = s._zod.def;
  const mix = (plausible: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) =>
    valid
      ? plausible
      : fc.oneof(
          { arbitrary: plausible, weight: 6 },
          { arbitrary: hostile, weight: 3 },
          { arbitrary: anyWrong(), weight: 1 },
        );
  switch (def.type) {
    case 'string': {
      if (def.format === 'uuid') return mix(ids(), hostileString());
      if (key === 'base64') return mix(labCsvBase64(), hostileString());
      const known = validByKey[key] ?? (isDateKey(key) ? ['2026-11-20', '2020-04-01'] : undefined);
      const pattern = regexOf(def);
      const max = bound(def, 'max_length', 'maximum') ?? 200;
      const min = bound(def, 'min_length', 'minimum') ?? 0;
      const text = fc.string({
        minLength: min,
        maxLength: Math.max(min, Math.min(max, 30)),
        unit: 'grapheme',
      });
      const plausible = known
        ? fc.constantFrom(...known)
        : pattern
          ? fc.stringMatching(pattern)
          : valid
            ? fc.oneof(fc.constantFrom('カルテ', '山田 花子', '頭痛'), text)
            : text;
      return mix(plausible, fc.oneof(hostileString(), fc.string({ maxLength: 20, unit: 'binary' })));
    }
    case 'number': {
      const isInt = (def.checks ?? []).some((c: AnySchema) => c._zod.def.format === 'safeint');
      const above = (def.checks ?? [])
        .map((c: AnySchema) => c._zod.def)
        .find((d: { check: string }) => d.check === 'greater_than');
      const min = above ? above.value + (above.inclusive ? 0 : isInt ? 1 : 0.01) : -1000;
      const max = bound(def, 'less_than', 'value') ?? 1000;
      const lo = Math.max(min, -1e6);
      const hi = Math.min(max, 1e6);
      // Small whole numbers hit real versions and revisions.
      const plausible = isInt
        ? fc.oneof(
            fc.integer({ min: Math.ceil(lo), max: Math.min(Math.floor(hi), Math.ceil(lo) + 3) }),
            fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }),
          )
        : fc.double({ min: Math.max(lo, 0.5), max: Math.max(Math.min(hi, 100), 0.5), noNaN: true });
      return mix(plausible, fc.constantFrom(...hostileNumbers));
    }
    case 'boolean':
      return mix(fc.boolean(), fc.constant('true'));
    case 'enum':
      return mix(fc.constantFrom(...Object.values(def.entries as Record<string, unknown>)), hostileString());
    case 'literal':
      return mix(fc.constantFrom(...(def.values as unknown[])), hostileString());
    case 'null':
      return valid
        ? fc.constant(null)
        : fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: anyWrong(), weight: 1 });
    case 'nullable':
      return fc.oneof(
        { arbitrary: fc.constant(null), weight: 1 },
        { arbitrary: arbitraryOf(def.innerType, key, valid), weight: 3 },
      );
    case 'optional':
    case 'default':
    case 'prefault':
      return fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 1 },
        { arbitrary: arbitraryOf(def.innerType, key, valid), weight: 3 },
      );
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const record = fc.record(
        Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arbitraryOf(v, k, valid)])),
      );
      if (valid) return record;
      // Now and then a field the contract does not have (a facility of someone else's choosing).
      return fc.oneof(
        { arbitrary: record, weight: 9 },
        { arbitrary: record.map((r) => ({ ...r, facilityId: foreignIds[0] })), weight: 1 },
      );
    }
    case 'array': {
      const min = bound(def, 'min_length', 'minimum') ?? 0;
      const max = bound(def, 'max_length', 'maximum') ?? 5;
      return mix(
        fc.array(arbitraryOf(def.element, key, valid), {
          minLength: min,
          maxLength: Math.max(min, Math.min(max, 3)),
        }),
        fc.constant([]),
      );
    }
    case 'union':
      return fc.oneof(...(def.options as AnySchema[]).map((o) => arbitraryOf(o, key, valid)));
    case 'record': {
      const keys = Object.values(def.keyType._zod.def.entries ?? {}) as string[];
      return keys.length
        ? fc.record(Object.fromEntries(keys.map((k) => [k, arbitraryOf(def.valueType, k, valid)])), {
            requiredKeys: [],
          })
        : fc.dictionary(fc.string({ maxLength: 5 }), arbitraryOf(def.valueType, key, valid), { maxKeys: 3 });
    }
    case 'pipe':
      return arbitraryOf(def.in, key, valid);
    default:
      return anyWrong();
  }
}

/** The input with its n-th string or number leaf replaced by a hostile value of the same kind. */
function withOneHostileLeaf(input: unknown, n: number, text: string, num: number): unknown {
  let leaves = 0;
  const count = (v: unknown): void => {
    if (typeof v === 'string' || typeof v === 'number') leaves++;
    else if (v && typeof v === 'object') for (const x of Object.values(v)) count(x);
  };
  count(input);
  if (leaves === 0) return input;
  let target = n % leaves;
  const replace = (v: unknown): unknown => {
    if (typeof v === 'string' || typeof v === 'number') {
      return target-- === 0 ? (typeof v === 'string' ? text : num) : v;
    }
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    return v;
  };
  return replace(input);
}

function inputArbitrary(inputs: AnySchema[]): fc.Arbitrary<unknown> {
  if (inputs.length === 0) return fc.oneof(fc.constant(undefined), anyWrong());
  // tRPC merges stacked inputs; every procedure here has one.
  const schema = inputs[0] as AnySchema;
  return fc.oneof(
    // Valid as the contract means it (the happy path must not 500 either) …
    { arbitrary: arbitraryOf(schema, '', true), weight: 1 },
    // … valid but for one hostile value, which is what reaches the database …
    {
      arbitrary: fc
        .tuple(arbitraryOf(schema, '', true), fc.nat(), hostileString(), fc.constantFrom(...hostileNumbers))
        .map(([input, n, text, num]) => withOneHostileLeaf(input, n, text, num)),
      weight: 3,
    },
    // … and hostile anywhere, wrong types and unknown fields included.
    { arbitrary: arbitraryOf(schema, '', false), weight: 2 },
  );
}

const rolePreference: Role[] = ['doctor', 'clerk', 'nurse', 'admin'];
function roleFor(meta: Meta | undefined): Role | null {
  const roles = meta?.roles;
  if (!roles || roles === 'public') return null;
  if (roles === 'authenticated') return 'doctor';
  return rolePreference.find((r) => roles.includes(r)) ?? null;
}

function callerFor(role: Role | null): Caller {
  const ctx: Context = {
    karte: app.karte,
    config: app.config,
    log,
    sessions: app.sessions,
    eligibility: httpEligibilityPort('http://127.0.0.1:9/unconfigured'),
    auth: role ? (auths.get(role) ?? null) : null,
    sessionEnded: null,
    loginGuard,
    clientAddress: '127.0.0.1',
    deviceToken: null,
    setCookie: () => {},
  };
  return createCaller(ctx);
}

/** The clinics' own tables (not the code masters). */
const facilityTables = Object.values(schema)
  .filter((t) => is(t, PgTable) && 'facilityId' in t)
  .map((t) => getTableName(t as PgTable));
// Failures are audited by design; sessions come and go with logins.
const countedTables = facilityTables.filter((name) => name !== 'audit_events' && name !== 'sessions');

async function rows(query: string): Promise<Record<string, unknown>[]> {
  const r = (await app.karte.db.execute(sql.raw(query))) as unknown;
  return (Array.isArray(r) ? r : (r as { rows: Record<string, unknown>[] }).rows) as Record<
    string,
    unknown
  >[];
}
async function rowCounts(): Promise<string> {
  const select = countedTables.map((t) => `(select count(*) from "${t}")::int as "${t}"`).join(', ');
  return JSON.stringify((await rows(`select ${select}`))[0]);
}

beforeAll(async () => {
  app = await startTestApp({ demo: false }, { seed: false });
  const a = await addFacility(app.karte, '0110113719', 'fa');
  const b = await addFacility(app.karte, '1310123458', 'fb');
  facilityA = a.facility.id;
  facilityB = b.facility.id;
  for (const role of rolePreference) {
    const token = await app.sessions.create(a.users[role], facilityA);
    const auth = await app.sessions.resolve(token);
    if (!auth) throw new Error('setup');
    auths.set(role, auth);
  }
  // A chart with something of every kind, so that valid ids reach the services' deeper paths.
  const clerk = callerFor('clerk');
  const doctor = callerFor('doctor');
  const created = await clerk.reception.registerPatient({
    familyName: '検査',
    givenName: '太郎',
    familyNameKana: 'ケンサ',
    givenNameKana: 'タロウ',
    sex: 'male',
    birthDate: '1970-01-01',
    postalCode: '',
    address: '',
    phone: '',
  });
  if (created.status !== 'created') throw new Error('setup');
  const patient = created.patient;
  patientNumber = patient.patientNumber;
  await clerk.reception.saveCoverage({
    patientId: patient.id,
    basedOn: null,
    coverage: {
      insurerNumber: '01130012',
      symbol: '１２３',
      number: '４５６',
      branch: '01',
      relationship: 'self',
      acquiredOn: '2020-04-01',
      validUntil: '',
      limitCategory: '',
      wariOverride: '',
    },
  });
  const visit = await clerk.reception.checkIn({
    patientId: patient.id,
    purpose: '再診',
    department: '内科',
    memo: '',
  });
  const encounter = await doctor.chart.openEncounter({ patientId: patient.id, visitId: visit.id });
  const soap = await doctor.chart.saveDraft({
    encounterId: encounter.id,
    entryId: null,
    baseRev: 0,
    content: { s: '頭痛', o: '', a: '', p: '' },
    doctorId: null,
  });
  if (soap.status !== 'saved') throw new Error('setup');
  await doctor.chart.confirm({ entryId: soap.entryId, baseRev: soap.draftRev, reason: '' });
  await doctor.chart.addProblem({ patientId: patient.id, problem: problemFields('片頭痛') });
  await doctor.documents.create({ encounterId: encounter.id, type: 'referral', doctorId: null });
  await doctor.orders.importLabs({
    fileName: 'setup.csv',
    base64: Buffer.from(
      `患者番号,採取日,項目コード,結果値,単位,基準値\n${patientNumber},2026-11-20,3A015000002327101,4.2,g/dL,3.8-5.2\n`,
    ).toString('base64'),
  });
  await doctor.chart.saveTemplate({
    name: 'セット',
    content: { s: 'S', o: '', a: '', p: '' },
    shared: false,
  });
  // Every id of every table, by facility where the table has one.
  const idTables = Object.values(schema)
    .filter((t) => is(t, PgTable) && 'id' in t && 'facilityId' in t)
    .map((t) => getTableName(t as PgTable));
  for (const t of idTables) {
    for (const r of await rows(`select id::text as id, facility_id::text as f from "${t}" limit 20`)) {
      (r.f === facilityA ? ownIds : foreignIds).push(String(r.id));
    }
  }
  // Facility B has a patient of its own.
  const bToken = await app.sessions.create(b.users.clerk, facilityB);
  const bAuth = await app.sessions.resolve(bToken);
  const bCaller = createCaller({
    ...callerCtxBase(),
    auth: bAuth,
  });
  const bPatient = await bCaller.reception.registerPatient({
    familyName: '他院',
    givenName: '花子',
    familyNameKana: 'タイン',
    givenNameKana: 'ハナコ',
    sex: 'female',
    birthDate: '1990-01-01',
    postalCode: '',
    address: '',
    phone: '',
  });
  if (bPatient.status === 'created') foreignIds.push(bPatient.patient.id);
  foreignIds.push(b.users.doctor);
  ownIds = [...new Set(ownIds)];
  foreignIds = [...new Set(foreignIds)];
}, 120_000);
afterAll(() => app?.close());

function callerCtxBase(): Context {
  return {
    karte: app.karte,
    config: app.config,
    log,
    sessions: app.sessions,
    eligibility: httpEligibilityPort('http://127.0.0.1:9/unconfigured'),
    auth: null,
    sessionEnded: null,
    loginGuard,
    clientAddress: '127.0.0.1',
    deviceToken: null,
    setCookie: () => {},
  };
}

const show = (v: unknown) => {
  const text = JSON.stringify(v, (_k, x) =>
    typeof x === 'string' && x.length > 60 ? `${x.slice(0, 60)}…(${x.length})` : x,
  );
  return text && text.length > 400 ? `${text.slice(0, 400)}…` : text;
};

describe('fuzzing every procedure from its zod schema', () => {
  it('answers no call with a 500, leaves no rows behind a rejected call, and the audit chain holds', async () => {
    const procedures = appRouter._def.procedures as unknown as Record<
      string,
      { _def: { inputs: AnySchema[]; meta?: Meta; type: string } }
    >;
    const names = Object.keys(procedures).sort();
    const failures: string[] = [];
    const partialWrites: string[] = [];
    let calls = 0;
    for (const [i, name] of names.entries()) {
      const proc = procedures[name];
      if (!proc) continue;
      const role = roleFor(proc._def.meta);
      const inputs = fc.sample(inputArbitrary(proc._def.inputs), { numRuns: RUNS, seed: SEED + i });
      const caller = callerFor(role);
      const fn = name.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (
        input: unknown,
      ) => Promise<unknown>;
      const mutation = proc._def.type === 'mutation';
      const started = performance.now();
      for (const input of inputs) {
        calls++;
        const before = mutation ? await rowCounts() : '';
        try {
          await fn(input);
        } catch (error) {
          const code = error instanceof TRPCError ? error.code : 'NOT_A_TRPC_ERROR';
          if (code === 'INTERNAL_SERVER_ERROR' || code === 'NOT_A_TRPC_ERROR') {
            const cause = (error as { cause?: unknown }).cause ?? error;
            failures.push(
              `${name} ${show(input)} → ${String((cause as Error)?.message ?? cause).slice(0, 200)}`,
            );
          }
          if (mutation) {
            const after = await rowCounts();
            if (after !== before) partialWrites.push(`${name} ${show(input)} (${code})`);
          }
        }
      }
      if (process.env.FUZZ_PROFILE) console.log(`${name}: ${Math.round(performance.now() - started)} ms`);
    }
    console.log(
      `fuzz: ${names.length} procedures × ${RUNS} inputs = ${calls} calls, ${failures.length} × 500 (seed ${SEED}, ${app.karte.kind})`,
    );
    expect(failures).toEqual([]);
    expect(partialWrites).toEqual([]);
    // The audit chains of both facilities still verify.
    const admin = callerFor('admin');
    const verified = (await admin.admin.verifyAudit()) as { ok?: boolean };
    expect(verified.ok).toBe(true);
    expect((await verifyAuditChain(app.karte.db, facilityB)).ok).toBe(true);
  }, 300_000);
});
