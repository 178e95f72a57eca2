/**
 * 電子カルテ情報共有サービス simulator: the national service cannot be reached from here, so this separate
 * process takes the same HTTP contract Karte's ShareServicePort speaks — POST /Bundle with a FHIR Bundle
 * (application/fhir+json) → 201, or 422 with an OperationOutcome — validates with the same validator, keeps
 * the latest Bundle per identifier (replace, delete) and lists what it holds for tests.
 *
 * Faults, from the environment or at run time with POST /_control/faults:
 *   SHARE_SIM_VALIDATE      1 (default) | 0  — validate every Bundle with @karte/fhir-mapping
 *   SHARE_SIM_ERROR_RATE    0..1  fraction of POSTs answered 503
 *   SHARE_SIM_LATENCY_MS    added delay per POST
 *   SHARE_SIM_FAIL_FIRST    answer 503 to the first N POSTs
 *   SHARE_SIM_DROP_RATE     0..1  fraction of POSTs whose connection is dropped without an answer
 * GET /Bundle?identifier=X → the Bundle held (404 when none or deleted); GET /Bundle → a searchset of all;
 * GET /_stats → counts and, per identifier, the history of Bundle.timestamp values received.
 */
import http from 'node:http';
import type { ValidationIssue } from '@karte/fhir-mapping';
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { BundleStore } from './store';

const faults = {
  validate: process.env.SHARE_SIM_VALIDATE !== '0',
  errorRate: Number(process.env.SHARE_SIM_ERROR_RATE ?? 0),
  latencyMs: Number(process.env.SHARE_SIM_LATENCY_MS ?? 0),
  failFirst: Number(process.env.SHARE_SIM_FAIL_FIRST ?? 0),
  dropRate: Number(process.env.SHARE_SIM_DROP_RATE ?? 0),
};
const stats = { posts: 0, accepted: 0, rejected: 0, injected503: 0, dropped: 0 };
const store = new BundleStore();
let validate: ((b: Bundle) => ValidationIssue[]) | undefined;

async function validator() {
  if (!validate) {
    const m = await import('@karte/fhir-mapping');
    m.warmUpValidator();
    validate = (b) => m.validateBundle(b, { deletion: isPatientOnly(b) });
  }
  return validate;
}
const isPatientOnly = (b: Bundle) =>
  (b.entry ?? []).length === 1 && b.entry?.[0]?.resource?.resourceType === 'Patient';

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const outcome = (
  severity: 'error' | 'information',
  issues: { code: string; text: string; expression?: string }[],
): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: issues.map((i) => ({
    severity,
    code: i.code as 'invalid',
    details: { text: i.text },
    ...(i.expression ? { expression: [i.expression] } : {}),
  })),
});

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { status: 'ok', faults });
    if (req.method === 'POST' && url.pathname === '/_control/faults') {
      Object.assign(faults, JSON.parse((await readBody(req)) || '{}'));
      return send(res, 200, faults);
    }
    if (req.method === 'POST' && url.pathname === '/_control/reset') {
      store.clear();
      Object.assign(stats, { posts: 0, accepted: 0, rejected: 0, injected503: 0, dropped: 0 });
      return send(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/_stats')
      return send(res, 200, {
        ...stats,
        regressions: store.regressions,
        held: store.list().map((h) => ({ identifier: h.identifier, deleted: h.deleted, history: h.history })),
      });
    if (req.method === 'GET' && url.pathname === '/Bundle') {
      const id = url.searchParams.get('identifier');
      if (id) {
        const held = store.get(id);
        if (!held?.bundle)
          return send(res, 404, outcome('error', [{ code: 'not-found', text: `${id} はありません` }]));
        return send(res, 200, held.bundle);
      }
      const all = store.list().filter((h) => h.bundle);
      return send(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        total: all.length,
        entry: all.map((h) => ({ resource: h.bundle })),
      });
    }
    if (req.method !== 'POST' || url.pathname !== '/Bundle') return send(res, 404, { error: 'not found' });

    // The sequence number is taken on arrival: concurrent POSTs all pass the awaits below before any is
    // answered, so reading stats.posts afterwards would let every one of them skip "the first N".
    const seq = ++stats.posts;
    const body = await readBody(req);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (Math.random() < faults.dropRate) {
      stats.dropped++;
      req.socket.destroy();
      return;
    }
    if (seq <= faults.failFirst || Math.random() < faults.errorRate) {
      stats.injected503++;
      return send(res, 503, outcome('error', [{ code: 'transient', text: '一時的に受け付けられません' }]));
    }
    if (!/application\/fhir\+json/.test(req.headers['content-type'] ?? ''))
      return send(
        res,
        415,
        outcome('error', [{ code: 'not-supported', text: 'Content-Type は application/fhir+json です' }]),
      );
    let bundle: Bundle;
    try {
      bundle = JSON.parse(body) as Bundle;
    } catch {
      stats.rejected++;
      return send(res, 400, outcome('error', [{ code: 'structure', text: 'JSONとして読めません' }]));
    }
    if (bundle.resourceType !== 'Bundle' || !bundle.identifier?.value) {
      stats.rejected++;
      return send(res, 422, outcome('error', [{ code: 'required', text: 'Bundle.identifier がありません' }]));
    }
    if (faults.validate) {
      const issues = (await validator())(bundle);
      if (issues.length > 0) {
        stats.rejected++;
        return send(
          res,
          422,
          outcome(
            'error',
            issues.map((i) => ({ code: 'invalid', text: i.messageJa, expression: i.path })),
          ),
        );
      }
    }
    const held = store.accept(bundle);
    stats.accepted++;
    return send(
      res,
      201,
      outcome('information', [
        { code: 'informational', text: held.deleted ? '削除しました' : '登録しました' },
      ]),
    );
  } catch (error) {
    send(res, 500, outcome('error', [{ code: 'exception', text: (error as Error).message }]));
  }
});

server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 3300), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // First line on stdout: where it listens (read by the API's and the tests' launcher).
  console.log(JSON.stringify({ url: `http://${process.env.HOST ?? '127.0.0.1'}:${port}` }));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // keep-alive clients must not hold the process
  });

// Started by the API (or a test): leave with it, even when it was killed with no chance to stop us.
// (When the parent dies this process is re-parented, so its ppid changes; a zombie parent still answers kill 0.)
const parent = Number(process.env.KARTE_PARENT_PID ?? 0);
if (parent > 0)
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
