/**
 * The PostgreSQL error code (SQLSTATE) of a failed statement, whichever driver raised it: drizzle wraps the
 * driver's error (postgres.js or PGlite) in its own, so the code may sit anywhere along the `cause` chain.
 */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** 23505: a unique index refused the row (someone else got there first). */
export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';

/** 40P01 deadlock, 40001 serialisation failure: the same transaction may simply be tried again. */
export const isRetryable = (error: unknown) => ['40P01', '40001'].includes(pgErrorCode(error) ?? '');
