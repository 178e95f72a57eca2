/** Administrator essentials (issue #14): password reset, name/role edits, クリニック設定, sessions pages. */
import { schema, searchAudit } from '@karte/db';
import { defaultDepartments } from '@karte/domain';
import { TRPCClientError } from '@trpc/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTITUTION_CODE } from './seed/seed';
import { LAST_ADMIN_MESSAGE } from './services/admin/users';
import { endReasonLabels } from './services/auth/sessions';
import { STALE_SETTINGS_MESSAGE } from './services/clinic/settings';
import {
  addFacility,
  clientFor,
  errorCodeOf,
  loginAs,
  startTestApp,
  type TestApp,
  type TestClient,
} from './testing';

let app: TestApp;
let admin: TestClient;
let facilityId: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await loginAs(app.url, 'admin');
  facilityId = (await admin.auth.me.query()).auth?.facility.id ?? '';
});
afterAll(() => app?.close());

async function newUser(username: string, role: 'doctor' | 'nurse' | 'clerk' | 'admin' = 'nurse') {
  const u = await admin.admin.createUser.mutate({
    username,
    displayName: `${username} さん`,
    role,
    initialPassword: 'first-secret-42',
  });
  const c = await loginAs(app.url, username, 'first-secret-42');
  await c.auth.changePassword.mutate({
    currentPassword: 'first-secret-42',
    newPassword: 'own-secret-4242',
    confirmPassword: 'own-secret-4242',
  });
  return { id: u.id, client: c };
}

async function lastAudit(action: string) {
  const events = await searchAudit(app.karte.db, facilityId, { limit: 50 });
  return events.find((e) => e.action === action);
}

const fieldErrorsOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { code: error.data?.code, fields: error.data?.fieldErrors ?? {}, message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail');
};

describe('password reset by the administrator', () => {
  it('generates a temporary password shown once, ends the user sessions and forces a change at login', async () => {
    const { id, client } = await newUser('reset-me');
    const result = await admin.admin.resetPassword.mutate({ id, password: null });
    expect(result.temporaryPassword).toMatch(/^[a-zA-Z2-9]{14}$/);
    expect(result.user.mustChangePassword).toBe(true);
    // The user's session ended with the reason the login page explains.
    expect(await errorCodeOf(client.reception.searchPatients.query({ query: 'ヤ', limit: 1 }))).toBe(
      'UNAUTHORIZED',
    );
    expect((await client.auth.me.query()).ended?.message).toBe(endReasonLabels.password);
    // The old password no longer works; the temporary one does, and only to change it.
    expect(await errorCodeOf(loginAs(app.url, 'reset-me', 'own-secret-4242'))).toBe('UNAUTHORIZED');
    const again = await loginAs(app.url, 'reset-me', result.temporaryPassword ?? '');
    expect((await again.auth.me.query()).auth?.user.mustChangePassword).toBe(true);
    expect(await errorCodeOf(again.reception.searchPatients.query({ query: 'ヤ', limit: 1 }))).toBe(
      'FORBIDDEN',
    );
    await again.auth.changePassword.mutate({
      currentPassword: result.temporaryPassword ?? '',
      newPassword: 'brand-new-secret',
      confirmPassword: 'brand-new-secret',
    });
    expect(await again.reception.searchPatients.query({ query: 'ヤ', limit: 1 })).toHaveLength(1);
    const event = await lastAudit('reset-password');
    expect(event?.detail).toEqual({ targetUserId: id, generated: true });
    expect(JSON.stringify(event?.detail)).not.toContain(result.temporaryPassword ?? '');
  });

  it('takes a typed password only if it passes the rules, the common-password list included', async () => {
    const { id } = await newUser('typed-reset');
    for (const bad of ['short', '1234567890', 'password123', 'typed-reset-x1']) {
      const refused = await fieldErrorsOf(admin.admin.resetPassword.mutate({ id, password: bad }));
      expect(refused.code, bad).toBe('BAD_REQUEST');
      expect(refused.fields.password, bad).toMatch(/パスワード/);
    }
    const ok = await admin.admin.resetPassword.mutate({ id, password: 'temporary-word-77' });
    expect(ok.temporaryPassword).toBeNull();
    const c = await loginAs(app.url, 'typed-reset', 'temporary-word-77');
    expect((await c.auth.me.query()).auth?.user.mustChangePassword).toBe(true);
    expect((await lastAudit('reset-password'))?.detail).toEqual({ targetUserId: id, generated: false });
  });

  it('clears a lockout, refuses one’s own reset and another facility’s user', async () => {
    const { id } = await newUser('locked-out');
    for (let i = 0; i < 6; i++)
      await clientFor(app.url)
        .auth.login.mutate({
          facilityCode: DEMO_INSTITUTION_CODE,
          username: 'locked-out',
          password: 'wrong-guess-1',
        })
        .catch(() => undefined);
    expect((await admin.admin.listUsers.query()).find((u) => u.id === id)?.locked).toBe(true);
    const { temporaryPassword } = await admin.admin.resetPassword.mutate({ id, password: null });
    expect((await admin.admin.listUsers.query()).find((u) => u.id === id)?.locked).toBe(false);
    await loginAs(app.url, 'locked-out', temporaryPassword ?? '');

    const self = (await admin.auth.me.query()).auth?.user.id ?? '';
    const own = await fieldErrorsOf(admin.admin.resetPassword.mutate({ id: self, password: null }));
    expect(own.code).toBe('BAD_REQUEST');
    expect(own.message).toContain('パスワード変更');

    const other = await addFacility(app.karte, '0110113719', 'x');
    expect(
      await errorCodeOf(admin.admin.resetPassword.mutate({ id: other.users.clerk, password: null })),
    ).toBe('NOT_FOUND');
  });
});

describe('editing a user', () => {
  it('changes name and role at once (the user’s next call has the new role), audited', async () => {
    const { id, client } = await newUser('promote-me', 'clerk');
    expect(await errorCodeOf(client.admin.listUsers.query())).toBe('FORBIDDEN');
    const updated = await admin.admin.updateUser.mutate({ id, displayName: '昇格 花子', role: 'admin' });
    expect(updated).toMatchObject({ displayName: '昇格 花子', role: 'admin' });
    expect((await client.admin.listUsers.query()).length).toBeGreaterThan(1);
    expect((await lastAudit('update-user'))?.detail).toEqual({
      targetUserId: id,
      displayName: { from: 'promote-me さん', to: '昇格 花子' },
      role: { from: 'clerk', to: 'admin' },
    });
    // Back to clerk: the other administrator remains.
    await admin.admin.updateUser.mutate({ id, displayName: '昇格 花子', role: 'clerk' });
  });

  it('refuses to demote or disable the last active administrator of the facility', async () => {
    // A facility with one admin: that admin cannot demote nor disable themselves.
    const other = await addFacility(app.karte, '0110113727', 'solo');
    const code = other.facility.institutionCode;
    const solo = await loginAs(app.url, 'solo-admin', 'karte-demo', code);
    const soloId = (await solo.auth.me.query()).auth?.user.id ?? '';
    const refused = await fieldErrorsOf(
      solo.admin.updateUser.mutate({ id: soloId, displayName: 'solo admin', role: 'doctor' }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toBe(LAST_ADMIN_MESSAGE);
    expect(await errorCodeOf(solo.admin.setUserActive.mutate({ id: soloId, active: false }))).toBe(
      'BAD_REQUEST',
    );
    // Renaming oneself keeps the role and is fine.
    await solo.admin.updateUser.mutate({ id: soloId, displayName: '唯一の管理者', role: 'admin' });
    // With a second admin the demotion goes through; then the second is the last one and cannot step down.
    const second = other.users.doctor;
    await solo.admin.updateUser.mutate({ id: second, displayName: 'second admin', role: 'admin' });
    await solo.admin.updateUser.mutate({ id: soloId, displayName: '唯一の管理者', role: 'doctor' });
    const secondClient = await loginAs(app.url, 'solo-doctor', 'karte-demo', code);
    const last = await fieldErrorsOf(
      secondClient.admin.updateUser.mutate({ id: second, displayName: 'x', role: 'nurse' }),
    );
    expect(last.message).toBe(LAST_ADMIN_MESSAGE);
    const admins = await app.karte.db
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(and(eq(schema.users.facilityId, other.facility.id), eq(schema.users.role, 'admin')));
    expect(admins).toEqual([{ id: second }]);
    expect(await errorCodeOf(solo.admin.listUsers.query())).toBe('FORBIDDEN');
  });
});

describe('クリニック設定', () => {
  it('saves name, address, phone, 医療機関コード and departments with a version; a stale save is refused', async () => {
    const s = await admin.clinic.settings.query();
    expect(s.departments).toEqual(defaultDepartments);
    const { version, ...fields } = s;
    const saved = await admin.clinic.save.mutate({
      expectedVersion: version,
      settings: {
        ...fields,
        address: '東京都千代田区1-1',
        phone: '03-1234-5678',
        departments: [...fields.departments, { code: '26', name: '眼科' }],
      },
    });
    expect(saved.version).toBe(version + 1);
    expect(saved.departments.map((d) => d.name)).toContain('眼科');
    // A second admin's form opened at the old version: refused, nothing overwritten.
    const stale = await fieldErrorsOf(
      admin.clinic.save.mutate({ expectedVersion: version, settings: { ...fields, name: '上書き' } }),
    );
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toBe(STALE_SETTINGS_MESSAGE);
    expect((await admin.clinic.settings.query()).name).toBe(fields.name);
    const event = await lastAudit('update-clinic-settings');
    expect(event?.detail).toMatchObject({ version: version + 1, changed: { phone: { to: '03-1234-5678' } } });
    // Everyone reads the list; check-in takes a department of the list only.
    const clerk = await loginAs(app.url, 'clerk');
    expect((await clerk.clinic.departments.query()).map((d) => d.name)).toContain('眼科');
    expect(await errorCodeOf(clerk.clinic.settings.query())).toBe('FORBIDDEN');
    const patient = (await clerk.reception.searchPatients.query({ query: 'ヤ', limit: 1 }))[0];
    const refused = await fieldErrorsOf(
      clerk.reception.checkIn.mutate({
        patientId: patient?.id ?? '',
        purpose: '再診',
        department: '歯科',
        memo: '',
      }),
    );
    expect(refused.fields.department).toMatch(/診療科/);
  });

  it('validates the 医療機関コード check digit, keeps codes unique, and login uses the new code', async () => {
    const s = await admin.clinic.settings.query();
    const { version, ...fields } = s;
    const bad = await fieldErrorsOf(
      admin.clinic.save.mutate({
        expectedVersion: version,
        settings: { ...fields, institutionCode: '1310123450' },
      }),
    );
    expect(bad.fields['settings.institutionCode']).toMatch(/検証番号/);
    const other = await addFacility(app.karte, '0110113735', 'taken');
    const taken = await fieldErrorsOf(
      admin.clinic.save.mutate({
        expectedVersion: version,
        settings: { ...fields, institutionCode: other.facility.institutionCode },
      }),
    );
    expect(taken.code).toBe('CONFLICT');
    expect(taken.fields['settings.institutionCode']).toMatch(/既に別の医療機関/);
    const dup = await fieldErrorsOf(
      admin.clinic.save.mutate({
        expectedVersion: version,
        settings: {
          ...fields,
          departments: [
            { code: '01', name: '内科' },
            { code: '01', name: '内科' },
          ],
        },
      }),
    );
    expect(dup.fields['settings.departments.1.name']).toBe('同じ名前の診療科があります');

    const newCode = '1310123466'; // 13 1 01 2346 + check digit
    const saved = await admin.clinic.save.mutate({
      expectedVersion: version,
      settings: { ...fields, institutionCode: newCode },
    });
    expect(saved.institutionCode).toBe(newCode);
    expect((await admin.auth.me.query()).auth?.facility.institutionCode).toBe(newCode);
    await loginAs(app.url, 'doctor', 'karte-demo', newCode);
    expect(await errorCodeOf(loginAs(app.url, 'doctor', 'karte-demo', DEMO_INSTITUTION_CODE))).toBe(
      'UNAUTHORIZED',
    );
    // Back, so the other tests log in as before.
    await admin.clinic.save.mutate({ expectedVersion: saved.version, settings: { ...fields } });
  });
});

describe('sessions pages', () => {
  it('lists one’s own sessions (this one marked) and revokes another, which is told why at login', async () => {
    const { client: first } = await newUser('two-devices');
    const second = await loginAs(app.url, 'two-devices', 'own-secret-4242');
    const mine = await second.sessions.mine.query();
    expect(mine).toHaveLength(2);
    const here = mine.find((s) => s.current);
    const there = mine.find((s) => !s.current);
    expect(here && there).toBeTruthy();
    expect(there?.clientAddress).not.toBe('');
    expect(JSON.stringify(mine)).not.toMatch(/[0-9a-f]{64}/); // never the token's hash
    // This device is ended by ログアウト, not from the list.
    expect(await errorCodeOf(second.sessions.revokeMine.mutate({ ref: here?.ref ?? '' }))).toBe(
      'BAD_REQUEST',
    );
    await second.sessions.revokeMine.mutate({ ref: there?.ref ?? '' });
    expect(await errorCodeOf(first.sessions.mine.query())).toBe('UNAUTHORIZED');
    expect((await first.auth.me.query()).ended?.message).toBe(endReasonLabels['revoked-self']);
    expect((await lastAudit('revoke-session'))?.detail).toMatchObject({
      sessionRef: there?.ref,
      reason: 'revoked-self',
    });
    // Another user's session is not one's own to end.
    const adminRef = (await admin.sessions.mine.query())[0]?.ref ?? '';
    expect(await errorCodeOf(second.sessions.revokeMine.mutate({ ref: adminRef }))).toBe('NOT_FOUND');
    expect(await admin.sessions.mine.query()).not.toEqual([]);
  });

  it('lets the administrator see and revoke everyone’s sessions of the facility, not another’s', async () => {
    const { id, client } = await newUser('watched');
    const all = await admin.sessions.facility.query();
    const theirs = all.find((s) => s.user.id === id);
    expect(theirs).toBeTruthy();
    // Another clinic's signed-in user is not in the list.
    const elsewhere = await addFacility(app.karte, '0110113743', 'elsewhere');
    await loginAs(app.url, 'elsewhere-doctor');
    const again = await admin.sessions.facility.query();
    expect(again.map((s) => s.user.id)).not.toContain(elsewhere.users.doctor);
    expect(again.map((s) => s.user.id)).toContain(id);
    await admin.sessions.revoke.mutate({ ref: theirs?.ref ?? '' });
    expect((await client.auth.me.query()).ended?.message).toBe(endReasonLabels.revoked);
    expect((await lastAudit('revoke-session'))?.detail).toMatchObject({
      targetUserId: id,
      reason: 'revoked',
    });
    // Revoking it again: it is no longer open.
    expect(await errorCodeOf(admin.sessions.revoke.mutate({ ref: theirs?.ref ?? '' }))).toBe('NOT_FOUND');
    // Non-admins cannot list or revoke others'.
    expect(await errorCodeOf(client.sessions.facility.query())).toBe('UNAUTHORIZED');
    const nurse = await loginAs(app.url, 'nurse');
    expect(await errorCodeOf(nurse.sessions.facility.query())).toBe('FORBIDDEN');
  });
});
