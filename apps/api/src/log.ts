import pino, { type DestinationStream } from 'pino';

/**
 * What a log line may say about an error: its kind, SQLSTATE and the names of the table, column and
 * constraint, never values. Database errors (postgres.js, PGlite, drizzle's "Failed query" wrapper and
 * tRPC errors wrapping them) carry the query text and every parameter — patient names, birth dates,
 * SOAP text — in `query`, `parameters`/`params`, `detail` and the message itself; none of that is kept.
 */
const KEPT = ['code', 'severity', 'routine', 'schema_name', 'table_name', 'column_name', 'constraint_name'];
const KEPT_CAMEL = ['schema', 'table', 'column', 'constraint', 'dataType'];

function isDatabaseError(err: Record<string, unknown>): boolean {
  return (
    'query' in err ||
    'parameters' in err ||
    'params' in err ||
    (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) ||
    (typeof err.message === 'string' && err.message.startsWith('Failed query'))
  );
}

function chainHasDatabaseError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as Record<string, unknown>;
  return isDatabaseError(e) || chainHasDatabaseError(e.cause, depth + 1);
}

/** Stack frames only (the first line of a stack repeats the message). */
const framesOf = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((l) => l.trimStart().startsWith('at '))
        .join('\n')
    : undefined;

export function safeError(err: unknown, depth = 0): unknown {
  if (!err || typeof err !== 'object') return typeof err === 'string' ? '[text not logged]' : err;
  const e = err as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: (e.constructor as { name?: string } | undefined)?.name ?? 'Error',
  };
  for (const k of [...KEPT, ...KEPT_CAMEL]) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  // A message of our own code is safe to keep; one that is or wraps a database error is not.
  if (chainHasDatabaseError(e)) out.message = '[database error: query and values not logged]';
  else if (typeof e.message === 'string') out.message = e.message;
  const frames = framesOf(e.stack);
  if (frames) out.stack = frames;
  if (e.cause !== undefined && depth < 5) out.cause = safeError(e.cause, depth + 1);
  return out;
}

export function createLogger(destination?: DestinationStream, level?: string) {
  const options = {
    level: level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { app: 'karte-api' },
    serializers: { err: safeError, error: safeError, cause: safeError },
    hooks: {
      // log.error(err) puts err.message in msg: a database error's message holds the query and values.
      logMethod(this: pino.Logger, args: unknown[], method: (...a: unknown[]) => void) {
        const [first, ...rest] = args;
        if (first instanceof Error) {
          const msg =
            typeof rest[0] === 'string'
              ? rest[0]
              : chainHasDatabaseError(first)
                ? 'database error'
                : first.message;
          return method.apply(this, [{ err: first }, msg]);
        }
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const log = createLogger();
export type Logger = typeof log;
