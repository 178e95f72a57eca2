import type { Bundle, OperationOutcome } from 'fhir/r4';

/** What the share service said to one Bundle. */
export type SubmitResult =
  | { outcome: 'accepted'; httpStatus: number; message: string }
  /** 4xx: permanent, shown to the user with the service's own text. */
  | { outcome: 'rejected'; httpStatus: number; message: string }
  /** 5xx, timeout, connection error: worth trying again later. */
  | { outcome: 'transient'; httpStatus: number | null; message: string };

/** The 電子カルテ情報共有サービス, as Karte needs it: one Bundle per call. */
export interface ShareServicePort {
  /** The Bundle as an object, or already serialised (the outbox keeps it as JSON text). */
  submit(bundle: Bundle | string): Promise<SubmitResult>;
}

const outcomeText = (o: OperationOutcome | undefined) =>
  (o?.issue ?? [])
    .map((i) => [i.details?.text ?? i.diagnostics ?? i.code, i.expression?.[0]].filter(Boolean).join(' @ '))
    .join(' / ');

/**
 * HTTP client of the share service: POST {base}/Bundle, application/fhir+json. One attempt per call with a
 * timeout; the retries with backoff and jitter are scheduled by the outbox (backoffSeconds) so that they
 * survive a restart. The Bundle.identifier is the idempotency key: the service keeps the last per identifier.
 */
export function httpShareServicePort(
  baseUrl: string,
  options: { timeoutMs?: number } = {},
): ShareServicePort {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async submit(bundle) {
      try {
        const res = await fetch(`${baseUrl.replace(/\/$/, '')}/Bundle`, {
          method: 'POST',
          headers: {
            'content-type': 'application/fhir+json; charset=utf-8',
            accept: 'application/fhir+json',
          },
          body: typeof bundle === 'string' ? bundle : JSON.stringify(bundle),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        let body: OperationOutcome | undefined;
        try {
          body = text ? (JSON.parse(text) as OperationOutcome) : undefined;
        } catch {
          body = undefined;
        }
        const message = outcomeText(body) || `HTTP ${res.status}`;
        if (res.status >= 200 && res.status < 300)
          return { outcome: 'accepted', httpStatus: res.status, message };
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
          return { outcome: 'rejected', httpStatus: res.status, message };
        return { outcome: 'transient', httpStatus: res.status, message };
      } catch (error) {
        const e = error as Error;
        const message =
          e.name === 'TimeoutError'
            ? `応答がありません（${timeoutMs / 1000}秒）`
            : `接続できません（${e.message}）`;
        return { outcome: 'transient', httpStatus: null, message };
      }
    },
  };
}

/**
 * Exponential backoff with equal jitter: attempt n (0-based) waits between half and all of base·2ⁿ seconds
 * (capped), so
 * that many failed submissions do not all come back at the same moment.
 */
export function backoffSeconds(attempt: number, baseSeconds: number, capSeconds = 600, random = Math.random) {
  const ceiling = Math.min(capSeconds, baseSeconds * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}
