/**
 * オンライン資格確認 simulator: the national service cannot be reached from here, so this separate
 * process speaks the same HTTP + JSON contract (packages/domain/src/eligibility.ts) with fictional,
 * deterministic answers (fixtures.ts) and injectable faults.
 *
 * Faults, from the environment or at run time with POST /_control/faults:
 *   SIM_LATENCY_MS   added delay per query (default 0)
 *   SIM_FAULT        none | 503 | timeout (never answers) | flaky (every other query 503)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { EligibilityQuery, EligibilityResponse } from '@karte/domain';
import { answer } from './fixtures';

type Fault = 'none' | '503' | 'timeout' | 'flaky';
const faults = {
  latencyMs: Number(process.env.SIM_LATENCY_MS ?? 0),
  fault: (process.env.SIM_FAULT ?? 'none') as Fault,
};
let served = 0;
const pending = new Map<string, EligibilityResponse>(); // 処理中 answers, completed on the next poll
const byIdempotencyKey = new Map<string, EligibilityResponse>();

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function valid(q: unknown): q is EligibilityQuery {
  const v = q as EligibilityQuery;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.method === 'card' || v.method === 'insurance') &&
    typeof v.birthDate === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate) &&
    (v.method === 'card' || (typeof v.insurerNumber === 'string' && typeof v.number === 'string'))
  );
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { status: 'ok', faults });
    if (req.method === 'POST' && url.pathname === '/_control/faults') {
      Object.assign(faults, await readJson(req));
      return send(res, 200, faults);
    }
    const isQuery = req.method === 'POST' && url.pathname === '/v1/qualifications/query';
    const poll = req.method === 'GET' && url.pathname.startsWith('/v1/qualifications/');
    if (!isQuery && !poll) return send(res, 404, { error: 'not found' });

    served++;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.fault === 'timeout') return; // never answers; the client's timeout decides
    if (faults.fault === '503' || (faults.fault === 'flaky' && served % 2 === 1)) {
      return send(res, 503, { error: 'service unavailable' });
    }

    if (poll) {
      const id = url.pathname.split('/').pop() ?? '';
      const done = pending.get(id);
      if (!done) return send(res, 404, { error: 'unknown request' });
      pending.delete(id);
      return send(res, 200, done);
    }
    const body = await readJson(req);
    if (!valid(body)) return send(res, 400, { error: 'invalid query' });
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && byIdempotencyKey.has(key))
      return send(res, 200, byIdempotencyKey.get(key));
    const result = answer(body, randomUUID());
    if (result.status === 'processing') {
      // Completes on the next poll of GET /v1/qualifications/:requestId.
      pending.set(result.requestId, answer(body, result.requestId, new Date(), true));
    }
    if (typeof key === 'string') byIdempotencyKey.set(key, result);
    return send(res, 200, result);
  } catch {
    send(res, 400, { error: 'bad request' });
  }
});

const port = Number(process.env.PORT ?? 3010);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  // The first line on stdout tells a parent process where we listen.
  console.log(JSON.stringify({ msg: 'eligibility simulator ready', url: `http://${host}:${actual}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));

// Started by the API (or a test): leave with it, even when it was killed with no chance to stop us.
// (When the parent dies this process is re-parented, so its ppid changes; a zombie parent still answers kill 0.)
const parent = Number(process.env.KARTE_PARENT_PID ?? 0);
if (parent > 0)
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
