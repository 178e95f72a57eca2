/**
 * login_hash_queue_p95_ms: a real user's login while 300 bogus logins are in flight at every moment,
 * each from its own client address (127.x.y.z source addresses on the loopback) and user name.
 * The real user signs in from the clinic's PC, which has signed in before (its device cookie).
 */
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { insertUser } from '@karte/db';
import { hashPassword } from '../../apps/api/src/services/auth/password';
import type { Figure } from './main';
import { makeTarget, startProcess, stopProcess } from './patientSearch';
import { BENCH_FACILITY_CODE, BENCH_PASSWORD, BENCH_USER, createBenchFacility } from './seed';
import { p95, percentile } from './timing';

const FLOOD = 300;
const SAMPLES = 40;

interface Reply {
  status: number;
  cookies: string[];
}

function post(
  url: URL,
  body: unknown,
  localAddress: string,
  cookie = '',
  agent?: http.Agent,
): Promise<Reply> {
  const data = JSON.stringify({ json: body });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: '/trpc/auth.login',
        method: 'POST',
        localAddress,
        agent: agent ?? false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          'x-karte-csrf': '1',
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [] }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The n-th attacker address: 127.1.0.1, 127.1.0.2, … (every one routes to the loopback). */
const attacker = (n: number) => `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;

export async function loginBench(_: { quick: boolean }): Promise<Figure[]> {
  const target = await makeTarget();
  try {
    const karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    // Other staff whose names the attacker knows: they end up locked, the real user does not.
    const hash = await hashPassword('staff-password-1');
    for (let i = 0; i < 10; i++)
      await insertUser(karte.db, facilityId, {
        username: `staff-${i}`,
        displayName: `職員${i}`,
        role: 'nurse',
        passwordHash: hash,
      });
    await karte.close();

    const app = await startProcess(
      [new URL('../../apps/api/dist/main.js', import.meta.url).pathname],
      target.serverEnv,
      '/healthz',
    );
    const url = new URL(app.url);
    const real = { facilityCode: BENCH_FACILITY_CODE, username: BENCH_USER, password: BENCH_PASSWORD };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // The clinic's PC signed in before: it holds its device cookie.
      const first = await post(url, real, '127.0.0.1', '', agent);
      if (first.status !== 200) throw new Error(`bench login failed: ${first.status}`);
      const device = first.cookies.find((c) => c.startsWith('karte_device='))?.split(';')[0] ?? '';
      const timeReal = async () => {
        const t0 = performance.now();
        const res = await post(url, real, '127.0.0.1', device, agent);
        if (res.status !== 200) throw new Error(`the real user's login failed: ${res.status}`);
        return performance.now() - t0;
      };
      const calm: number[] = [];
      for (let i = 0; i < 10; i++) calm.push(await timeReal());

      // The flood: 300 bogus logins in flight at every moment, each from its own address and name.
      let stop = false;
      let sent = 0;
      const statuses = new Map<number, number>();
      const floodLoop = async (slot: number) => {
        while (!stop) {
          const n = sent++;
          const username = n % 3 === 0 ? `staff-${n % 10}` : `guess-${n}`;
          const res = await post(
            url,
            { facilityCode: BENCH_FACILITY_CODE, username, password: `bogus-${n}` },
            attacker((slot + n) % 5000),
          ).catch(() => ({ status: 0, cookies: [] }));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      };
      const started = performance.now();
      const flood = Array.from({ length: FLOOD }, (_, slot) => floodLoop(slot));
      await new Promise((r) => setTimeout(r, 1000)); // the queue is full before the user arrives
      const during: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        during.push(await timeReal());
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
      stop = true;
      await Promise.all(flood);
      const seconds = (performance.now() - started) / 1000;
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      const refused = statuses.get(429) ?? 0;
      console.log(
        `  calm: p50 ${percentile(calm, 0.5).toFixed(0)} / p95 ${p95(calm).toFixed(0)} ms; during the flood: p50 ${percentile(during, 0.5).toFixed(0)} / p95 ${p95(during).toFixed(0)} / max ${Math.max(...during).toFixed(0)} ms`,
      );
      console.log(
        `  flood: ${total} bogus logins in ${seconds.toFixed(1)} s (${FLOOD} in flight), answers ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      console.log(
        `  database: ${process.env.DATABASE_URL ? 'postgres' : 'pglite'}; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
      );
      return [
        { name: 'login_hash_queue_p95_ms', value: p95(during), unit: 'ms', target: 1000 },
        { name: 'login_calm_p95_ms', value: p95(calm), unit: 'ms', target: null },
        {
          name: 'login_flood_refused_share',
          value: total ? refused / total : 0,
          unit: 'ratio',
          target: null,
        },
      ];
    } finally {
      agent.destroy();
      await stopProcess(app.proc);
    }
  } finally {
    await target.cleanup();
  }
}
