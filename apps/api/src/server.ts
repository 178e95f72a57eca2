import { existsSync } from 'node:fs';
import http from 'node:http';
import type { KarteDb } from '@karte/db';
import { LAB_UPLOAD_PROCEDURES } from '@karte/domain';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import sirv from 'sirv';
import type { Config } from './config';
import { clientAddressOf, guardAuthRequest } from './httpAuth';
import type { Logger } from './log';
import { type EligibilityPort, httpEligibilityPort } from './ports/eligibility';
import { appRouter } from './routers/_app';
import { LoginGuard } from './services/auth/loginGuard';
import { DEVICE_COOKIE, SessionService, tokenFromCookieHeader } from './services/auth/sessions';
import { publicOrigin } from './services/twoFactor/passkeys';
import { PENDING_COOKIE } from './services/twoFactor/pending';
import type { Context } from './trpc';

/** Mutations must carry this header: a cross-site form or fetch cannot add it without CORS, which we never grant. */
export const CSRF_HEADER = 'x-karte-csrf';

// The SPA loads only its own bundled script and stylesheet and talks only to this origin.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Calls in one batched request: more is refused before any work is done (a batch runs its calls at once). */
export const MAX_BATCH_CALLS = 20;
/** Body limit of ordinary calls. */
export const BODY_BYTES = 1024 * 1024;
/** The lab CSV (5 MB) travels as base64 in JSON, 4/3 of its size: its two procedures get room for that. */
export const UPLOAD_BODY_BYTES = 8 * 1024 * 1024;
type HandlerOptions = Parameters<typeof createHTTPHandler<typeof appRouter>>[0];

/** The procedures a /trpc/ URL names (a batch names several, comma-separated); null if unreadable. */
function trpcPaths(url: string): string[] | null {
  try {
    return decodeURIComponent(url.slice('/trpc/'.length).split('?')[0] ?? '').split(',');
  } catch {
    return null;
  }
}

function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createServer(karte: KarteDb, config: Config, log: Logger, eligibility?: EligibilityPort) {
  const sessions = new SessionService(karte.db, config.session);
  const loginGuard = new LoginGuard(config.loginLimits);
  const eligibilityPort =
    eligibility ?? httpEligibilityPort(config.eligibilityUrl ?? 'http://127.0.0.1:9/unconfigured');
  const trpcOptions: HandlerOptions = {
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: BODY_BYTES,
    // The SPA sends queries by POST too, so that search terms and ids never sit in URLs and logs.
    allowMethodOverride: true,
    createContext: async ({ req, res }): Promise<Context> => {
      const sessionToken = tokenFromCookieHeader(req.headers.cookie);
      // Polling by an open screen is marked by the SPA: it must not keep the session alive.
      const background = req.headers['x-karte-background'] === '1';
      const session = await sessions.check(sessionToken, Date.now(), { background });
      return {
        karte,
        config,
        log,
        sessions,
        eligibility: eligibilityPort,
        auth: session.auth,
        sessionEnded: session.ended,
        loginGuard,
        clientAddress: clientAddressOf(req, config.tlsProxy),
        deviceToken: tokenFromCookieHeader(req.headers.cookie, DEVICE_COOKIE),
        userAgent: req.headers['user-agent'] ?? '',
        setCookie: (value) => res.appendHeader('set-cookie', value),
        pendingToken: tokenFromCookieHeader(req.headers.cookie, PENDING_COOKIE),
        origin: publicOrigin(config, req.headers.host),
      };
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'trpc error');
    },
  };
  const trpc = createHTTPHandler(trpcOptions);
  const trpcUpload = createHTTPHandler({ ...trpcOptions, maxBodySize: UPLOAD_BODY_BYTES });
  const spa =
    config.webDist && existsSync(config.webDist)
      ? sirv(config.webDist, { single: true, etag: true, gzip: false })
      : null;

  const server = http.createServer(async (req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    if (config.tlsProxy) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const url = req.url ?? '/';
    try {
      if (url === '/healthz' || url.startsWith('/healthz?')) {
        return json(res, 200, {
          status: 'ok',
          database: karte.kind,
          migrationLevel: await karte.migrationLevel(),
          demo: config.demo,
        });
      }
      if (url.startsWith('/trpc/')) {
        if (req.method === 'POST' && (req.headers[CSRF_HEADER] !== '1' || !sameOrigin(req))) {
          return json(res, 403, { error: { message: '不正なリクエストです (CSRF)', code: 'FORBIDDEN' } });
        }
        res.setHeader('cache-control', 'no-store');
        const paths = trpcPaths(url);
        if (!paths || paths.length > MAX_BATCH_CALLS) {
          return json(res, 400, {
            error: { message: `一度に送れる呼び出しは${MAX_BATCH_CALLS}件までです`, code: 'BAD_REQUEST' },
          });
        }
        if (guardAuthRequest(req, res, loginGuard)) return;
        const upload = paths.length === 1 && LAB_UPLOAD_PROCEDURES.has(paths[0] ?? '');
        return (upload ? trpcUpload : trpc)(req, res);
      }
      if (spa) return spa(req, res, () => json(res, 404, { error: 'not found' }));
      return json(res, 404, { error: 'not found' });
    } catch (err) {
      // The path only: a GET query carries its input in the URL.
      log.error({ err, path: url.split('?')[0] }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    }
  });
  return { server, sessions };
}
