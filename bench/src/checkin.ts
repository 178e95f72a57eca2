/**
 * checkin_p95_ratio: 50 clerks checking in distinct patients at the same time for 60 s, p95 ÷ the p95
 * of one clerk alone. A clerk is a person: after each check-in they spend 0.5–1.5 s with the next
 * patient (think time), so 50 clerks offer about 50 check-ins a second; they start at random moments
 * within the first think time rather than all in one millisecond. Saturation (no think time)
 * is measured too, as throughput.
 */
import http from 'node:http';
import { insertUser } from '@karte/db';
import { hashPassword } from '../../apps/api/src/services/auth/password';
import type { Figure } from './main';
import { makeTarget, startProcess, stopProcess } from './patientSearch';
import { BENCH_FACILITY_CODE, createBenchFacility, growPatients } from './seed';
import { p95 } from './timing';

const CLERKS = 50;

interface Client {
  cookie: string;
  agent: http.Agent;
}

function post(url: URL, client: Client, path: string, body: unknown) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent: client.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          'x-karte-csrf': '1',
          ...(client.cookie ? { cookie: client.cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
          if (cookie) client.cookie = cookie;
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export async function checkinBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const seconds = quick ? 10 : 60;
  const soloCount = quick ? 200 : 500;
  const target = await makeTarget();
  try {
    const karte = await target.open();
    const facilityId = await createBenchFacility(karte.db);
    const patients = quick ? 20_000 : 80_000;
    await growPatients(karte.db, facilityId, 0, patients);
    const hash = await hashPassword('bench-password');
    for (let i = 0; i <= CLERKS; i++) {
      await insertUser(karte.db, facilityId, {
        username: `clerk-${i}`,
        displayName: `受付${i}`,
        role: 'clerk',
        passwordHash: hash,
      });
    }
    const ids = (await karte.db.query.patients.findMany({ columns: { id: true } })).map((p) => p.id);
    await karte.close();

    const app = await startProcess(
      [new URL('../../apps/api/dist/main.js', import.meta.url).pathname],
      {
        ...target.serverEnv,
        ELIGIBILITY_URL: 'http://127.0.0.1:9',
      },
      '/healthz',
    );
    const url = new URL(app.url);
    let next = 0;
    const nextPatient = () => {
      const id = ids[next++];
      if (!id) throw new Error('ran out of patients');
      return id;
    };
    const login = async (i: number): Promise<Client> => {
      const client = { cookie: '', agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
      const res = await post(url, client, '/trpc/auth.login', {
        json: { facilityCode: BENCH_FACILITY_CODE, username: `clerk-${i}`, password: 'bench-password' },
      });
      if (res.status !== 200) throw new Error('login failed');
      return client;
    };
    let errors = 0;
    const checkIn = async (client: Client) => {
      const t0 = performance.now();
      const res = await post(url, client, '/trpc/reception.checkIn', {
        json: { patientId: nextPatient(), purpose: '再診', department: '内科', memo: '' },
      });
      const ms = performance.now() - t0;
      if (res.status !== 200) errors++;
      return ms;
    };

    // One clerk alone.
    const solo = await login(CLERKS);
    for (let i = 0; i < 50; i++) await checkIn(solo); // warm-up
    const soloTimes: number[] = [];
    for (let i = 0; i < soloCount; i++) soloTimes.push(await checkIn(solo));

    // Fifty clerks at once, each with think time between patients.
    const clerks = await Promise.all(Array.from({ length: CLERKS }, (_, i) => login(i)));
    const loadTimes: number[] = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      clerks.map(async (c) => {
        // Clerks do not all press the button in the same millisecond: each starts within the first think time.
        await new Promise((r) => setTimeout(r, Math.random() * 1500));
        while (Date.now() < until) {
          loadTimes.push(await checkIn(c));
          await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
        }
      }),
    );
    // Saturation: the same fifty with no think time, for throughput.
    const satSeconds = quick ? 5 : 15;
    const satUntil = Date.now() + satSeconds * 1000;
    let satCount = 0;
    const satTimes: number[] = [];
    await Promise.all(
      clerks.map(async (c) => {
        while (Date.now() < satUntil) {
          satTimes.push(await checkIn(c));
          satCount++;
        }
      }),
    );
    await stopProcess(app.proc);
    console.log(
      `  one clerk p95 ${p95(soloTimes).toFixed(1)} ms; 50 clerks p95 ${p95(loadTimes).toFixed(1)} ms ` +
        `(${loadTimes.length} check-ins, ${(loadTimes.length / seconds).toFixed(0)}/s); saturated ${(satCount / satSeconds).toFixed(0)}/s, ` +
        `p95 ${p95(satTimes).toFixed(0)} ms; errors ${errors}; database ${process.env.DATABASE_URL ? 'postgres' : 'pglite'}`,
    );
    return [
      { name: 'checkin_p95_ratio', value: p95(loadTimes) / p95(soloTimes), unit: 'ratio', target: 3 },
      { name: 'checkin_errors', value: errors, unit: 'count', target: 0 },
      { name: 'checkin_single_p95_ms', value: p95(soloTimes), unit: 'ms', target: null },
      { name: 'checkin_50_clerks_p95_ms', value: p95(loadTimes), unit: 'ms', target: null },
      { name: 'checkin_saturated_per_s', value: satCount / satSeconds, unit: 'per_s', target: null },
    ];
  } finally {
    await target.cleanup();
  }
}
