import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { login, logout } from './helpers';

const FACILITY = '1310123458';
const PASSWORD = 'Kq7-maple-tree-42';

/** A tRPC call as the SPA makes it (POST, CSRF header, superjson envelope). */
async function call(api: APIRequestContext, path: string, input?: unknown) {
  const res = await api.post(`/trpc/${path}`, {
    headers: { 'x-karte-csrf': '1', 'content-type': 'application/json' },
    data: input === undefined ? {} : { json: input },
  });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()).result?.data?.json;
}

/** A new nurse of the demo clinic with her own password (changed from the initial one), made through the API. */
async function newUser(baseURL: string, prefix: string) {
  const username = `${prefix}${Date.now() % 1_000_000}`;
  const admin = await request.newContext({ baseURL });
  await call(admin, 'auth.login', { facilityCode: FACILITY, username: 'admin', password: 'karte-demo' });
  await call(admin, 'admin.createUser', {
    username,
    displayName: `看護 ${prefix}`,
    role: 'nurse',
    initialPassword: 'Initial-pass-2026',
  });
  await admin.dispose();
  const self = await request.newContext({ baseURL });
  await call(self, 'auth.login', { facilityCode: FACILITY, username, password: 'Initial-pass-2026' });
  await call(self, 'auth.changePassword', {
    currentPassword: 'Initial-pass-2026',
    newPassword: PASSWORD,
    confirmPassword: PASSWORD,
  });
  await self.dispose();
  return username;
}

const codeOf = (secret: string, offsetSteps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });

async function openSecurityPage(page: Page) {
  await page.getByLabel('利用者メニュー').click();
  await page.getByRole('link', { name: '2段階認証・パスキー' }).click();
  await expect(page.getByRole('heading', { name: '2段階認証・パスキー' })).toBeVisible();
}

test('TOTP: enrol with the QR code and key, keep the recovery codes, then sign in with a code as the second step', async ({
  page,
  baseURL,
}) => {
  const username = await newUser(baseURL ?? '', 'totp');
  await login(page, username, PASSWORD);
  await openSecurityPage(page);
  await expect(page.getByTestId('totp-status')).toHaveText('未設定');
  await page.getByRole('button', { name: '確認コードを設定する' }).click();
  await page.getByRole('button', { name: '設定を始める' }).click();
  await expect(page.getByRole('img', { name: '認証アプリに登録するQRコード' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // A wrong code is refused beside the field.
  await page.getByLabel('確認コード').fill('12345');
  await page.getByRole('button', { name: '確認して設定する' }).click();
  await expect(page.getByText('確認コードは6桁の数字です')).toBeVisible();
  await page.screenshot({ path: '../reports/two-factor-enrol.png', fullPage: true });
  await page.getByLabel('確認コード').fill(codeOf(secret));
  await page.getByRole('button', { name: '確認して設定する' }).click();
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await page.getByRole('button', { name: '保管しました' }).click();
  await expect(page.getByTestId('totp-status')).toContainText('設定済み');
  await expect(page.getByTestId('totp-status')).toContainText('10件');

  await logout(page);
  await page.getByLabel('ログインID').fill(username);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByTestId('second-factor')).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);
  await page.screenshot({ path: '../reports/two-factor-login.png', fullPage: true });
  await page.getByLabel(/確認コード/).fill('000000');
  await page.getByRole('button', { name: '確認', exact: true }).click();
  await expect(page.getByText('確認コードが正しくありません')).toBeVisible();
  // The next 30 s step: the enrolment spent the current one (a code is good once).
  await page.getByLabel(/確認コード/).fill(codeOf(secret, 1));
  await page.getByRole('button', { name: '確認', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText('看護 totp');
});

test('passkeys: register one with a virtual authenticator, then use it as the second step and to sign in without a password', async ({
  page,
  baseURL,
}) => {
  const username = await newUser(baseURL ?? '', 'pk');
  // WebAuthn needs a host name for the RP ID (not an IP address): the same server as localhost.
  const origin = (baseURL ?? '').replace('127.0.0.1', 'localhost');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${origin}/`);
  await page.getByLabel('ログインID').fill(username);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await openSecurityPage(page);
  await page.getByRole('button', { name: 'パスキーを登録する' }).click();
  await expect(page.getByText('名前を入力してください')).toBeVisible();
  await page.getByLabel('パスキーの名前').fill('テスト端末');
  await page.getByRole('button', { name: 'パスキーを登録する' }).click();
  await expect(page.getByRole('list', { name: '登録済みのパスキー' })).toContainText('テスト端末');
  await page.screenshot({ path: '../reports/passkeys.png', fullPage: true });

  // As the second step after the password.
  await logout(page);
  await page.getByLabel('ログインID').fill(username);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByTestId('second-factor')).toBeVisible();
  await page.getByRole('button', { name: 'パスキーで確認' }).click();
  await expect(page.getByTestId('current-user')).toContainText('看護 pk');

  // Instead of the password: 医療機関コード + passkey.
  await logout(page);
  await expect(page.getByRole('heading', { name: 'パスキーでログイン' })).toBeVisible();
  await page.getByRole('button', { name: 'パスキーを使う' }).click();
  await expect(page.getByTestId('current-user')).toContainText('看護 pk');

  // Removed, it signs in no more.
  await openSecurityPage(page);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'パスキー「テスト端末」を削除' }).click();
  await expect(page.getByText('登録されたパスキーはありません')).toBeVisible();
});

test('the administrator sees who enrolled, sets the policy and resets a user', async ({ page, baseURL }) => {
  const username = await newUser(baseURL ?? '', 'adm');
  await login(page, 'admin');
  await page.getByRole('link', { name: '利用者管理' }).click();
  await page
    .getByRole('navigation', { name: '管理メニュー' })
    .getByRole('link', { name: '2段階認証' })
    .click();
  await expect(page.getByRole('heading', { name: '2段階認証' })).toBeVisible();
  const row = page.getByTestId(`two-factor-user-${username}`);
  await expect(row).toContainText('未設定');
  await page.getByLabel(/必須（次回ログイン時に設定を求める）/).check();
  await page.getByRole('button', { name: '方針を保存' }).click();
  await expect(page.getByText('方針を保存しました。')).toBeVisible();
  await page.screenshot({ path: '../reports/two-factor-admin.png', fullPage: true });
  // Under 'required', the new nurse must enrol after her password before anything else.
  const other = await (await page.context().browser()?.newContext())?.newPage();
  if (!other) throw new Error('no second page');
  await other.goto(baseURL ?? '/');
  await other.getByLabel('ログインID').fill(username);
  await other.getByLabel('パスワード').fill(PASSWORD);
  await other.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(other.getByTestId('forced-enrolment')).toBeVisible();
  await other.getByRole('button', { name: '設定を始める' }).click();
  const secret = (await other.getByTestId('totp-secret').textContent()) ?? '';
  await other.getByLabel('確認コード').fill(codeOf(secret));
  await other.getByRole('button', { name: '確認して設定する' }).click();
  await expect(other.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await other.getByRole('button', { name: '保管しました。利用を開始する' }).click();
  await expect(other.getByTestId('current-user')).toContainText('看護 adm');
  // Back to optional (the other specs' users sign in with a password), then reset her.
  await page.getByLabel(/任意（各自が設定）/).check();
  await page.getByRole('button', { name: '方針を保存' }).click();
  await expect(page.getByText('方針を保存しました。')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/任意（各自が設定）/)).toBeChecked();
  await expect(row).toContainText('設定済み');
  page.once('dialog', (d) => d.accept());
  await row.getByRole('button', { name: 'リセット' }).click();
  await expect(row).toContainText('未設定');
});
