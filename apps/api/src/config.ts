import { resolve } from 'node:path';
import { defaultLoginLimits, type LoginLimits } from './services/auth/loginGuard';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  demo: boolean;
  /** Where the built SPA is; absent in API-only tests. */
  webDist?: string;
  session: { idleMs: number; absoluteMs: number };
  lockout: { maxFailures: number; lockMs: number };
  /** Rate limits and the bounded password-hashing queue in front of login (per process). */
  loginLimits: LoginLimits;
  /**
   * Served by a TLS reverse proxy (KARTE_TLS_PROXY=1, or an https KARTE_PUBLIC_URL): cookies get
   * Secure, responses carry Strict-Transport-Security, and X-Forwarded-For names the client.
   */
  tlsProxy: boolean;
  /** The eligibility service; unset: `npm start` runs the simulator beside the API. */
  eligibilityUrl?: string;
  /** The 電子カルテ情報共有サービス; unset: submissions wait in the queue. `sim` runs the simulator beside the API. */
  shareServiceUrl?: string;
  share: { maxAttempts: number; backoffBaseSeconds: number; timeoutMs: number };
  /** Initial admin password for a production database (printed once when generated). */
  initialAdminPassword?: string;
  /**
   * Signed checkpoints of the audit chain (issue #14): the Ed25519 key file (created 0600 on first use, public key
   * beside it as `<file>.pub`), the folder the checkpoints go to, and the interval (0: no scheduled ones).
   * Both default next to the data folder; operators should put them on storage the database host cannot change.
   */
  auditTrail: { keyFile: string; anchorDir: string; checkpointMinutes: number };
}

const minutes = (v: string | undefined, fallback: number) => (v ? Number(v) : fallback) * 60_000;

export function configFromEnv(env = process.env, repoRoot = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const demoFlag = env.KARTE_DEMO;
  const dataDir = env.KARTE_DATA_DIR ?? resolve(repoRoot, '.data');
  const checkpointMinutes = Number(env.KARTE_AUDIT_CHECKPOINT_MINUTES ?? 60);
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir,
    // Demo mode: on for the embedded database, off for a server, unless KARTE_DEMO says otherwise.
    demo: demoFlag === undefined || demoFlag === '' ? !databaseUrl : demoFlag === '1' || demoFlag === 'true',
    session: {
      idleMs: minutes(env.KARTE_SESSION_IDLE_MINUTES, 30),
      absoluteMs: minutes(env.KARTE_SESSION_MAX_MINUTES, 12 * 60),
    },
    lockout: { maxFailures: 5, lockMs: minutes(env.KARTE_LOCKOUT_MINUTES, 15) },
    loginLimits: {
      ...defaultLoginLimits,
      hashConcurrency: Number(env.KARTE_LOGIN_HASH_CONCURRENCY ?? defaultLoginLimits.hashConcurrency),
      hashQueue: Number(env.KARTE_LOGIN_QUEUE ?? defaultLoginLimits.hashQueue),
    },
    tlsProxy:
      env.KARTE_TLS_PROXY === '1' ||
      env.KARTE_TLS_PROXY === 'true' ||
      (env.KARTE_PUBLIC_URL ?? '').toLowerCase().startsWith('https://'),
    initialAdminPassword: env.KARTE_ADMIN_PASSWORD || undefined,
    eligibilityUrl: env.ELIGIBILITY_URL || undefined,
    shareServiceUrl: env.SHARE_SERVICE_URL || undefined,
    auditTrail: {
      keyFile: env.KARTE_AUDIT_KEY_FILE || resolve(dataDir, '..', 'keys', 'audit-signing.key'),
      anchorDir: env.KARTE_AUDIT_ANCHOR_DIR || resolve(dataDir, '..', 'audit-anchors'),
      checkpointMinutes:
        Number.isFinite(checkpointMinutes) && checkpointMinutes >= 0 ? checkpointMinutes : 60,
    },
    share: {
      maxAttempts: Number(env.SHARE_MAX_ATTEMPTS ?? 8),
      backoffBaseSeconds: Number(env.SHARE_BACKOFF_SECONDS ?? 2),
      timeoutMs: Number(env.SHARE_TIMEOUT_MS ?? 10_000),
    },
  };
}
