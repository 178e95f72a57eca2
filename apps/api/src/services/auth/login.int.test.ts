/** Login under attack: batches, parallel guesses, floods, rate limits, TLS proxy, sessions, user names per facility. */
import { schema } from '@karte/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTITUTION_CODE } from '../../seed/seed';
import { addFacility, errorCodeOf, loginAs, startTestApp, type TestApp } from '../../testing';
import { LOGIN_FAILED } from './login';
import { LOGIN_BUSY, TOO_MANY_ATTEMPTS } from './loginGuard';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  const admin = await loginAs(app.url, 'admin');
  for (const username of ['racer', 'guesser', 'batched'])
    await admin.admin.createUser.mutate({
      username,
      displayName: username,
      role: 'nurse',
      initialPassword: 'right-password',
    });
});
afterAll(() => app?.close());

const json = { 'content-type': 'application/json', 'x-karte-csrf': '1' };
const body = (username: string, password: string, facilityCode = DEMO_INSTITUTION_CODE) => ({
  json: { facilityCode, username, password },
});

async function rawLogin(
  url: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
  facilityCode = DEMO_INSTITUTION_CODE,
) {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(body(username, password, facilityCode)),
  });
  const payload = (await res.json()) as { error?: { json?: { message?: string } } };
  return {
    status: res.status,
    message: payload.error?.json?.message ?? 'ok',
    cookies: res.headers.getSetCookie(),
  };
}

describe('lockout cannot be bypassed', () => {
  it('refuses auth.* procedures in a batch, POST and GET, with a Japanese message', async () => {
    const attempts = [
      'a-wrong-pass',
      'b-wrong-pass',
      'c-wrong-pass',
      'd-wrong-pass',
      'e-wrong-pass',
      'right-password',
    ];
    const batch = Object.fromEntries(attempts.map((p, i) => [String(i), body('batched', p)]));
    const post = await fetch(`${app.url}/trpc/${attempts.map(() => 'auth.login').join(',')}?batch=1`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(batch),
    });
    expect(post.status).toBe(400);
    expect(post.headers.getSetCookie()).toEqual([]);
    expect(JSON.stringify(await post.json())).toContain('まとめて送信できません');
    // Encoded commas, auth.* hidden behind another procedure, a GET batch and a batch of one.
    for (const path of ['auth.login%2Cauth.login?batch=1', 'reception.boardStamp,auth.login?batch=1'])
      expect(
        (
          await fetch(`${app.url}/trpc/${path}`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify(batch),
          })
        ).status,
      ).toBe(400);
    expect(
      (await fetch(`${app.url}/trpc/auth.me,auth.me?batch=1&input=${encodeURIComponent('{}')}`)).status,
    ).toBe(400);
    expect((await fetch(`${app.url}/trpc/auth.me?batch=1&input=${encodeURIComponent('{}')}`)).status).toBe(
      400,
    );
    // Single calls still work.
    expect((await fetch(`${app.url}/trpc/auth.me`)).status).toBe(200);
  });

  it('thirty parallel guesses check at most five passwords: the right one sent last is refused', async () => {
    const wrong = Array.from({ length: 29 }, (_, i) => rawLogin(app.url, 'racer', `wrong-guess-${i}`));
    const right = rawLogin(app.url, 'racer', 'right-password');
    const results = await Promise.all([...wrong, right]);
    const last = results[29];
    expect(last?.status).not.toBe(200);
    expect(last?.cookies.some((c) => c.startsWith('karte_session='))).toBe(false);
    // Exactly five passwords were compared; the rest were counted as attempts on a locked account.
    const events = await app.karte.db
      .select({ detail: schema.auditEvents.detail })
      .from(schema.auditEvents)
      .innerJoin(schema.users, eq(schema.users.id, schema.auditEvents.userId))
      .where(and(eq(schema.users.username, 'racer'), eq(schema.auditEvents.action, 'login')));
    expect(events.filter((e) => e.detail.reason === 'password')).toHaveLength(5);
    expect(results.filter((r) => r.status === 200)).toHaveLength(0);
  });

  it('counts guesses of the current password in changePassword and locks like login', async () => {
    const c = await loginAs(app.url, 'guesser', 'right-password');
    const tries: string[] = [];
    for (let i = 0; i < 5; i++)
      tries.push(
        await errorCodeOf(
          c.auth.changePassword.mutate({
            currentPassword: `guess-${i}-pass`,
            newPassword: 'brand-new-pass-9',
            confirmPassword: 'brand-new-pass-9',
          }),
        ),
      );
    expect(tries).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'TOO_MANY_REQUESTS']);
    // Locked: the session ended and even the right password cannot log in now.
    expect((await c.auth.me.query()).auth).toBeNull();
    const stranger = await rawLogin(app.url, 'guesser', 'right-password');
    expect(stranger.status).toBe(401);
    expect(stranger.message).toBe(LOGIN_FAILED);
    // The browser that signed in as guesser before is told the account is locked.
    const own = await c.auth.login
      .mutate({ facilityCode: DEMO_INSTITUTION_CODE, username: 'guesser', password: 'right-password' })
      .catch((e: Error) => e.message);
    expect(own).toMatch(/ロックされています/);
  });
});

describe('who may log in, and what they are told', () => {
  it('records failed logins of unknown user names under the facility named at login', async () => {
    expect((await rawLogin(app.url, 'no-such-user', 'whatever-pass')).message).toBe(LOGIN_FAILED);
    const rows = await app.karte.db
      .select({ detail: schema.auditEvents.detail, outcome: schema.auditEvents.outcome })
      .from(schema.auditEvents)
      .where(sql`${schema.auditEvents.detail}->>'reason' = 'unknown-user'`);
    expect(rows).toEqual([
      { outcome: 'denied', detail: expect.objectContaining({ username: 'no-such-user' }) },
    ]);
    // An unknown facility code fails the same way.
    expect((await rawLogin(app.url, 'doctor', 'karte-demo', {}, '0110113719')).message).toBe(LOGIN_FAILED);
  });

  it('keeps user names per facility: another clinic may have its own doctorb, and login names the clinic', async () => {
    const other = await addFacility(app.karte, '0110113719', 'other');
    const otherAdmin = await loginAs(app.url, 'other-admin');
    const demoAdmin = await loginAs(app.url, 'admin');
    const input = { username: 'doctorb', displayName: 'B', role: 'doctor' as const };
    await otherAdmin.admin.createUser.mutate({ ...input, initialPassword: 'other-clinic-pass' });
    // The same name in the demo clinic is not "taken": nothing is revealed about the other clinic.
    await demoAdmin.admin.createUser.mutate({ ...input, initialPassword: 'demo-clinic-pass' });
    const inOther = await loginAs(app.url, 'doctorb', 'other-clinic-pass', other.facility.institutionCode);
    expect((await inOther.auth.me.query()).auth?.facility.id).toBe(other.facility.id);
    const inDemo = await loginAs(app.url, 'doctorb', 'demo-clinic-pass', DEMO_INSTITUTION_CODE);
    expect((await inDemo.auth.me.query()).auth?.facility.institutionCode).toBe(DEMO_INSTITUTION_CODE);
    // The other clinic's password does not open the demo clinic's doctorb.
    expect((await rawLogin(app.url, 'doctorb', 'other-clinic-pass')).message).toBe(LOGIN_FAILED);
  });

  it('logging in again in the same browser ends the session it held', async () => {
    const c = await loginAs(app.url, 'clerk');
    const first = c.cookie;
    await c.auth.login.mutate({
      facilityCode: DEMO_INSTITUTION_CODE,
      username: 'clerk',
      password: 'karte-demo',
    });
    expect(c.cookie).not.toBe(first);
    const stale = await fetch(`${app.url}/trpc/auth.me`, { headers: { cookie: first } });
    const me = (await stale.json()) as {
      result: { data: { json: { auth: unknown; ended: { reason: string } } } };
    };
    expect(me.result.data.json.auth).toBeNull();
    expect(me.result.data.json.ended.reason).toBe('relogin');
  });

  it('refuses a weak new password with the message beside the field', async () => {
    const c = await loginAs(app.url, 'nurse');
    for (const [newPassword, message] of [
      ['aaaaaaaaaa', '同じ文字'],
      ['nurse-station-1', 'ログインIDを含む'],
      ['basketball', '推測されやすい'],
    ] as const) {
      try {
        await c.auth.changePassword.mutate({
          currentPassword: 'karte-demo',
          newPassword,
          confirmPassword: newPassword,
        });
        throw new Error(`accepted ${newPassword}`);
      } catch (error) {
        const data = (error as { data?: { code?: string; fieldErrors?: Record<string, string> } }).data;
        expect(data?.code).toBe('BAD_REQUEST');
        expect(data?.fieldErrors?.newPassword).toContain(message);
      }
    }
  });
});

describe('floods, rate limits and the TLS proxy', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({
      tlsProxy: true,
      loginLimits: {
        addressBurst: 3,
        addressPerMinute: 1,
        userBurst: 100,
        userPerMinute: 1,
        hashConcurrency: 1,
        hashQueue: 2,
      },
    });
  });
  afterAll(() => limited?.close());

  it('behind the TLS proxy: Secure cookies, HSTS, and the client address from X-Forwarded-For', async () => {
    const ok = await rawLogin(limited.url, 'clerk', 'karte-demo', { 'x-forwarded-for': '203.0.113.1' });
    expect(ok.status).toBe(200);
    expect(ok.cookies.every((c) => c.includes('; Secure'))).toBe(true);
    expect((await fetch(`${limited.url}/healthz`)).headers.get('strict-transport-security')).toMatch(
      /max-age=\d+/,
    );
    // Without the proxy setting: no Secure flag, no HSTS.
    const plain = await rawLogin(app.url, 'clerk', 'karte-demo');
    expect(plain.cookies.some((c) => c.includes('Secure'))).toBe(false);
    expect((await fetch(`${app.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
  });

  it('limits failed attempts per client address, each address on its own', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': `198.51.100.200, ${ip}` });
    for (let i = 0; i < 3; i++)
      expect((await rawLogin(limited.url, `nobody${i}`, 'wrong-pass-x', from('192.0.2.10'))).status).toBe(
        401,
      );
    const refused = await rawLogin(limited.url, 'nobody9', 'wrong-pass-x', from('192.0.2.10'));
    expect(refused.status).toBe(429);
    expect(refused.message).toBe(TOO_MANY_ATTEMPTS);
    expect((await rawLogin(limited.url, 'nobody9', 'wrong-pass-x', from('192.0.2.11'))).status).toBe(401);
  });

  it('refuses a flood beyond the hashing queue at once, and serves a browser that signed in before', async () => {
    const first = await rawLogin(limited.url, 'doctor', 'karte-demo', { 'x-forwarded-for': '192.0.2.50' });
    const device = first.cookies.find((c) => c.startsWith('karte_device='))?.split(';')[0] ?? '';
    expect(device).not.toBe('');
    const flood = Array.from({ length: 40 }, (_, i) =>
      rawLogin(limited.url, `bogus${i}`, 'bogus-password', { 'x-forwarded-for': `10.1.${i}.1` }),
    );
    const real = rawLogin(limited.url, 'doctor', 'karte-demo', {
      'x-forwarded-for': '192.0.2.50',
      cookie: device,
    });
    const [realResult, ...flooded] = await Promise.all([real, ...flood]);
    expect(realResult.status).toBe(200);
    const busy = flooded.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThan(30);
    expect(busy[0]?.message).toBe(LOGIN_BUSY);
  });
});
