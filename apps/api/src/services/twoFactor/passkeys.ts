import { createHash } from 'node:crypto';
import {
  appendAudit,
  type Database,
  deleteLoginChallenge,
  deletePasskey,
  findFacilityByCode,
  findPasskey,
  getFacility,
  getLoginChallenge,
  getUser,
  insertLoginChallenge,
  insertPasskey,
  listPasskeys,
  markPasskeyUsed,
  type PasskeyRow,
  recordLoginSuccess,
  setLoginChallengeValue,
  takeLoginChallengeValue,
} from '@karte/db';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { TRPCError } from '@trpc/server';
import type { Config } from '../../config';
import type { Actor } from '../audit';
import { lockedMessage } from '../auth/login';
import { LoginGuard } from '../auth/loginGuard';
import type { Auth, SessionService } from '../auth/sessions';
import {
  beginPending,
  challengeIdOf,
  completeSignIn,
  countedSecondFactor,
  PENDING_EXPIRED,
  pendingSignIn,
} from './pending';

/**
 * The WebAuthn relying party: KARTE_PUBLIC_URL when set (its origin; the RP ID is its host name), else
 * the Host the browser used. A passkey is bound to that host name: registered at https://karte.example,
 * it works there only.
 */
export function publicOrigin(config: Config, host: string | undefined): string {
  if (config.publicUrl) return new URL(config.publicUrl).origin;
  return `${config.tlsProxy ? 'https' : 'http'}://${host ?? `${config.host}:${config.port}`}`;
}
const rpOf = (origin: string | undefined) => {
  if (!origin) throw new TRPCError({ code: 'BAD_REQUEST', message: '接続先を確認できません' });
  return { origin, rpID: new URL(origin).hostname };
};

const PASSKEY_FAILED = 'パスキーでログインできませんでした。医療機関コードとパスキーを確認してください';
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const userHandleOf = (userId: string) => b64url(Buffer.from(userId, 'utf8'));
const credentialOf = (row: PasskeyRow) => ({
  id: row.credentialId,
  publicKey: new Uint8Array(Buffer.from(row.publicKey, 'base64url')),
  counter: row.counter,
  transports: (row.transports ? row.transports.split(',') : []) as never,
});

function audit(
  db: Database,
  actor: Actor,
  action: string,
  outcome: 'ok' | 'denied' | 'invalid',
  detail = {},
) {
  return appendAudit(db, {
    facilityId: actor.facilityId,
    userId: actor.userId,
    patientId: null,
    action,
    procedure: actor.procedure,
    outcome,
    detail,
  });
}

// ── own passkeys ──

export async function myPasskeys(db: Database, auth: Auth) {
  const rows = await listPasskeys(db, auth.facility.id, auth.user.id);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt }));
}

const registrationStateOf = (sessionId: string) =>
  createHash('sha256').update(`passkey-register:${sessionId}`).digest('hex');

export async function registrationOptions(db: Database, auth: Auth, origin: string | undefined) {
  const { rpID } = rpOf(origin);
  const existing = await listPasskeys(db, auth.facility.id, auth.user.id);
  const options = await generateRegistrationOptions({
    rpName: `Karte（${auth.facility.name}）`,
    rpID,
    userName: `${auth.user.username}@${auth.facility.institutionCode}`,
    userID: new Uint8Array(Buffer.from(auth.user.id, 'utf8')),
    userDisplayName: auth.user.displayName,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId })),
    // Discoverable (so it can sign in without a password) and with user verification (PIN, fingerprint).
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const id = registrationStateOf(auth.sessionId);
  await db.transaction(async (tx) => {
    await deleteLoginChallenge(tx, id);
    await insertLoginChallenge(tx, {
      id,
      facilityId: auth.facility.id,
      userId: auth.user.id,
      kind: 'passkey-register',
      challenge: options.challenge,
      ttlMs: 5 * 60_000,
    });
  });
  return options;
}

export async function registerPasskey(
  db: Database,
  auth: Auth,
  actor: Actor,
  origin: string | undefined,
  name: string,
  response: RegistrationResponseJSON,
) {
  const rp = rpOf(origin);
  const state = await takeLoginChallengeValue(db, registrationStateOf(auth.sessionId));
  if (!state?.challenge || state.userId !== auth.user.id)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '登録の有効期限が切れました。もう一度お試しください',
    });
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: state.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch {
    verified = { verified: false };
  }
  if (!verified.verified) {
    await audit(db, actor, 'passkey-add', 'invalid', {});
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'パスキーを登録できませんでした' });
  }
  const { credential } = verified.registrationInfo;
  return db.transaction(async (tx) => {
    const row = await insertPasskey(tx, {
      facilityId: auth.facility.id,
      userId: auth.user.id,
      credentialId: credential.id,
      publicKey: b64url(credential.publicKey),
      counter: credential.counter,
      transports: (credential.transports ?? []).join(','),
      name,
    });
    if (!row) throw new TRPCError({ code: 'CONFLICT', message: 'このパスキーはすでに登録されています' });
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'passkey-add',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { passkeyId: row.id, name },
    });
    return { id: row.id, name: row.name };
  });
}

export async function removePasskey(db: Database, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const row = await deletePasskey(tx, actor.facilityId, actor.userId, id);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'パスキーが見つかりません' });
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'passkey-remove',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { passkeyId: row.id, name: row.name },
    });
    return { ok: true as const };
  });
}

/** Verifies an assertion against a stored credential; updates its counter when good. */
async function verifyAssertion(
  db: Database,
  rp: { origin: string; rpID: string },
  passkey: PasskeyRow,
  challenge: string,
  response: AuthenticationResponseJSON,
) {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: credentialOf(passkey),
      requireUserVerification: true,
    });
    if (!result.verified) return false;
    await markPasskeyUsed(db, passkey.id, result.authenticationInfo.newCounter);
    return true;
  } catch {
    return false;
  }
}

// ── as the second factor ──

export async function secondFactorOptions(
  db: Database,
  pendingToken: string | null | undefined,
  origin?: string,
) {
  const pending = await pendingSignIn(db, pendingToken, 'second-factor');
  const { rpID } = rpOf(origin);
  const keys = await listPasskeys(db, pending.facility.id, pending.user.id);
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: keys.map((k) => ({ id: k.credentialId })),
    userVerification: 'required',
  });
  await setLoginChallengeValue(db, pending.row.id, options.challenge);
  return options;
}

/** A passkey's answer to a sign-in challenge, with what the request tells about the browser. */
export interface PasskeyAssertionRequest {
  pendingToken: string | null | undefined;
  origin: string | undefined;
  clientAddress: string;
  currentSessionId: string | null;
  response: AuthenticationResponseJSON;
}

export async function verifySecondFactorPasskey(
  db: Database,
  sessions: SessionService,
  config: Config,
  guard: LoginGuard,
  req: PasskeyAssertionRequest,
) {
  const pending = await pendingSignIn(db, req.pendingToken, 'second-factor');
  const rp = rpOf(req.origin);
  const procedure = 'auth.verifySecondFactorPasskey';
  let usedId: string | null = null;
  await countedSecondFactor(db, config, guard, pending, req.clientAddress, procedure, 'passkey', async () => {
    const state = await takeLoginChallengeValue(db, pending.row.id);
    const passkey = await findPasskey(db, pending.facility.id, req.response.id);
    if (!state?.challenge || !passkey || passkey.userId !== pending.user.id) return 'wrong';
    if (!(await verifyAssertion(db, rp, passkey, state.challenge, req.response))) return 'wrong';
    usedId = passkey.id;
    return 'ok';
  });
  guard.succeeded(req.clientAddress);
  const token = await completeSignIn(
    db,
    sessions,
    pending,
    procedure,
    { address: req.clientAddress, method: 'passkey', passkeyId: usedId },
    req.currentSessionId,
  );
  return { token, userKey: pending.userKey };
}

// ── instead of the password ──

export async function passkeyLoginOptions(
  db: Database,
  guard: LoginGuard,
  clientAddress: string,
  facilityCode: string,
  origin: string | undefined,
) {
  guard.admit(clientAddress, `${facilityCode}/passkey`);
  const { rpID } = rpOf(origin);
  // No list of credentials: the authenticator offers the passkeys it holds for this site.
  const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
  const facility = await findFacilityByCode(db, facilityCode);
  // An unknown code gets options too (the sign-in then fails like a wrong passkey).
  const token = facility
    ? await beginPending(db, facility.id, null, 'passkey-login', options.challenge)
    : null;
  return { options, token };
}

export async function passkeyLogin(
  db: Database,
  sessions: SessionService,
  guard: LoginGuard,
  req: PasskeyAssertionRequest,
) {
  const rp = rpOf(req.origin);
  const key = `passkey:${req.response.id.slice(0, 128)}`;
  guard.admit(req.clientAddress, key);
  const fail = (message = PASSKEY_FAILED) => {
    guard.failed(key);
    return new TRPCError({ code: 'UNAUTHORIZED', message });
  };
  const stateId = req.pendingToken ? challengeIdOf(req.pendingToken) : null;
  const state = stateId ? await getLoginChallenge(db, stateId) : null;
  if (state?.kind !== 'passkey-login') throw fail(PENDING_EXPIRED);
  const taken = await takeLoginChallengeValue(db, state.id);
  const passkey = await findPasskey(db, state.facilityId, req.response.id);
  const user = passkey ? await getUser(db, state.facilityId, passkey.userId) : null;
  const denied = (reason: string) =>
    appendAudit(db, {
      facilityId: state.facilityId,
      userId: user?.id ?? null,
      patientId: null,
      action: 'login',
      procedure: 'auth.passkeyLogin',
      outcome: 'denied',
      detail: { method: 'passkey', reason, address: req.clientAddress },
    });
  if (!taken?.challenge || !passkey || !user?.active) {
    await denied(passkey ? 'disabled' : 'unknown-passkey');
    throw fail();
  }
  if (req.response.response.userHandle && req.response.response.userHandle !== userHandleOf(user.id)) {
    await denied('user-handle');
    throw fail();
  }
  if (!(await verifyAssertion(db, rp, passkey, taken.challenge, req.response))) {
    await denied('signature');
    throw fail();
  }
  // The account is locked (wrong passwords or codes): the passkey is right, so its holder is told.
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    await denied('locked');
    throw new TRPCError({ code: 'FORBIDDEN', message: lockedMessage(user.lockedUntil) });
  }
  await db.transaction(async (tx) => {
    await recordLoginSuccess(tx, user.id);
    await deleteLoginChallenge(tx, state.id);
    await appendAudit(tx, {
      facilityId: state.facilityId,
      userId: user.id,
      patientId: null,
      action: 'login',
      procedure: 'auth.passkeyLogin',
      outcome: 'ok',
      detail: { method: 'passkey', passwordless: true, passkeyId: passkey.id, address: req.clientAddress },
    });
  });
  if (req.currentSessionId) await sessions.end(req.currentSessionId, 'relogin');
  // Both tokens of the address go back: the options' and this sign-in's.
  guard.succeeded(req.clientAddress);
  guard.succeeded(req.clientAddress);
  const facilityCode = (await findFacilityCode(db, state.facilityId)) ?? '';
  return {
    token: await sessions.create(user.id, state.facilityId, { address: req.clientAddress }),
    userKey: LoginGuard.userKey(facilityCode, user.username),
  };
}

async function findFacilityCode(db: Database, facilityId: string) {
  return (await getFacility(db, facilityId))?.institutionCode ?? null;
}
