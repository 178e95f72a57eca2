import { expect, test } from '@playwright/test';
import { asUser, login, logout } from './helpers';

test('the login page shows the demo logins and a wrong password gets one plain message', async ({ page }) => {
  await page.goto('/patients/new'); // a deep link lands on the login page first
  await expect(page.getByTestId('demo-logins')).toContainText('karte-demo');
  await page.getByLabel('ログインID').fill('doctor');
  await page.getByLabel('パスワード').fill('wrong-password');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('alert')).toContainText('ログインIDまたはパスワードが正しくありません');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByText('パスワードを入力してください')).toBeVisible();
});

test('the shell shows facility, user and role; logout returns to login', async ({ page }) => {
  await login(page, 'doctor');
  await expect(page.getByTestId('facility-name')).toHaveText('カルテ内科クリニック（デモ）');
  await expect(page.getByTestId('current-user')).toHaveText('医師 デモ（医師）');
  // Not an admin: no admin menu.
  await expect(page.getByRole('link', { name: '利用者管理' })).toHaveCount(0);
  await logout(page);
  await page.goto('/');
  await expect(page.getByLabel('ログインID')).toBeVisible();
});

test('when the session ends elsewhere, the next action returns to the login page', async ({
  page,
  context,
}) => {
  await login(page, 'nurse');
  const other = await context.newPage();
  await other.goto('/');
  await logout(other);
  await page.getByLabel(/カナ・漢字/).fill('ヤ');
  await expect(page.getByText('標準型電子カルテ ログイン')).toBeVisible();
});

test('pages run under a strict content security policy without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') violations.push(m.text());
  });
  const res = await page.goto('/');
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  await login(page, 'admin');
  await page.getByRole('link', { name: '監査ログ' }).click();
  await expect(page.getByRole('table', { name: '監査ログ' })).toBeVisible();
  await page.getByRole('link', { name: '新患登録' }).click();
  await expect(page.getByRole('heading', { name: '新患登録' })).toBeVisible();
  expect(violations).toEqual([]);
});

test('login names the clinic: the demo 医療機関コード is filled in, and another code fails like a wrong password', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByLabel('医療機関コード')).toHaveValue('1310123458');
  await page.getByLabel('医療機関コード').fill('0110113719');
  await page.getByLabel('ログインID').fill('doctor');
  await page.getByLabel('パスワード').fill('karte-demo');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('alert')).toContainText('ログインIDまたはパスワードが正しくありません');
  await page.getByLabel('医療機関コード').fill('1310123458');
  await page.getByLabel('パスワード').fill('karte-demo');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
});

test('a screen left alone polls in the background: those requests do not keep the session alive', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await login(page, 'clerk');
  await page.getByRole('link', { name: '受付一覧' }).click();
  const polled = (background: boolean) =>
    page.waitForRequest(
      (r) =>
        r.url().includes('reception.boardStamp') &&
        (r.headers()['x-karte-background'] === '1') === background,
      { timeout: 20_000 },
    );
  // Right after the click the user is active: polls count as activity.
  await polled(false);
  // Nobody touches the screen: after a few seconds the polls are marked background.
  await polled(true);
  // A key pressed: activity again.
  await page.keyboard.press('ArrowDown');
  await polled(false);
});

test('the login page says why the session ended: the admin disabled the user', async ({ page, browser }) => {
  const admin = await asUser(browser, 'admin');
  const call = (path: string, input: unknown) =>
    admin.request.post(`/trpc/${path}`, {
      headers: { 'x-karte-csrf': '1', 'content-type': 'application/json' },
      data: { json: input },
    });
  const username = `gone${Date.now() % 1_000_000}`;
  const created = await call('admin.createUser', {
    username,
    displayName: '退職 予定',
    role: 'clerk',
    initialPassword: 'first-login-pass',
  });
  expect(created.ok()).toBe(true);
  const id = (await created.json()).result.data.json.id as string;
  await login(page, username, 'first-login-pass');
  expect((await call('admin.setUserActive', { id, active: false })).ok()).toBe(true);
  await page.reload();
  await expect(page.getByTestId('session-ended')).toContainText('管理者によりこの利用者が無効化された');
  await expect(page.getByLabel('ログインID')).toBeVisible();
});
