/** Login, lockout, sessions, CSRF, roles and bad input, over real HTTP. */
import { schema } from '@karte/db';
import { roleValues } from '@karte/domain';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './routers/_app';
import { DEMO_INSTITUTION_CODE } from './seed/seed';
import { LOGIN_FAILED } from './services/auth/login';
import { clientFor, errorCodeOf, loginAs, startTestApp, type TestApp } from './testing';
import type { Meta } from './trpc';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

async function loginMessage(username: string, password: string) {
  try {
    await clientFor(app.url).auth.login.mutate({ facilityCode: DEMO_INSTITUTION_CODE, username, password });
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('login', () => {
  it('signs in with the demo password and sets an httpOnly SameSite=Strict cookie', async () => {
    const res = await fetch(`${app.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-karte-csrf': '1' },
      body: JSON.stringify({
        json: { facilityCode: DEMO_INSTITUTION_CODE, username: 'clerk', password: 'karte-demo' },
      }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^karte_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('does not reveal whether a user exists', async () => {
    expect(await loginMessage('nobody-here', 'whatever-pass')).toBe(LOGIN_FAILED);
    expect(await loginMessage('doctor', 'wrong-password')).toBe(LOGIN_FAILED);
  });

  it('locks an account after five failures, even for the right password (whose own browser is told so)', async () => {
    const c = await loginAs(app.url, 'admin');
    await c.admin.createUser.mutate({
      username: 'victim',
      displayName: '被害者',
      role: 'nurse',
      initialPassword: 'right-password',
    });
    // The victim's own browser signed in once before (it holds the device cookie of that login).
    const own = clientFor(app.url);
    await own.auth.login.mutate({
      facilityCode: DEMO_INSTITUTION_CODE,
      username: 'victim',
      password: 'right-password',
    });
    for (let i = 0; i < 5; i++) expect(await loginMessage('victim', 'wrong-password')).toBe(LOGIN_FAILED);
    // A stranger's browser learns nothing from the right password while the account is locked…
    expect(await loginMessage('victim', 'right-password')).toBe(LOGIN_FAILED);
    // …the owner's browser is told why and until when.
    const told = await own.auth.login
      .mutate({ facilityCode: DEMO_INSTITUTION_CODE, username: 'victim', password: 'right-password' })
      .catch((e: Error) => e.message);
    expect(told).toMatch(/ロックされています。\d\d:\d\d以降に/);
    expect(await loginMessage('victim', 'wrong-password')).toBe(LOGIN_FAILED);
    const users = await c.admin.listUsers.query();
    expect(users.find((u) => u.username === 'victim')?.locked).toBe(true);
    // An admin re-enabling the account clears the lock.
    const victim = users.find((u) => u.username === 'victim');
    await c.admin.setUserActive.mutate({ id: victim?.id ?? '', active: true });
    expect(await loginMessage('victim', 'right-password')).toBe('ok');
  });
});

describe('sessions', () => {
  it('logout ends the session on the server', async () => {
    const c = await loginAs(app.url, 'nurse');
    const cookie = c.cookie;
    expect(cookie).toMatch(/^karte_session=/);
    const url = `${app.url}/trpc/reception.searchPatients?input=${encodeURIComponent(JSON.stringify({ json: { query: 'ヤ' } }))}`;
    expect((await fetch(url, { headers: { cookie } })).status).toBe(200);
    await c.auth.logout.mutate();
    const replay = await fetch(url, { headers: { cookie } });
    expect(replay.status).toBe(401);
  });

  it('a disabled user is signed out at once', async () => {
    const admin = await loginAs(app.url, 'admin');
    await admin.admin.createUser.mutate({
      username: 'leaver',
      displayName: '退職者',
      role: 'clerk',
      initialPassword: 'departing-pass-1',
    });
    const leaver = await loginAs(app.url, 'leaver', 'departing-pass-1');
    await leaver.auth.changePassword.mutate({
      currentPassword: 'departing-pass-1',
      newPassword: 'departing-pass-2',
      confirmPassword: 'departing-pass-2',
    });
    expect(await leaver.reception.searchPatients.query({ query: 'ヤ', limit: 1 })).toHaveLength(1);
    const id = (await admin.admin.listUsers.query()).find((u) => u.username === 'leaver')?.id ?? '';
    await admin.admin.setUserActive.mutate({ id, active: false });
    expect(await errorCodeOf(leaver.reception.searchPatients.query({ query: 'ヤ', limit: 1 }))).toBe(
      'UNAUTHORIZED',
    );
  });

  it('a new user must change the initial password before anything else', async () => {
    const admin = await loginAs(app.url, 'admin');
    await admin.admin.createUser.mutate({
      username: 'newbie',
      displayName: '新人',
      role: 'doctor',
      initialPassword: 'initial-pass',
    });
    const newbie = await loginAs(app.url, 'newbie', 'initial-pass');
    expect((await newbie.auth.me.query()).auth?.user.mustChangePassword).toBe(true);
    expect(await errorCodeOf(newbie.reception.searchPatients.query({ query: 'ヤ', limit: 1 }))).toBe(
      'FORBIDDEN',
    );
    await newbie.auth.changePassword.mutate({
      currentPassword: 'initial-pass',
      newPassword: 'my-own-secret',
      confirmPassword: 'my-own-secret',
    });
    expect(await newbie.reception.searchPatients.query({ query: 'ヤ', limit: 1 })).toHaveLength(1);
  });
});

describe('CSRF', () => {
  const body = JSON.stringify({
    json: { facilityCode: DEMO_INSTITUTION_CODE, username: 'clerk', password: 'karte-demo' },
  });
  it('refuses mutations without the header', async () => {
    const res = await fetch(`${app.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(403);
  });
  it('refuses mutations from another origin', async () => {
    const res = await fetch(`${app.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-karte-csrf': '1', origin: 'https://evil.example' },
      body,
    });
    expect(res.status).toBe(403);
  });
});

describe('2段階認証 and passkey sign-in (public, before a session)', () => {
  it('answers nothing without the pending state of the password step, and is refused in a batch', async () => {
    const anonymous = clientFor(app.url);
    expect(
      await errorCodeOf(anonymous.auth.verifySecondFactor.mutate({ method: 'totp', code: '123456' })),
    ).toBe('UNAUTHORIZED');
    expect(await errorCodeOf(anonymous.auth.secondFactorPasskeyOptions.mutate())).toBe('UNAUTHORIZED');
    expect(await errorCodeOf(anonymous.auth.enrolStart.mutate())).toBe('UNAUTHORIZED');
    expect(await errorCodeOf(anonymous.auth.enrolConfirm.mutate({ code: '123456' }))).toBe('UNAUTHORIZED');
    const response = {
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key' as const,
      response: { clientDataJSON: 'AA', authenticatorData: 'AA', signature: 'AA' },
      clientExtensionResults: {},
    };
    expect(await errorCodeOf(anonymous.auth.verifySecondFactorPasskey.mutate({ response }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await errorCodeOf(anonymous.auth.passkeyLogin.mutate({ response }))).toBe('UNAUTHORIZED');
    const res = await fetch(`${app.url}/trpc/auth.verifySecondFactor,auth.verifySecondFactor?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-karte-csrf': '1' },
      body: JSON.stringify({
        0: { json: { method: 'totp', code: '123456' } },
        1: { json: { method: 'totp', code: '654321' } },
      }),
    });
    expect(res.status).toBe(400);
  });
});

describe('roles', () => {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; meta?: Meta } }
  >;

  it('every procedure declares who may call it', () => {
    for (const [name, p] of Object.entries(procedures)) {
      expect(p._def.meta?.roles, name).toBeDefined();
    }
  });

  it('refuses every procedure to roles it does not list, and to anonymous callers', async () => {
    const clients = Object.fromEntries(
      await Promise.all(roleValues.map(async (r) => [r, await loginAs(app.url, r)] as const)),
    );
    const anonymous = clientFor(app.url);
    for (const [name, p] of Object.entries(procedures)) {
      const roles = p._def.meta?.roles;
      if (roles === 'public') continue;
      const call = async (c: unknown) => {
        const [area, proc] = name.split('.') as [string, string];
        const target = (
          c as Record<string, Record<string, Record<string, (i?: unknown) => Promise<unknown>>>>
        )[area]?.[proc];
        const fn = p._def.type === 'query' ? target?.query : target?.mutate;
        // Input that would be valid: the role check must answer before anything else happens.
        return fn?.(undefined);
      };
      expect(await errorCodeOf(call(anonymous)), `${name} anonymous`).toBe('UNAUTHORIZED');
      if (roles === 'authenticated' || !roles) continue;
      for (const role of roleValues.filter((r) => !roles.includes(r))) {
        expect(await errorCodeOf(call(clients[role])), `${name} as ${role}`).toBe('FORBIDDEN');
      }
    }
  });
});

describe('バックアップ', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('is the administrator’s alone: the list and 「今すぐバックアップ」', async () => {
    for (const name of ['backups.overview', 'backups.runNow'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['admin']);
    for (const user of ['doctor', 'nurse', 'clerk']) {
      const c = await loginAs(app.url, user);
      expect(await errorCodeOf(c.backups.overview.query()), user).toBe('FORBIDDEN');
      expect(await errorCodeOf(c.backups.runNow.mutate()), user).toBe('FORBIDDEN');
    }
    // This test server has no backup folder: the admin is told so, with no backup started.
    const admin = await loginAs(app.url, 'admin');
    expect((await admin.backups.overview.query()).status.enabled).toBe(false);
    expect(await errorCodeOf(admin.backups.runNow.mutate())).toBe('BAD_REQUEST');
  });
});

describe('会計', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('is the window’s work (clerks, admin); doctors and nurses may open a bill and see 未収', async () => {
    for (const name of [
      'billing.preview',
      'billing.confirm',
      'billing.pay',
      'billing.print',
      'billing.daily',
    ])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['clerk', 'admin']);
    for (const name of ['billing.open', 'billing.unpaid'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['clerk', 'admin', 'doctor', 'nurse']);
    const doctor = await loginAs(app.url, 'doctor');
    expect(await errorCodeOf(doctor.billing.daily.query({ date: '2026-11-05' }))).toBe('FORBIDDEN');
  });
});

describe('offline export (見読性)', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('is the administrator’s alone: passphrase, files, download', async () => {
    const names = Object.keys(procedures).filter((n) => n.startsWith('offline.'));
    expect(names.sort()).toEqual([
      'offline.download',
      'offline.exportNow',
      'offline.setPassphrase',
      'offline.status',
    ]);
    for (const name of names) expect(procedures[name]?._def.meta?.roles, name).toEqual(['admin']);
    const doctor = await loginAs(app.url, 'doctor');
    expect(await errorCodeOf(doctor.offline.status.query())).toBe('FORBIDDEN');
    expect(
      await errorCodeOf(
        doctor.offline.setPassphrase.mutate({
          passphrase: 'とても長い合言葉です-1',
          confirm: 'とても長い合言葉です-1',
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(await errorCodeOf(doctor.offline.download.query({ date: '2026-12-01' }))).toBe('FORBIDDEN');
  });
});

// ── 診察券 (issue #15, card workstream) ──
describe('診察券', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('every staff role opens and prints a patient card (受付 issues it, a doctor or nurse reprints it)', async () => {
    for (const name of ['reception.card', 'reception.issueCard'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['doctor', 'nurse', 'clerk', 'admin']);
    const [patient] = await app.karte.db
      .select({ id: schema.patients.id })
      .from(schema.patients)
      .orderBy(schema.patients.patientNumber)
      .limit(1);
    const patientId = patient?.id ?? '';
    for (const role of roleValues) {
      const c = await loginAs(app.url, role);
      expect((await c.reception.card.query({ patientId })).patient.id, role).toBe(patientId);
      expect((await c.reception.issueCard.mutate({ patientId })).issue, role).toBeGreaterThan(0);
    }
    expect(await errorCodeOf(clientFor(app.url).reception.issueCard.mutate({ patientId }))).toBe(
      'UNAUTHORIZED',
    );
  });
});

describe('clinical safety data (allergies, 薬剤禁忌, infections, hand-entered lab results)', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('belongs to doctors and nurses, the lab CSV import included; a clerk may preview a file', () => {
    for (const name of [
      'chart.addAllergy',
      'chart.setAllergyStatus',
      'chart.addInfection',
      'orders.addLabResults',
      'orders.correctLabResult',
      'orders.importLabs',
    ])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['doctor', 'nurse']);
    expect(procedures['orders.previewLabImport']?._def.meta?.roles).toContain('clerk');
  });

  it('a clerk cannot resolve a 薬剤禁忌 nor correct an HBs result; the check and the status stay', async () => {
    const clerk = await loginAs(app.url, 'clerk');
    const [drug] = await app.karte.db
      .select()
      .from(schema.allergies)
      .where(and(eq(schema.allergies.category, 'drug'), eq(schema.allergies.status, 'active')));
    expect(drug).toBeDefined();
    expect(
      await errorCodeOf(
        clerk.chart.setAllergyStatus.mutate({
          patientId: drug!.patientId,
          id: drug!.id,
          version: drug!.version,
          status: 'resolved',
        }),
      ),
    ).toBe('FORBIDDEN');
    const [after] = await app.karte.db
      .select()
      .from(schema.allergies)
      .where(eq(schema.allergies.id, drug!.id));
    expect(after?.status).toBe('active');

    const [hbs] = await app.karte.db
      .select()
      .from(schema.labResults)
      .where(eq(schema.labResults.value, '陰性'));
    expect(hbs).toBeDefined();
    expect(
      await errorCodeOf(
        clerk.orders.correctLabResult.mutate({
          resultId: hbs!.id,
          correction: { value: '陽性', unit: hbs!.unit, range: '', reason: '転記ミス' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await errorCodeOf(
        clerk.chart.addInfection.mutate({
          patientId: hbs!.patientId,
          infection: { kind: 'HBs', result: 'positive', testedOn: '' },
        }),
      ),
    ).toBe('FORBIDDEN');
    const superseding = await app.karte.db
      .select()
      .from(schema.labResults)
      .where(eq(schema.labResults.supersedes, hbs!.id));
    expect(superseding).toEqual([]);
  });
});

// drugs workstream (issue #15)
describe('薬剤の知識 (用法 search, 薬効分類 class names)', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('is read by the roles that search drugs', async () => {
    for (const name of ['chart.searchUsages', 'chart.drugClassNames'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(
        procedures['chart.searchDrugs']?._def.meta?.roles,
      );
    const nurse = await loginAs(app.url, 'nurse');
    expect((await nurse.chart.searchUsages.query({ query: '', kind: null, limit: 3 })).length).toBe(3);
    expect(await nurse.chart.drugClassNames.query()).toContain('NSAIDs');
  });
});

describe('会計 settings and item search', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('every staff role reads the settings and searches items; only an admin saves the settings', async () => {
    for (const name of ['billing.settings', 'billing.searchItems'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['clerk', 'admin', 'doctor', 'nurse']);
    expect(procedures['billing.saveSettings']?._def.meta?.roles).toEqual(['admin']);
    const admin = await loginAs(app.url, 'admin');
    const { version, ...settings } = await admin.billing.settings.query();
    for (const role of ['clerk', 'doctor', 'nurse'] as const) {
      const c = await loginAs(app.url, role);
      expect(await c.billing.searchItems.query({ q: 'ｻｲｼﾝ', date: '2024-07-01' })).not.toEqual([]);
      const attempt = c.billing.saveSettings.mutate({
        expectedVersion: version,
        settings: { ...settings, standards: ['9'] },
      });
      expect(await errorCodeOf(attempt), role).toBe('FORBIDDEN');
    }
    expect((await admin.billing.settings.query()).version).toBe(version);
  });
});

describe('administrator essentials and sessions pages', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('user edits, password resets, クリニック設定 and everyone’s sessions are the administrator’s; one’s own sessions and the 診療科 list are everyone’s', async () => {
    for (const name of [
      'admin.updateUser',
      'admin.resetPassword',
      'clinic.settings',
      'clinic.save',
      'sessions.facility',
      'sessions.revoke',
    ])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['admin']);
    for (const name of ['clinic.departments', 'sessions.mine', 'sessions.revokeMine'])
      expect(procedures[name]?._def.meta?.roles, name).toBe('authenticated');
    const admin = await loginAs(app.url, 'admin');
    const { version, ...settings } = await admin.clinic.settings.query();
    const victim = (await admin.admin.listUsers.query()).find((u) => u.username === 'nurse');
    const adminRef = (await admin.sessions.mine.query())[0]?.ref ?? '';
    for (const role of ['clerk', 'doctor', 'nurse'] as const) {
      const c = await loginAs(app.url, role);
      expect((await c.clinic.departments.query()).length, role).toBeGreaterThan(0);
      expect(
        (await c.sessions.mine.query()).some((s) => s.current),
        role,
      ).toBe(true);
      // One call at a time: a refusal that arrives while an earlier one is awaited is not an unhandled rejection.
      for (const call of [
        () => c.admin.updateUser.mutate({ id: victim?.id ?? '', displayName: '改名', role: 'admin' }),
        () => c.admin.resetPassword.mutate({ id: victim?.id ?? '', password: null }),
        () => c.clinic.save.mutate({ expectedVersion: version, settings: { ...settings, name: '乗っ取り' } }),
        () => c.sessions.revoke.mutate({ ref: adminRef }),
      ])
        expect(await errorCodeOf(call()), role).toBe('FORBIDDEN');
      // Someone else's session is not one's own to end, even in the same clinic.
      expect(await errorCodeOf(c.sessions.revokeMine.mutate({ ref: adminRef })), role).toBe('NOT_FOUND');
    }
    expect((await admin.clinic.settings.query()).name).toBe(settings.name);
    expect((await admin.admin.listUsers.query()).find((u) => u.username === 'nurse')?.role).toBe('nurse');
    expect((await admin.sessions.mine.query()).map((s) => s.ref)).toContain(adminRef);
  });
});

describe('audit checkpoints (監査証跡の外部アンカー)', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('only an administrator signs a checkpoint, sees its status or verifies against it', async () => {
    for (const name of ['auditTrail.status', 'auditTrail.checkpoint', 'auditTrail.verify'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['admin']);
    const admin = await loginAs(app.url, 'admin');
    const before = (await admin.auditTrail.status.query()).latest;
    for (const role of ['clerk', 'doctor', 'nurse'] as const) {
      const c = await loginAs(app.url, role);
      expect(await errorCodeOf(c.auditTrail.checkpoint.mutate()), role).toBe('FORBIDDEN');
      expect(await errorCodeOf(c.auditTrail.verify.mutate()), role).toBe('FORBIDDEN');
      expect(await errorCodeOf(c.auditTrail.status.query()), role).toBe('FORBIDDEN');
    }
    // Nothing was signed by the refused calls.
    expect((await admin.auditTrail.status.query()).latest).toEqual(before);
    const made = await admin.auditTrail.checkpoint.mutate();
    expect((await admin.auditTrail.status.query()).latest?.seq).toBe(made.seq);
  });
});

// ── Issue #15: バイタル・問診 (vitals workstream) ──
describe('バイタル・問診', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('nurses, clerks (at check-in) and doctors enter vitals and the 問診; every clinical role reads them', () => {
    for (const name of ['vitals.record', 'vitals.correct', 'vitals.saveIntake'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['doctor', 'nurse', 'clerk']);
    for (const name of ['vitals.list', 'vitals.intake', 'vitals.draftSources'])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['doctor', 'nurse', 'admin', 'clerk']);
  });

  it('an administrator cannot enter vitals nor a 問診 for a real patient; nothing is filed', async () => {
    const adminClient = await loginAs(app.url, 'admin');
    const [patient] = await app.karte.db.select().from(schema.patients).limit(1);
    const [visit] = await app.karte.db.select().from(schema.visits).limit(1);
    const before = await app.karte.db.select().from(schema.vitalSigns);
    expect(
      await errorCodeOf(
        adminClient.vitals.record.mutate({
          patientId: patient!.id,
          visitId: null,
          values: {
            temperature: 36.5,
            systolic: null,
            diastolic: null,
            pulse: null,
            spo2: null,
            heightCm: null,
            weightKg: null,
          },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await errorCodeOf(
        adminClient.vitals.saveIntake.mutate({
          visitId: visit!.id,
          baseVersion: 0,
          fields: {
            chiefComplaint: '頭痛',
            course: '',
            medication: '',
            allergy: 'no',
            allergyDetail: '',
            pregnancy: 'na',
          },
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(await app.karte.db.select().from(schema.vitalSigns)).toHaveLength(before.length);
  });
});

describe('bad input', () => {
  it('answers malformed requests with 4xx, never 500', async () => {
    const c = await loginAs(app.url, 'clerk');
    expect(c.cookie).toMatch(/^karte_session=/);
    const headers = { 'content-type': 'application/json', 'x-karte-csrf': '1', cookie: c.cookie };
    const bodies = [
      'not json',
      '{}',
      '{"json":null}',
      '{"json":{"familyName":123}}',
      JSON.stringify({ json: { familyName: 'あ'.repeat(10_000) } }),
      '[1,2,3]',
    ];
    for (const body of bodies) {
      const res = await fetch(`${app.url}/trpc/reception.registerPatient`, { method: 'POST', headers, body });
      expect(res.status, body.slice(0, 30)).toBeGreaterThanOrEqual(400);
      expect(res.status, body.slice(0, 30)).toBeLessThan(500);
    }
    const get = await fetch(
      `${app.url}/trpc/reception.getPatient?input=${encodeURIComponent('{"json":{"id":"not-a-uuid"}}')}`,
      { headers },
    );
    expect(get.status).toBe(400);
    const nothing = await fetch(`${app.url}/trpc/no.such.procedure`, { headers });
    expect(nothing.status).toBe(404);
  });

  it('returns Japanese messages keyed by field', async () => {
    const c = await loginAs(app.url, 'clerk');
    try {
      await c.reception.registerPatient.mutate({ familyName: '', givenName: '太郎' } as never);
      throw new Error('expected a failure');
    } catch (error) {
      const data = (error as { data?: { fieldErrors?: Record<string, string> } }).data;
      expect(data?.fieldErrors?.familyName).toBe('姓（漢字）を入力してください');
      expect(data?.fieldErrors?.birthDate).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });

  it('health check reports the database and migration level', async () => {
    const res = await fetch(`${app.url}/healthz`);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', migrationLevel: 23 });
    expect(['pglite', 'postgres']).toContain(body.database);
  });
});

// ---- 予約 (appointments workstream, issue #15) ----------------------------------------------------------
describe('予約', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;

  it('every staff role books and reads the calendar; 受付 from an appointment is reception’s', async () => {
    for (const name of [
      'appointments.calendar',
      'appointments.book',
      'appointments.move',
      'appointments.cancel',
      'appointments.markNoShow',
      'appointments.today',
      'appointments.get',
    ])
      expect(procedures[name]?._def.meta?.roles, name).toEqual(['doctor', 'nurse', 'clerk', 'admin']);
    expect(procedures['appointments.checkIn']?._def.meta?.roles).toEqual(['clerk', 'admin']);
    expect(procedures['appointments.checkIn']?._def.meta?.roles).toEqual(
      procedures['reception.checkIn']?._def.meta?.roles,
    );
    for (const user of ['doctor', 'nurse']) {
      const c = await loginAs(app.url, user);
      expect(await c.appointments.today.query()).toBeInstanceOf(Array);
      expect(
        await errorCodeOf(
          c.appointments.checkIn.mutate({
            appointmentId: '00000000-0000-4000-8000-000000000000',
            version: 1,
          }),
        ),
        user,
      ).toBe('FORBIDDEN');
    }
    const clerk = await loginAs(app.url, 'clerk');
    expect(
      await errorCodeOf(
        clerk.appointments.checkIn.mutate({
          appointmentId: '00000000-0000-4000-8000-000000000000',
          version: 1,
        }),
      ),
    ).toBe('NOT_FOUND');
  });
});

// 再診を短く (Do 再診) --------------------------------------------------------------------------------
describe('再診を短く (Do 再診)', () => {
  const roles = (name: string) =>
    (appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>)[name]?._def.meta
      ?.roles;

  it('the board’s one-key start is the doctor’s; 前回Do and 確定 together are the writers’ (a nurse’s are 代行入力)', () => {
    expect(roles('chart.beginVisit')).toEqual(['doctor']);
    expect(roles('chart.copyLastVisit')).toEqual(['doctor', 'nurse', 'clerk']);
    expect(roles('chart.confirmTogether')).toEqual(['doctor', 'nurse', 'clerk']);
  });

  it('a nurse or clerk cannot move a visit to 会計待 through 確定 together; the admin cannot call any of them', async () => {
    const clerk = await loginAs(app.url, 'clerk');
    const nurse = await loginAs(app.url, 'nurse');
    const doctor = await loginAs(app.url, 'doctor');
    const admin = await loginAs(app.url, 'admin');
    // A patient of its own: the demo clinic has patients already checked in today.
    const created = await clerk.reception.registerPatient.mutate({
      familyName: '権限',
      givenName: '再診',
      familyNameKana: 'ケンゲン',
      givenNameKana: 'サイシン',
      sex: 'male',
      birthDate: '1960-01-01',
      postalCode: '',
      address: '',
      phone: '',
      confirmDuplicate: true,
    });
    if (created.status !== 'created') throw new Error('setup');
    const v = await clerk.reception.checkIn.mutate({
      patientId: created.patient.id,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
    const w = await clerk.reception.moveVisit.mutate({ visitId: v.id, to: 'waiting', version: v.version });
    expect(await errorCodeOf(nurse.chart.beginVisit.mutate({ visitId: v.id }))).toBe('FORBIDDEN');
    expect(await errorCodeOf(admin.chart.beginVisit.mutate({ visitId: v.id }))).toBe('FORBIDDEN');
    const begun = await doctor.chart.beginVisit.mutate({ visitId: v.id });
    expect(begun.visit).toMatchObject({ state: 'in_consult', version: w.version + 1 });
    for (const c of [nurse, clerk]) {
      expect(
        await errorCodeOf(
          c.chart.confirmTogether.mutate({
            encounterId: begun.encounterId,
            entries: [],
            billing: { visitId: v.id, version: begun.visit.version },
          }),
        ),
      ).toBe('FORBIDDEN');
    }
    expect(
      await errorCodeOf(admin.chart.copyLastVisit.mutate({ encounterId: begun.encounterId, doctorId: null })),
    ).toBe('FORBIDDEN');
    // The doctor may: the visit goes to 会計待.
    const done = await doctor.chart.confirmTogether.mutate({
      encounterId: begun.encounterId,
      entries: [],
      billing: { visitId: v.id, version: begun.visit.version },
    });
    expect(done).toMatchObject({ status: 'confirmed', visit: { state: 'billing' } });
  });
});
