/** Hostile input over real HTTP, and the database's data exceptions as 400s (issue #12 item 10). */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { log } from './log';
import { startTestApp, type TestApp } from './testing';
import { type Context, createCallerFactory, publicProcedure, router } from './trpc';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ demo: false }, { seed: false });
});
afterAll(() => app?.close());

async function postLogin(body: string) {
  return fetch(`${app.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-karte-csrf': '1' },
    body,
  });
}

describe('hostile text in the unauthenticated login', () => {
  it('answers 400 with a Japanese message for NUL and lone surrogates, never 500', async () => {
    // JSON carries NUL and lone surrogates as \u escapes, as an attacker's client would send them.
    for (const username of ['doctor\\u0000', '\\ud800', 'a\\udfffb']) {
      const res = await postLogin(`{"json":{"username":"${username}","password":"karte-demo"}}`);
      expect(res.status, username).toBe(400);
      const body = (await res.json()) as { error: { json: { message: string } } };
      expect(body.error.json.message).toBe('入力内容に誤りがあります');
    }
    const res = await postLogin('{"json":{"username":"doctor","password":"karte\\u0000demo"}}');
    expect(res.status).toBe(400);
  });
});

describe('database data exceptions', () => {
  // A router of its own: the contracts refuse these values before any query, so the wall behind them
  // is tried with values that only the database refuses.
  const probe = router({
    cast: publicProcedure.query(({ ctx }) => ctx.karte.db.execute(sql`select ${'2147483648'}::int as n`)),
    date: publicProcedure.query(({ ctx }) => ctx.karte.db.execute(sql`select ${'2026-02-30'}::date as d`)),
    bug: publicProcedure.query(() => {
      throw new Error('a plain bug');
    }),
  });
  const caller = () =>
    createCallerFactory(probe)({
      karte: app.karte,
      config: app.config,
      log,
      sessions: app.sessions,
      auth: null,
      setCookie: () => {},
    } as unknown as Context);

  it('answer BAD_REQUEST with a Japanese message (22003, 22008), other failures stay 500', async () => {
    await expect(caller().cast()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '数値が大きすぎるか小さすぎます',
    });
    await expect(caller().date()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '日付が範囲外か正しくありません',
    });
    await expect(caller().bug()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
