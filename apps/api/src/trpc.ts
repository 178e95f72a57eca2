import { type KarteDb, pgErrorCode } from '@karte/db';
import type { Role } from '@karte/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Config } from './config';
import type { Logger } from './log';
import type { EligibilityPort } from './ports/eligibility';
import { recordFailure } from './services/audit';
import type { LoginGuard } from './services/auth/loginGuard';
import type { Auth, EndReason, SessionService } from './services/auth/sessions';
import { transformer } from './transformer';

export interface Context {
  karte: KarteDb;
  config: Config;
  log: Logger;
  sessions: SessionService;
  eligibility: EligibilityPort;
  auth: Auth | null;
  /** Why the session of this request's cookie ended (shown on the login page), if it did. */
  sessionEnded: EndReason | null;
  loginGuard: LoginGuard;
  /** The client's address (X-Forwarded-For only behind the configured TLS proxy). */
  clientAddress: string;
  /** The browser's device cookie (see DEVICE_COOKIE). */
  deviceToken: string | null;
  /** The browser's User-Agent, recorded with a new session (ログイン中の端末). */
  userAgent?: string;
  setCookie: (value: string) => void;
  /** The token of a sign-in in progress (password given, second factor awaited), from its cookie. */
  pendingToken?: string | null;
  /** The browser-facing origin (KARTE_PUBLIC_URL, else the request's Host): WebAuthn's origin and RP ID. */
  origin?: string;
}

/** Every procedure declares who may call it; the audit action marks patient data. */
export interface Meta {
  roles: readonly Role[] | 'public' | 'authenticated';
  /** Patient data: successful calls audit inside their transaction, failures here. */
  audit?: string;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const fieldErrors: Record<string, string> = {};
      for (const issue of zod?.issues ?? []) {
        const key = issue.path.join('.') || '_';
        fieldErrors[key] ??= issue.message;
      }
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      // A body past the server's limit (1 MB; 8 MB for the lab file's base64).
      const tooLarge = error.code === 'PAYLOAD_TOO_LARGE';
      return {
        ...shape,
        // Never show internals to the user; the log has them.
        message: zod
          ? '入力内容に誤りがあります'
          : internal
            ? 'サーバーで問題が発生しました。時間をおいて再度お試しください'
            : tooLarge
              ? '送信するデータが大きすぎます（検査結果ファイルは5MBまで）'
              : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors: zod ? fieldErrors : undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Second wall behind the zod contracts: a value the database refuses as data (SQLSTATE class 22: NUL or
 * broken text, numbers or dates out of range) is the caller's input, so it answers 400, not 500.
 */
export function dataExceptionMessage(error: unknown): string | null {
  const code = pgErrorCode(error);
  if (!code?.startsWith('22')) return null;
  if (code === '22P05' || code === '22021') return '保存できない文字（NUL・文字化け）が含まれています';
  if (code === '22003') return '数値が大きすぎるか小さすぎます';
  if (code === '22008' || code === '22007') return '日付が範囲外か正しくありません';
  if (code === '22001') return '入力が長すぎます';
  return '入力値が不正です';
}

const logErrors = t.middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') {
    const message = dataExceptionMessage(result.error.cause);
    if (message) {
      ctx.log.warn({ path, sqlstate: pgErrorCode(result.error.cause) }, 'input refused by the database');
      throw new TRPCError({ code: 'BAD_REQUEST', message, cause: result.error.cause });
    }
    ctx.log.error({ err: result.error.cause ?? result.error, path }, 'procedure failed');
  }
  return result;
});

export const publicProcedure = t.procedure.meta({ roles: 'public' }).use(logErrors);

const requireAuth = t.middleware(async ({ ctx, meta, path, next }) => {
  const auth = ctx.auth;
  if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'ログインしてください' });
  const roles = meta?.roles;
  if (!roles || roles === 'public') throw new Error(`procedure ${path} declares no roles`);
  if (auth.user.mustChangePassword && !path.startsWith('auth.')) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'パスワードを変更してください' });
  }
  if (roles !== 'authenticated' && !roles.includes(auth.user.role)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'この操作を行う権限がありません' });
  }
  return next({ ctx: { auth } });
});

/** Failures of patient-data procedures are audited too (successes audit in their transaction). */
const auditFailures = t.middleware(async ({ ctx, meta, path, next, getRawInput }) => {
  const result = await next();
  if (!result.ok && meta?.audit && ctx.auth) {
    // The patient the request targeted, for the record only (a denied request is still a look at that patient).
    const input = await getRawInput().catch(() => undefined);
    await recordFailure(ctx.karte.db, ctx.auth, path, meta.audit, result.error.code, input).catch((err) =>
      ctx.log.error({ err, path }, 'audit of a failure failed'),
    );
  }
  return result;
});

/** A procedure for signed-in users of the given roles. */
export function authed(roles: Meta['roles']) {
  return t.procedure.meta({ roles }).use(logErrors).use(requireAuth);
}

/** A procedure that reads or writes patient data: authenticated, role-checked and audited. */
export function patientData(roles: readonly Role[], action: string) {
  return t.procedure.meta({ roles, audit: action }).use(logErrors).use(auditFailures).use(requireAuth);
}

/** Who reads the clinical record (chart and orders). */
export const clinicalRoles = ['doctor', 'nurse', 'admin', 'clerk'] as const;
/** Who writes it: doctors, and nurses/clerks as 代行入力 for a named doctor (approved later). */
export const writerRoles = ['doctor', 'nurse', 'clerk'] as const;
/**
 * Who changes what the safety checks read — allergies and 薬剤禁忌, infection status, lab results entered or
 * corrected by hand: doctors and nurses only (a clerk files the lab's CSV as received, nothing more).
 */
export const safetyRoles = ['doctor', 'nurse'] as const;
