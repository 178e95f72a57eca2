/** Input limits over real HTTP (issue #12 item 15): batch size, body size, queries by POST, セット caps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_CALLS } from './server';
import { MAX_OWN_TEMPLATES } from './services/chart/templates';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from './testing';

let app: TestApp;
let doctor: TestClient;
beforeAll(async () => {
  app = await startTestApp();
  doctor = await loginAs(app.url, 'doctor');
});
afterAll(() => app?.close());

const post = (path: string, body: unknown, cookie = doctor.cookie) =>
  fetch(`${app.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-karte-csrf': '1', cookie },
    body: JSON.stringify(body),
  });

describe('batches', () => {
  it(`refuse more than ${MAX_BATCH_CALLS} calls in one request with 400, before any work`, async () => {
    const template = { json: { name: 'バッチ', content: { s: 'x', o: '', a: '', p: '' }, shared: false } };
    const many = MAX_BATCH_CALLS + 1;
    const paths = Array.from({ length: many }, () => 'chart.saveTemplate').join(',');
    const body = Object.fromEntries(Array.from({ length: many }, (_, i) => [i, template]));
    const res = await post(`${paths}?batch=1`, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      `${MAX_BATCH_CALLS}件まで`,
    );
    expect(await doctor.chart.templates.query()).toEqual([]);
    // A batch within the cap works as before.
    const ok = await post(`${Array.from({ length: 2 }, () => 'chart.templates').join(',')}?batch=1`, {
      0: { json: null },
      1: { json: null },
    });
    expect(ok.status).toBe(200);
  });
});

describe('body size', () => {
  it('takes a 5 MB lab file as base64 (was 413 from ~750 KB), and refuses 2 MB elsewhere with a Japanese message', async () => {
    const header = '患者番号,採取日,項目コード,結果値,単位,基準値\n';
    const row = '999999,2026-11-20,3A015000002327101,4.2,g/dL,3.8-5.2\n';
    const csv = header + row.repeat(Math.floor((5 * 1024 * 1024 - header.length) / row.length));
    expect(csv.length).toBeGreaterThan(4.9 * 1024 * 1024);
    const upload = await post('orders.previewLabImport', {
      json: { fileName: 'big.csv', base64: Buffer.from(csv).toString('base64') },
    });
    // The file is read (its rows name no patient here), not refused for its size.
    expect(upload.status).toBe(200);
    const preview = (await upload.json()) as { result: { data: { json: { errors: unknown[] } } } };
    expect(preview.result.data.json.errors.length).toBeGreaterThan(0);

    const big = await post('chart.saveTemplate', {
      json: { name: 'x', content: { s: 'あ'.repeat(700_000), o: '', a: '', p: '' }, shared: false },
    });
    expect(big.status).toBe(413);
    const body = (await big.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toContain('大きすぎます');
  });
});

describe('queries by POST', () => {
  it('answers a patient search sent by POST (no search term in the URL), and still wants the CSRF header', async () => {
    const res = await post('reception.searchPatients', { json: { query: 'ヤマダ' } });
    expect(res.status).toBe(200);
    const noCsrf = await fetch(`${app.url}/trpc/reception.searchPatients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: doctor.cookie },
      body: JSON.stringify({ json: { query: 'ヤマダ' } }),
    });
    expect(noCsrf.status).toBe(403);
  });
});

describe('セット', () => {
  it(`keeps at most ${MAX_OWN_TEMPLATES} of one user's own, and lists names without their text`, async () => {
    const nurse = await loginAs(app.url, 'nurse');
    const content = { s: '定型文', o: '', a: '', p: '' };
    for (let i = 0; i < MAX_OWN_TEMPLATES; i++) {
      await nurse.chart.saveTemplate.mutate({ name: `セット${i}`, content, shared: false });
    }
    expect(
      await errorCodeOf(nurse.chart.saveTemplate.mutate({ name: 'もう一つ', content, shared: false })),
    ).toBe('BAD_REQUEST');
    const list = await nurse.chart.templates.query();
    expect(list).toHaveLength(MAX_OWN_TEMPLATES);
    expect(list[0]).not.toHaveProperty('content');
    expect((await nurse.chart.template.query({ id: list[0]?.id ?? '' })).content).toEqual(content);
    expect(
      await errorCodeOf(
        nurse.chart.saveTemplate.mutate({
          name: '長い',
          content: { ...content, s: 'あ'.repeat(4_001) },
          shared: false,
        }),
      ),
    ).toBe('BAD_REQUEST');
  });
});
