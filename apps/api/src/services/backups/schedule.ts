import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { KarteDb } from '@karte/db';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import { type BackupProgress, writeBackup } from './engine';
import { loadKey, readMetaUnverified } from './format';

export interface BackupOutcome {
  at: string;
  file?: string;
  bytes?: number;
  ms?: number;
  reason?: string;
  trigger: 'schedule' | 'manual';
}

export interface BackupStatus {
  enabled: boolean;
  dir?: string;
  at: string;
  keep: number;
  nextRun?: string;
  lastSuccess?: BackupOutcome;
  lastFailure?: BackupOutcome;
  running?: {
    startedAt: string;
    trigger: 'schedule' | 'manual';
    phase: BackupProgress['phase'];
    bytes: number;
  };
}

export interface BackupFile {
  name: string;
  bytes: number;
  createdAt: string;
  kind?: string;
}

const FILE_PATTERN = /^karte-\d{8}-\d{6}\.kbak$/;
const JST_OFFSET_MS = 9 * 3600_000;

/** karte-20261201-030000.kbak: the JST time of the backup, sortable. */
export function backupFileName(now: Date): string {
  const jst = new Date(now.getTime() + JST_OFFSET_MS).toISOString(); // 2026-12-01T03:00:00.000Z read as JST
  return `karte-${jst.slice(0, 10).replaceAll('-', '')}-${jst.slice(11, 19).replaceAll(':', '')}.kbak`;
}

/** The next time after `now` that is HH:MM in Japan (no daylight saving there). */
export function nextRunAfter(now: Date, at: string): Date {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const jstNow = new Date(now.getTime() + JST_OFFSET_MS);
  const target =
    Date.UTC(jstNow.getUTCFullYear(), jstNow.getUTCMonth(), jstNow.getUTCDate(), h, m) - JST_OFFSET_MS;
  return new Date(target > now.getTime() ? target : target + 86_400_000);
}

/**
 * The daily backup inside the running server, using its own open database (PGlite: the instance dumps
 * itself, so no second process needs the locked folder). One backup at a time; the last success and failure
 * are kept in `status.json` in the backup folder so they survive restarts.
 */
export class BackupScheduler {
  private timer?: NodeJS.Timeout;
  private current?: Promise<BackupOutcome>;
  private running?: BackupStatus['running'];
  private nextRun?: Date;
  private stopped = false;

  constructor(
    private readonly karte: KarteDb,
    private readonly config: Config['backup'],
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.dir);
  }

  start(): void {
    if (!this.enabled || this.stopped) return;
    this.nextRun = nextRunAfter(new Date(), this.config.at);
    this.timer = setTimeout(() => {
      void this.run('schedule').finally(() => this.start());
    }, this.nextRun.getTime() - Date.now());
    this.timer.unref();
    this.log.info({ dir: this.config.dir, next: this.nextRun.toISOString() }, 'backup scheduled');
  }

  /** Stops the timer and waits for a backup in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => {});
  }

  isRunning(): boolean {
    return Boolean(this.current);
  }

  /** Starts a backup (or joins the one running) and returns its outcome when done. */
  run(trigger: 'schedule' | 'manual'): Promise<BackupOutcome> {
    if (this.current) return this.current;
    const dir = this.config.dir;
    if (!dir) return Promise.reject(new Error('backups are not configured'));
    const startedAt = new Date();
    this.running = { startedAt: startedAt.toISOString(), trigger, phase: 'dumping', bytes: 0 };
    this.log.info({ trigger, dir }, 'backup started');
    this.current = (async (): Promise<BackupOutcome> => {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const key = loadKey(this.config.keyFile, { create: true });
        const file = join(dir, backupFileName(startedAt));
        const result = await writeBackup(this.karte, file, key, (p) => {
          if (this.running) Object.assign(this.running, p);
        });
        const outcome: BackupOutcome = {
          at: new Date().toISOString(),
          file: backupFileName(startedAt),
          bytes: result.bytes,
          ms: Date.now() - startedAt.getTime(),
          trigger,
        };
        this.prune();
        this.saveStatus({ lastSuccess: outcome });
        this.log.info(outcome, 'backup written');
        return outcome;
      } catch (error) {
        const outcome: BackupOutcome = {
          at: new Date().toISOString(),
          reason: (error as Error).message,
          trigger,
        };
        this.saveStatus({ lastFailure: outcome });
        this.log.error({ err: error, trigger }, 'backup failed');
        return outcome;
      } finally {
        this.running = undefined;
        this.current = undefined;
      }
    })();
    return this.current;
  }

  status(): BackupStatus {
    return {
      enabled: this.enabled,
      dir: this.config.dir,
      at: this.config.at,
      keep: this.config.keep,
      nextRun: this.nextRun?.toISOString(),
      ...this.loadStatus(),
      running: this.running ? { ...this.running } : undefined,
    };
  }

  /** The backup files, newest first. */
  files(): BackupFile[] {
    const dir = this.config.dir;
    if (!dir || !existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((n) => FILE_PATTERN.test(n))
      .sort()
      .reverse()
      .map((name) => {
        const path = join(dir, name);
        const st = statSync(path);
        return { name, bytes: st.size, createdAt: st.mtime.toISOString(), kind: headKind(path) };
      });
  }

  /** Keeps the newest `keep` backups. */
  private prune(): void {
    const dir = this.config.dir;
    if (!dir) return;
    const names = readdirSync(dir)
      .filter((n) => FILE_PATTERN.test(n))
      .sort();
    for (const name of names.slice(0, Math.max(0, names.length - this.config.keep))) {
      rmSync(join(dir, name), { force: true });
      this.log.info({ file: name }, 'old backup removed');
    }
  }

  private statusPath(): string | undefined {
    return this.config.dir ? join(this.config.dir, 'status.json') : undefined;
  }

  private loadStatus(): Pick<BackupStatus, 'lastSuccess' | 'lastFailure'> {
    const path = this.statusPath();
    if (!path || !existsSync(path)) return {};
    try {
      const s = JSON.parse(readFileSync(path, 'utf8')) as Pick<BackupStatus, 'lastSuccess' | 'lastFailure'>;
      return { lastSuccess: s.lastSuccess, lastFailure: s.lastFailure };
    } catch {
      return {};
    }
  }

  private saveStatus(update: Pick<BackupStatus, 'lastSuccess' | 'lastFailure'>): void {
    const path = this.statusPath();
    if (!path) return;
    try {
      mkdirSync(this.config.dir as string, { recursive: true, mode: 0o700 });
      const next = { ...this.loadStatus(), ...update };
      writeFileSync(`${path}.tmp`, JSON.stringify(next, null, 2), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    } catch (error) {
      this.log.error({ err: error }, 'backup status could not be saved');
    }
  }
}

function headKind(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return readMetaUnverified(head.subarray(0, n))?.kind;
  } finally {
    closeSync(fd);
  }
}
