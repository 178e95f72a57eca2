/**
 * The offline export's schedule, inside the running server: a timer checks every minute whether an hour of the
 * schedule (Asia/Tokyo) has come that has not been run yet today, and makes every facility's file for the day
 * (facilities without a passphrase are skipped). At start the current slot counts as not run, so a server
 * restarted mid-morning makes the day's file at once. Several API processes each run it: the file is written
 * atomically (temp + rename), the last one wins.
 */
import type { Database } from '@karte/db';
import type { Logger } from '../log';
import { exportAllFacilities, type OfflineConfig } from '../services/offline/export';

/** The slot (day and hour, Tokyo) of an instant, e.g. 2026-12-01T09. */
export function tokyoSlot(now: Date) {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(now);
  const [date = '', hour = '0'] = parts.split(' ');
  return { date, hour: Number(hour) };
}

/** The last scheduled hour at or before `now` today, or null when the day's first has not come yet. */
export function dueSlot(hours: readonly number[], now: Date): string | null {
  const { date, hour } = tokyoSlot(now);
  const past = hours.filter((h) => h <= hour);
  const last = past[past.length - 1];
  return last === undefined ? null : `${date}T${String(last).padStart(2, '0')}`;
}

export function startOfflineExports(
  db: Database,
  config: OfflineConfig,
  log: Logger,
  options: { tickMs?: number; now?: () => Date } = {},
) {
  const now = options.now ?? (() => new Date());
  let lastSlot: string | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    const slot = dueSlot(config.hours, now());
    if (!slot || slot === lastSlot) return;
    running = (async () => {
      const started = Date.now();
      try {
        const made = await exportAllFacilities(db, config, now());
        lastSlot = slot;
        if (made.length > 0)
          log.info(
            {
              slot,
              files: made.map((m) => ({ facilityId: m.facilityId, patients: m.meta.patients })),
              ms: Date.now() - started,
            },
            'offline export made',
          );
      } catch (error) {
        // Retried at the next tick; the log carries the error, never patient data.
        log.error({ err: error, slot }, 'offline export failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, options.tickMs ?? 60_000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    /** For tests: wait for a run under way. */
    idle: () => running ?? Promise.resolve(),
  };
}
