import { randomUUID } from 'node:crypto';
import type { EligibilityQuery, EligibilityResponse } from '@karte/domain';

/** The national オンライン資格確認 service, as Karte needs it. */
export interface EligibilityPort {
  query(q: EligibilityQuery): Promise<EligibilityResponse>;
}

export class EligibilityUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EligibilityUnavailableError';
  }
}

export interface HttpPortOptions {
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after the first, on timeouts, network errors and 5xx. */
  retries?: number;
  /** Backoff base: attempt n waits base·2ⁿ plus up to base of jitter. */
  backoffMs?: number;
  /** How often to ask again while the service says 処理中. */
  pollAttempts?: number;
  pollDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * HTTP client of the eligibility service. Timeouts, retries with backoff and jitter, and the
 * idempotency key live here, not in callers: a retried query is the same query to the service.
 */
export function httpEligibilityPort(baseUrl: string, options: HttpPortOptions = {}): EligibilityPort {
  const { timeoutMs = 1500, retries = 2, backoffMs = 150, pollAttempts = 5, pollDelayMs = 200 } = options;

  async function request(path: string, init: RequestInit): Promise<EligibilityResponse> {
    let lastError = 'unknown';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) + Math.random() * backoffMs);
      try {
        const res = await fetch(`${baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (res.status >= 500) {
          lastError = `HTTP ${res.status}`;
          continue;
        }
        if (!res.ok)
          throw new EligibilityUnavailableError(`資格確認の要求が拒否されました (HTTP ${res.status})`);
        return (await res.json()) as EligibilityResponse;
      } catch (error) {
        if (error instanceof EligibilityUnavailableError) throw error;
        lastError = (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message;
      }
    }
    throw new EligibilityUnavailableError(`オンライン資格確認に接続できません (${lastError})`);
  }

  return {
    async query(q) {
      const key = randomUUID();
      let result = await request('/v1/qualifications/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(q),
      });
      // 処理中: ask again for the same request a few times before giving the 処理中 answer back.
      for (let i = 0; i < pollAttempts && result.status === 'processing'; i++) {
        await sleep(pollDelayMs);
        try {
          result = await request(`/v1/qualifications/${encodeURIComponent(result.requestId)}`, {
            method: 'GET',
          });
        } catch {
          break;
        }
      }
      return result;
    },
  };
}
