import type http from 'node:http';
import { deviceIdOf } from './services/auth/login';
import { LOGIN_BUSY, type LoginGuard } from './services/auth/loginGuard';
import { DEVICE_COOKIE, tokenFromCookieHeader } from './services/auth/sessions';

const JSONRPC_CODES = { BAD_REQUEST: -32600, TOO_MANY_REQUESTS: -32029 } as const;

/** An error in the shape the tRPC client reads (superjson envelope), so the SPA shows the message. */
const refuse = (
  res: http.ServerResponse,
  status: number,
  message: string,
  code: keyof typeof JSONRPC_CODES,
) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify({
      error: { json: { message, code: JSONRPC_CODES[code], data: { code, httpStatus: status } } },
    }),
  );
  return true;
};

/**
 * Before tRPC: auth.* batches are refused, and while the password-hashing queue is full a login from a
 * browser that never signed in is refused here, before its body is read — under a flood every
 * refusal must cost next to nothing, or the real user's request waits behind hundreds of them.
 */
export function guardAuthRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  guard: LoginGuard,
): boolean {
  if (refuseAuthBatch(req, res)) return true;
  if (req.method === 'POST' && req.url?.startsWith('/trpc/auth.login') && !guard.hashes.hasRoom(false)) {
    const device = tokenFromCookieHeader(req.headers.cookie, DEVICE_COOKIE);
    if (!(device && guard.devices.knowsDevice(deviceIdOf(device)))) {
      req.resume();
      return refuse(res, 429, LOGIN_BUSY, 'TOO_MANY_REQUESTS');
    }
  }
  return false;
}

/**
 * Login and the other auth.* procedures are never taken in a batch: one HTTP request carrying many
 * password attempts (`/trpc/auth.login,auth.login,…?batch=1`, GET or POST) would pass the limits as one.
 * Answers 400 and returns true when the request was such a batch.
 */
export function refuseAuthBatch(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const raw = req.url ?? '/';
  // Cheap test first: a batch has a comma (or its encoding) in the path or a batch parameter.
  if (!/,|%2c|batch/i.test(raw)) return false;
  const url = new URL(raw, 'http://x');
  let path = url.pathname.slice('/trpc/'.length);
  try {
    path = decodeURIComponent(path);
  } catch {
    // An undecodable path is left to tRPC, which refuses it.
  }
  const procedures = path.split(',');
  const batch = url.searchParams.has('batch') || procedures.length > 1;
  if (!batch || !procedures.some((p) => p.trim().startsWith('auth.'))) return false;
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify({
      error: {
        message: 'ログイン関連の操作はまとめて送信できません。1件ずつ送信してください',
        code: 'BAD_REQUEST',
      },
    }),
  );
  return true;
}

/** The client's address: the socket's, or behind the TLS proxy the last X-Forwarded-For hop (the one the proxy saw). */
export function clientAddressOf(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && forwarded) {
    const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',');
    const last = hops[hops.length - 1]?.trim();
    if (last) return last;
  }
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
