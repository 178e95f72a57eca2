import { type KarteDb, schema } from '@karte/db';
import type { Config } from '../config';
import type { Logger } from '../log';
import { createCheckpoint, latestCheckpoint } from '../services/auditTrail/anchor';
import { anchorDeps } from '../services/auditTrail/service';

/**
 * Scheduled checkpoints inside the running server: every few minutes it looks whether a facility's newest
 * checkpoint is older than the interval (or, with none, the process has run that long) and signs one.
 */
export function startAuditCheckpoints(karte: KarteDb, config: Config, log: Logger) {
  const minutes = config.auditTrail.checkpointMinutes;
  if (!(minutes > 0)) return undefined;
  const deps = anchorDeps(config);
  const intervalMs = minutes * 60_000;
  const started = Date.now();
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    const facilities = await karte.db.select({ id: schema.facilities.id }).from(schema.facilities);
    for (const f of facilities) {
      if (stopped) return;
      try {
        const latest = await latestCheckpoint(deps, f.id);
        const since = latest ? Date.parse(latest.createdAt) : started;
        if (Date.now() - since < intervalMs) continue;
        const done = await createCheckpoint(karte.db, deps, f.id, {
          userId: null,
          procedure: 'job.auditCheckpoint',
          scheduled: true,
        });
        if (done) log.info({ facilityId: f.id, seq: done.checkpoint.seq }, 'audit checkpoint written');
      } catch (err) {
        log.error({ err, facilityId: f.id }, 'audit checkpoint failed');
      }
    }
  };
  const timer = setInterval(
    () => {
      running ??= tick()
        .catch((err) => log.error({ err }, 'audit checkpoint round failed'))
        .finally(() => {
          running = undefined;
        });
    },
    Math.min(intervalMs, 5 * 60_000),
  );
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
