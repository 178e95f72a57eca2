import { resolve } from 'node:path';
import { defaultLoginLimits, type LoginLimits } from './services/auth/loginGuard';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  /**
   * The owner role's URL (DATABASE_OWNER_URL): migrations and grants run as it, DATABASE_URL's role gets only
   * what the application needs (README, "Database roles").
   */
  databaseOwnerUrl?: string;
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
  /** 見読性: the encrypted offline export (services/offline). */
  offline: {
    /** Where the day's HTML files are written (KARTE_OFFLINE_DIR). */
    dir: string;
    /** Where each facility's derived key is kept, 0600 (KARTE_OFFLINE_KEY_DIR). */
    keyDir: string;
    /** Hours (Asia/Tokyo) of the scheduled runs (KARTE_OFFLINE_HOURS); empty: no schedule. */
    hours: number[];
    /** Days of files kept (KARTE_OFFLINE_KEEP_DAYS). */
    keepDays: number;
    /** "Recent patients": seen within this many days (KARTE_OFFLINE_RECENT_DAYS). */
    recentDays: number;
  };
  /**
   * Encrypted backups (issue #14): made daily at `at` (JST, HH:MM) into `dir`, the newest `keep` kept. Off when
   * `dir` is unset — the default is on for the embedded database (`<data folder>-backups`, key in KARTE_KEY_DIR),
   * off for PostgreSQL unless KARTE_BACKUP_DIR is set. KARTE_BACKUP_DIR=off turns it off.
   */
  backup: { dir?: string; keyFile: string; at: string; keep: number };
  /** Where the SPA is reached (KARTE_PUBLIC_URL): the WebAuthn origin and RP ID; unset: the request's Host. */
  publicUrl?: string;
  twoFactor: {
    /** The key that encrypts TOTP secrets and keys the recovery-code hashes (generated on first use, 0600). */
    keyFile: string;
    /** Administrators must have a second factor (KARTE_MFA_ADMIN_REQUIRED; default on, off in demo mode). */
    adminRequired: boolean;
  };
  /**
   * Signed checkpoints of the audit chain (issue #14): the Ed25519 key file (created 0600 on first use, public key
   * beside it as `<file>.pub`), the folder the checkpoints go to, and the interval (0: no scheduled ones).
   * Both default next to the data folder; operators should put them on storage the database host cannot change.
   */
  auditTrail: { keyFile: string; anchorDir: string; checkpointMinutes: number };
}

/** 5:30 is not an hour: the first run is at 5, then hourly through the clinic's day. */
export const DEFAULT_OFFLINE_HOURS = [5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];

function offlineHours(v: string | undefined): number[] {
  if (v === undefined) return DEFAULT_OFFLINE_HOURS;
  const hours = v
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean)
    .map(Number)
    .filter((h) => Number.isInteger(h) && h >= 0 && h <= 23);
  return [...new Set(hours)].sort((a, b) => a - b);
}

const minutes = (v: string | undefined, fallback: number) => (v ? Number(v) : fallback) * 60_000;

export function configFromEnv(env = process.env, repoRoot = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const demoFlag = env.KARTE_DEMO;
  const dataDir = env.KARTE_DATA_DIR ?? resolve(repoRoot, '.data');
  // Every key Karte makes lives in one folder next to the data folder, never inside it or in the database:
  // a copy of the database (or of the data folder) does not carry the keys that protect it (KARTE_KEY_DIR).
  const keyDir = resolve(env.KARTE_KEY_DIR || `${resolve(dataDir)}-keys`);
  // Demo mode: on for the embedded database, off for a server, unless KARTE_DEMO says otherwise.
  const demo =
    demoFlag === undefined || demoFlag === '' ? !databaseUrl : demoFlag === '1' || demoFlag === 'true';
  const checkpointMinutes = Number(env.KARTE_AUDIT_CHECKPOINT_MINUTES ?? 60);
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    databaseOwnerUrl: (databaseUrl && env.DATABASE_OWNER_URL) || undefined,
    dataDir,
    demo,
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
    publicUrl: env.KARTE_PUBLIC_URL || undefined,
    twoFactor: {
      keyFile: resolve(env.KARTE_MFA_KEY_FILE || resolve(keyDir, 'mfa.key')),
      adminRequired:
        env.KARTE_MFA_ADMIN_REQUIRED === undefined || env.KARTE_MFA_ADMIN_REQUIRED === ''
          ? !demo
          : env.KARTE_MFA_ADMIN_REQUIRED === '1' || env.KARTE_MFA_ADMIN_REQUIRED === 'true',
    },
    eligibilityUrl: env.ELIGIBILITY_URL || undefined,
    shareServiceUrl: env.SHARE_SERVICE_URL || undefined,
    backup: backupConfig(env, databaseUrl, dataDir, keyDir),
    auditTrail: {
      keyFile: env.KARTE_AUDIT_KEY_FILE || resolve(keyDir, 'audit-signing.key'),
      anchorDir: env.KARTE_AUDIT_ANCHOR_DIR || `${resolve(dataDir)}-audit-anchors`,
      checkpointMinutes:
        Number.isFinite(checkpointMinutes) && checkpointMinutes >= 0 ? checkpointMinutes : 60,
    },
    share: {
      maxAttempts: Number(env.SHARE_MAX_ATTEMPTS ?? 8),
      backoffBaseSeconds: Number(env.SHARE_BACKOFF_SECONDS ?? 2),
      timeoutMs: Number(env.SHARE_TIMEOUT_MS ?? 10_000),
    },
    offline: {
      // Next to the data folder, not inside it: a copy of the database does not carry the key with it.
      dir: env.KARTE_OFFLINE_DIR || `${dataDir}-offline`,
      keyDir: env.KARTE_OFFLINE_KEY_DIR || resolve(keyDir, 'offline'),
      hours: offlineHours(env.KARTE_OFFLINE_HOURS),
      keepDays: Math.max(1, Number(env.KARTE_OFFLINE_KEEP_DAYS ?? 7) || 7),
      recentDays: Math.max(1, Number(env.KARTE_OFFLINE_RECENT_DAYS ?? 14) || 14),
    },
  };
}

function backupConfig(
  env: NodeJS.ProcessEnv,
  databaseUrl: string | undefined,
  dataDir: string,
  keyDir: string,
): Config['backup'] {
  const base = resolve(dataDir);
  const dirEnv = env.KARTE_BACKUP_DIR;
  const dir =
    dirEnv === 'off' || dirEnv === '0'
      ? undefined
      : dirEnv
        ? resolve(dirEnv)
        : databaseUrl
          ? undefined
          : `${base}-backups`;
  const at = env.KARTE_BACKUP_AT ?? '03:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at))
    throw new Error(`KARTE_BACKUP_AT must be HH:MM (JST), not ${at}`);
  const keep = Number(env.KARTE_BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1) throw new Error('KARTE_BACKUP_KEEP must be a whole number ≥ 1');
  return {
    dir,
    // Apart from the backups: whoever holds a backup file should not find its key beside it.
    keyFile: env.KARTE_BACKUP_KEY_FILE ? resolve(env.KARTE_BACKUP_KEY_FILE) : resolve(keyDir, 'backup.key'),
    at,
    keep,
  };
}
