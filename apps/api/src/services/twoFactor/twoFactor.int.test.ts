/** 2段階認証 and passkeys over real HTTP: enrolment, the second login step, lockout, policy, reset. */
import { schema, searchAudit } from '@karte/db';
import { and, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTITUTION_CODE, DEMO_PASSWORD } from '../../seed/seed';
import { clientFor, errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';
import { SoftAuthenticator } from './softAuthenticator';

let app: TestApp;
let admin: TestClient;
let facilityId: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await loginAs(app.url, 'admin');
  facilityId = (await admin.auth.me.query()).auth?.facility.id ?? '';
});
afterAll(() => app?.close());

const PASSWORD = 'totp-user-pass-1';
async function newUser(username: string) {
  const u = await admin.admin.createUser.mutate({
    username,
    displayName: username,
    role: 'nurse',
    initialPassword: PASSWORD,
  });
  // The admin-set password is to be changed at first login; set it to itself through the user's own change.
  const c = clientFor(app.url);
  await c.auth.login.mutate({ facilityCode: DEMO_INSTITUTION_CODE, username, password: PASSWORD });
  await app.karte.db.update(schema.users).set({ mustChangePassword: false }).where(eq(schema.users.id, u.id));
  app.sessions.forgetUser(u.id);
  return { id: u.id, client: c };
}

const codeAt = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

async function enrol(c: TestClient) {
  const started = await c.twoFactor.startEnrolment.mutate();
  expect(started.uri).toMatch(/^otpauth:\/\/totp\//);
  expect(started.qrSvg).toContain('<svg');
  const { recoveryCodes } = await c.twoFactor.confirmEnrolment.mutate({ code: codeAt(started.secret) });
  return { secret: started.secret, recoveryCodes };
}

const passwordStep = (c: TestClient, username: string, password = PASSWORD) =>
  c.auth.login.mutate({ facilityCode: DEMO_INSTITUTION_CODE, username, password });

const actions = async (userId: string) =>
  (await searchAudit(app.karte.db, facilityId, { userId, limit: 200 })).map(
    (e) => `${e.action}:${e.outcome}`,
  );

describe('TOTP', () => {
  it('enrols with a QR code and a confirming code, stores the secret encrypted, and shows 10 recovery codes once', async () => {
    const { id, client } = await newUser('totp-a');
    const wrongFirst = await client.twoFactor.startEnrolment.mutate();
    expect(await errorCodeOf(client.twoFactor.confirmEnrolment.mutate({ code: '000000' }))).toBe(
      'BAD_REQUEST',
    );
    const { secret, recoveryCodes } = await enrol(client);
    expect(secret).not.toBe(wrongFirst.secret);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const [row] = await app.karte.db
      .select()
      .from(schema.totpFactors)
      .where(eq(schema.totpFactors.userId, id));
    expect(row?.confirmedAt).not.toBeNull();
    expect(row?.secret).not.toContain(secret);
    const stored = await app.karte.db
      .select()
      .from(schema.recoveryCodes)
      .where(eq(schema.recoveryCodes.userId, id));
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes)
      expect(stored.map((s) => s.codeHash)).not.toContain(code.replace('-', ''));
    const status = await client.twoFactor.status.query();
    expect(status).toMatchObject({ totp: true, recoveryCodes: 10, required: false });
    // A second enrolment over a confirmed one is refused (disable first).
    expect(await errorCodeOf(client.twoFactor.startEnrolment.mutate())).toBe('CONFLICT');
    expect(await actions(id)).toEqual(
      expect.arrayContaining(['two-factor-enrol:ok', 'two-factor-confirm:invalid', 'two-factor-confirm:ok']),
    );
  });

  it('asks for the code after the password: no session until it is given; a used code is refused', async () => {
    const { id, client } = await newUser('totp-b');
    const { secret } = await enrol(client);
    const c = clientFor(app.url);
    const first = await passwordStep(c, 'totp-b');
    expect(first).toMatchObject({
      next: 'second-factor',
      methods: { totp: true, recovery: true, passkey: false },
    });
    expect((await c.auth.me.query()).auth).toBeNull();
    expect(await errorCodeOf(c.twoFactor.status.query())).toBe('UNAUTHORIZED');
    // A wrong code: refused beside the field.
    const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect(await errorCodeOf(c.auth.verifySecondFactor.mutate({ method: 'totp', code: wrong }))).toBe(
      'BAD_REQUEST',
    );
    // The code of the next 30 s (the enrolment spent the current one; one step of drift is allowed).
    const code = codeAt(secret, 1);
    await c.auth.verifySecondFactor.mutate({ method: 'totp', code });
    expect((await c.auth.me.query()).auth?.user.id).toBe(id);
    // The same code again (another browser, same 30 s): a replay.
    const d = clientFor(app.url);
    await passwordStep(d, 'totp-b');
    const replay = await d.auth.verifySecondFactor.mutate({ method: 'totp', code }).catch((e) => e);
    expect(replay.data?.fieldErrors?.code).toMatch(/すでに使われています/);
    expect((await d.auth.me.query()).auth).toBeNull();
    // Without the password step there is nothing to answer.
    expect(
      await errorCodeOf(clientFor(app.url).auth.verifySecondFactor.mutate({ method: 'totp', code })),
    ).toBe('UNAUTHORIZED');
    const trail = await actions(id);
    expect(trail).toEqual(expect.arrayContaining(['login-password:ok', 'login:denied', 'login:ok']));
  });

  it('takes each recovery code once', async () => {
    const { id, client } = await newUser('totp-c');
    const { recoveryCodes } = await enrol(client);
    const code = recoveryCodes[0] ?? '';
    const c = clientFor(app.url);
    await passwordStep(c, 'totp-c');
    await c.auth.verifySecondFactor.mutate({ method: 'recovery', code: code.toUpperCase() });
    expect((await c.auth.me.query()).auth?.user.id).toBe(id);
    const d = clientFor(app.url);
    await passwordStep(d, 'totp-c');
    expect(await errorCodeOf(d.auth.verifySecondFactor.mutate({ method: 'recovery', code }))).toBe(
      'BAD_REQUEST',
    );
    expect((await client.twoFactor.status.query()).recoveryCodes).toBe(9);
    expect(await actions(id)).toContain('two-factor-recovery-used:ok');
  });

  it('counts wrong codes toward the lockout: the fifth locks the account, password or not', async () => {
    const { id, client } = await newUser('totp-d');
    await enrol(client);
    const c = clientFor(app.url);
    await passwordStep(c, 'totp-d');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(await errorCodeOf(c.auth.verifySecondFactor.mutate({ method: 'totp', code: '000001' })));
    expect(codes.slice(0, 4)).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST']);
    expect(codes[4]).toBe('FORBIDDEN');
    const [user] = await app.karte.db.select().from(schema.users).where(eq(schema.users.id, id));
    expect(user?.lockedUntil?.getTime() ?? 0).toBeGreaterThan(Date.now());
    expect(await errorCodeOf(passwordStep(clientFor(app.url), 'totp-d'))).toBe('UNAUTHORIZED');
  });

  it('turns off with the password and a current code, audited', async () => {
    const { id, client } = await newUser('totp-e');
    const { secret } = await enrol(client);
    expect(
      await errorCodeOf(
        client.twoFactor.disable.mutate({ password: 'wrong-password-1', code: codeAt(secret, 1) }),
      ),
    ).toBe('BAD_REQUEST');
    await client.twoFactor.disable.mutate({ password: PASSWORD, code: codeAt(secret, 1) });
    expect(await client.twoFactor.status.query()).toMatchObject({ totp: false, recoveryCodes: 0 });
    expect(await passwordStep(clientFor(app.url), 'totp-e')).toMatchObject({ next: null });
    expect(await actions(id)).toEqual(
      expect.arrayContaining(['two-factor-disable:denied', 'two-factor-disable:ok']),
    );
  });
});

describe('policy and the administrator', () => {
  it("'required' makes a user without a second factor enrol at login before anything else", async () => {
    const { id } = await newUser('policy-a');
    await admin.twoFactor.setPolicy.mutate({ others: 'required' });
    try {
      const c = clientFor(app.url);
      expect(await passwordStep(c, 'policy-a')).toMatchObject({ next: 'enrol' });
      expect((await c.auth.me.query()).auth).toBeNull();
      const started = await c.auth.enrolStart.mutate();
      expect(await errorCodeOf(c.auth.enrolConfirm.mutate({ code: '000000' }))).toBe('BAD_REQUEST');
      const done = await c.auth.enrolConfirm.mutate({ code: codeAt(started.secret) });
      expect(done.recoveryCodes).toHaveLength(10);
      expect((await c.auth.me.query()).auth?.user.id).toBe(id);
      const overview = await admin.twoFactor.users.query();
      expect(overview.find((u) => u.id === id)).toMatchObject({ totp: true, recoveryCodes: 10 });
    } finally {
      await admin.twoFactor.setPolicy.mutate({ others: 'optional' });
    }
    const trail = (await searchAudit(app.karte.db, facilityId, { limit: 500 })).map((e) => e.action);
    expect(trail).toContain('two-factor-policy');
  });

  it('resets a user (lost phone): the factors are gone and the reset is audited', async () => {
    const { id, client } = await newUser('reset-a');
    await enrol(client);
    expect(await passwordStep(clientFor(app.url), 'reset-a')).toMatchObject({ next: 'second-factor' });
    await admin.twoFactor.resetUser.mutate({ userId: id });
    expect(await passwordStep(clientFor(app.url), 'reset-a')).toMatchObject({ next: null });
    const events = await searchAudit(app.karte.db, facilityId, { limit: 500 });
    expect(events.find((e) => e.action === 'two-factor-reset')?.detail).toMatchObject({
      targetUserId: id,
      totp: true,
    });
  });
});

describe('administrators must have a second factor (outside demo mode)', () => {
  it('sends an administrator without one to enrolment after the password', async () => {
    const strict = await startTestApp({ twoFactor: { ...app.config.twoFactor, adminRequired: true } });
    try {
      const c = clientFor(strict.url);
      const res = await c.auth.login.mutate({
        facilityCode: DEMO_INSTITUTION_CODE,
        username: 'admin',
        password: DEMO_PASSWORD,
      });
      expect(res).toMatchObject({ next: 'enrol' });
      expect(await errorCodeOf(c.admin.listUsers.query())).toBe('UNAUTHORIZED');
      // Other roles under the 'optional' policy sign in with the password alone.
      expect(
        await clientFor(strict.url).auth.login.mutate({
          facilityCode: DEMO_INSTITUTION_CODE,
          username: 'doctor',
          password: DEMO_PASSWORD,
        }),
      ).toMatchObject({ next: null });
    } finally {
      await strict.close();
    }
  });
});

describe('passkeys', () => {
  it('registers (named), is a second factor, signs in without a password, and is removed', async () => {
    const { id, client } = await newUser('passkey-a');
    const authenticator = new SoftAuthenticator(app.url);
    const options = await client.passkeys.registrationOptions.mutate();
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    const created = await client.passkeys.register.mutate({
      name: 'ノートPC',
      response: authenticator.create(options),
    });
    expect(created.name).toBe('ノートPC');
    // A replayed registration (challenge already taken) is refused.
    expect(
      await errorCodeOf(
        client.passkeys.register.mutate({ name: '二重', response: authenticator.create(options) }),
      ),
    ).toBe('BAD_REQUEST');
    expect((await client.passkeys.list.query()).map((p) => p.name)).toEqual(['ノートPC']);

    // As the second factor after the password.
    const c = clientFor(app.url);
    expect(await passwordStep(c, 'passkey-a')).toMatchObject({
      next: 'second-factor',
      methods: { passkey: true },
    });
    const get = await c.auth.secondFactorPasskeyOptions.mutate();
    await c.auth.verifySecondFactorPasskey.mutate({ response: authenticator.get(get) });
    expect((await c.auth.me.query()).auth?.user.id).toBe(id);

    // Instead of the password: 医療機関コード + passkey.
    const d = clientFor(app.url);
    const loginOptions = await d.auth.passkeyLoginOptions.mutate({ facilityCode: DEMO_INSTITUTION_CODE });
    expect(loginOptions.userVerification).toBe('required');
    const assertion = authenticator.get(loginOptions);
    await d.auth.passkeyLogin.mutate({ response: assertion });
    expect((await d.auth.me.query()).auth?.user.id).toBe(id);
    // The same assertion again: its challenge is spent.
    const e = clientFor(app.url);
    await e.auth.passkeyLoginOptions.mutate({ facilityCode: DEMO_INSTITUTION_CODE });
    expect(await errorCodeOf(e.auth.passkeyLogin.mutate({ response: assertion }))).toBe('UNAUTHORIZED');
    expect((await e.auth.me.query()).auth).toBeNull();

    // Another user cannot remove it; its owner can.
    const passkeyId = created.id;
    expect(await errorCodeOf(admin.passkeys.remove.mutate({ id: passkeyId }))).toBe('NOT_FOUND');
    await client.passkeys.remove.mutate({ id: passkeyId });
    expect(await client.passkeys.list.query()).toEqual([]);
    const f = clientFor(app.url);
    const again = await f.auth.passkeyLoginOptions.mutate({ facilityCode: DEMO_INSTITUTION_CODE });
    expect(await errorCodeOf(f.auth.passkeyLogin.mutate({ response: authenticator.get(again) }))).toBe(
      'UNAUTHORIZED',
    );
    const trail = await actions(id);
    expect(trail).toEqual(
      expect.arrayContaining(['passkey-add:ok', 'passkey-remove:ok', 'login:ok', 'login:denied']),
    );
    const rows = await app.karte.db
      .select()
      .from(schema.passkeys)
      .where(and(eq(schema.passkeys.userId, id)));
    expect(rows).toEqual([]);
  });
});

describe('rate limits', () => {
  // Last in this file: it spends the address's allowance.
  it('limits passkey sign-in attempts per address like login (429)', async () => {
    const c = clientFor(app.url);
    const codes: string[] = [];
    for (let i = 0; i < 70; i++)
      codes.push(
        await c.auth.passkeyLoginOptions
          .mutate({ facilityCode: DEMO_INSTITUTION_CODE })
          .then(() => 'ok')
          .catch((e) => e.data?.code),
      );
    expect(codes).toContain('TOO_MANY_REQUESTS');
  });
});
