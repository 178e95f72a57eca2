/** Helpers for API integration tests: a real server on a random port, real HTTP, a real database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertFacility, insertUser, type KarteDb } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import type { ProblemFields, Role } from '@karte/domain';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { inject } from 'vitest';
import { startKarte } from './app';
import { type Config, configFromEnv } from './config';
import { prepareShareQueue } from './jobs/shareWorker';
import { log } from './log';
import type { AppRouter } from './routers/_app';
import { DEMO_INSTITUTION_CODE, DEMO_PASSWORD } from './seed/seed';
import { hashPassword } from './services/auth/password';
import './testTemplates'; // the ProvidedContext type of inject('karteTemplates')

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export async function startTestApp(
  overrides: Partial<Config> = {},
  options: { seed: boolean; tariffAtStart?: boolean } = { seed: true },
) {
  // The offline export's files and key in a temporary folder, and no schedule unless a test asks for one;
  // backups off unless a test gives a folder (the default would be beside the repository's .data).
  const offlineBase = mkdtempSync(join(tmpdir(), 'karte-offline-'));
  // The audit signing key and checkpoints of each test app in a folder of its own; no scheduled checkpoints.
  const auditDir = mkdtempSync(join(tmpdir(), 'karte-audit-'));
  const base = configFromEnv({ KARTE_DEMO: '1', KARTE_BACKUP_DIR: 'off' });
  // The 2FA key file of each test app: a temporary one, never the developer's data folder.
  const twoFactor = { ...base.twoFactor, keyFile: join(offlineBase, 'mfa.key') };
  const config: Config = {
    ...base,
    port: 0,
    twoFactor,
    auditTrail: {
      keyFile: join(auditDir, 'keys', 'audit-signing.key'),
      anchorDir: join(auditDir, 'anchors'),
      checkpointMinutes: 0,
    },
    offline: {
      dir: join(offlineBase, 'files'),
      keyDir: join(offlineBase, 'keys'),
      hours: [],
      keepDays: 7,
      recentDays: 14,
    },
    ...overrides,
  };
  // A copy of the run's prepared database (testTemplates.ts) where it is what this boot would build anyway.
  const templates = inject('karteTemplates');
  const from = options.seed ? (config.demo ? templates?.demo : undefined) : templates?.masters;
  const karte: KarteDb = await openTestDb(from, { ownerSetup: prepareShareQueue });
  // The 料金 master: in the demo template; elsewhere loaded by the first test that bills or searches items.
  const app = await startKarte(config, log, karte, { tariffAtStart: false, ...options });
  return {
    ...app,
    config,
    async close() {
      await app.close();
      await karte.close();
      rmSync(offlineBase, { recursive: true, force: true });
      rmSync(auditDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps the session cookie, sends the CSRF header like the SPA does. */
export function clientFor(baseUrl: string) {
  // A cookie jar: the session cookie, and the device cookie a successful login sets.
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        transformer: superjson,
        headers: () => ({ 'x-karte-csrf': '1', ...(jar.size ? { cookie: header() } : {}) }),
        fetch: async (url, init) => {
          const res = await fetch(url, init as RequestInit);
          for (const c of res.headers.getSetCookie()) {
            const [name = '', ...rest] = (c.split(';')[0] ?? '').split('=');
            const value = rest.join('=');
            if (value) jar.set(name, value);
            else jar.delete(name);
          }
          return res;
        },
      }),
    ],
  });
  // The tRPC client is itself a proxy: wrap it to expose the live session cookie.
  return new Proxy(client, {
    get: (target, key) => {
      if (key !== 'cookie') return Reflect.get(target, key);
      const session = jar.get('karte_session');
      return session ? `karte_session=${session}` : '';
    },
  }) as typeof client & { readonly cookie: string };
}
export type TestClient = ReturnType<typeof clientFor>;

/** 医療機関コード of the facilities addFacility made, by user-name prefix (`a-clerk` → facility a). */
const facilityCodes = new Map<string, string>();

/** The facility a test user belongs to: one made by addFacility, else the demo clinic. */
export function facilityCodeOf(username: string): string {
  return facilityCodes.get(username.split('-')[0] ?? '') ?? DEMO_INSTITUTION_CODE;
}

export async function loginAs(
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
  facilityCode = facilityCodeOf(username),
) {
  const c = clientFor(baseUrl);
  await c.auth.login.mutate({ facilityCode, username, password });
  return c;
}

/** A second clinic with one user of each role (password karte-demo), to prove isolation. */
export async function addFacility(karte: KarteDb, code: string, prefix: string) {
  const facility = await insertFacility(karte.db, { institutionCode: code, name: `${prefix} clinic` });
  facilityCodes.set(prefix, code);
  const hash = await hashPassword(DEMO_PASSWORD);
  const users: Record<Role, string> = { doctor: '', nurse: '', clerk: '', admin: '' };
  for (const role of Object.keys(users) as Role[]) {
    const u = await insertUser(karte.db, facility.id, {
      username: `${prefix}-${role}`,
      displayName: `${prefix} ${role}`,
      role,
      passwordHash: hash,
    });
    users[role] = u?.id ?? '';
  }
  return { facility, users };
}

/** The tRPC error code of a failed call (throws if the call succeeded). */
export async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return error.data?.code ?? 'UNKNOWN';
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A problem-list entry as the form sends it: uncoded unless a disease code is given, active, no flags. */
export const problemFields = (
  name: string,
  diseaseCode: string | null = null,
  fields: Partial<ProblemFields> = {},
): ProblemFields => ({
  diseaseCode,
  name,
  prefix: '',
  suffix: '',
  main: false,
  suspected: false,
  onsetDate: '2026-01-01',
  outcome: '',
  endDate: '',
  undisclosed: false,
  notShared: false,
  ...fields,
});
