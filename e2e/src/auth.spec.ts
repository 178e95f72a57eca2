import { expect, test } from '@playwright/test';
import { login, logout } from './helpers';

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
