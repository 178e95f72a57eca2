import { type Browser, expect, type Page, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

/** A new user made through the API by the admin's page (initial password, change forced at first login). */
async function createUser(admin: Page, prefix: string, initialPassword: string) {
  const username = `${prefix}${Date.now() % 1_000_000}`;
  const res = await admin.request.post('/trpc/admin.createUser', {
    headers: { 'x-karte-csrf': '1', 'content-type': 'application/json' },
    data: { json: { username, displayName: `${prefix} 利用者`, role: 'nurse', initialPassword } },
  });
  expect(res.ok()).toBe(true);
  return username;
}

async function changeInitialPassword(page: Page, current: string, next: string) {
  await expect(page.getByText('初回ログインのため、パスワードを変更してください。')).toBeVisible();
  await page.getByLabel('現在のパスワード').fill(current);
  await page.getByLabel('新しいパスワード', { exact: true }).fill(next);
  await page.getByLabel('新しいパスワード（確認）').fill(next);
  await page.getByRole('button', { name: '変更する' }).click();
  await expect(page.getByRole('heading', { name: '患者検索' })).toBeVisible();
}

async function freshPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test('the admin resets a password: the user is signed out and must change it at the next login', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const admin = await asUser(browser, 'admin');
  const username = await createUser(admin, 'reset', 'first-login-pass');
  await login(page, username, 'first-login-pass');
  await changeInitialPassword(page, 'first-login-pass', 'forgotten-secret');

  await admin.setViewportSize({ width: 1366, height: 900 });
  await admin.goto('/admin/users');
  await admin.getByRole('button', { name: `${username} のパスワード再設定` }).click();
  // A typed password is checked against the rules beside the field.
  await admin.getByLabel('入力する').check();
  await admin.getByLabel('仮パスワード').fill('1234567890');
  await admin.getByRole('button', { name: '再設定する' }).click();
  await expect(
    admin.getByText('連続した文字（1234…、abcd…、qwerty…）だけのパスワードは使えません'),
  ).toBeVisible();
  await admin.getByLabel('自動で生成する').check();
  await admin.getByRole('button', { name: '再設定する' }).click();
  const temporary = (await admin.getByTestId('temporary-password').textContent()) ?? '';
  expect(temporary).toMatch(/^[a-zA-Z2-9]{14}$/);
  await admin.screenshot({ path: '../reports/admin-password-reset.png' });
  await admin.getByRole('button', { name: '閉じる' }).click();
  await expect(admin.getByRole('table', { name: '利用者一覧' })).toContainText('初回パスワード変更待ち');

  // The user's open session ended, and the login page says why.
  await page.reload();
  await expect(page.getByTestId('session-ended')).toContainText('パスワードが変更されたため');
  await login(page, username, 'forgotten-secret').catch(() => undefined);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
  const again = await freshPage(browser);
  await login(again, username, temporary);
  await changeInitialPassword(again, temporary, 'remembered-secret');
});

test('the admin edits クリニック設定; a new 診療科 appears at check-in', async ({ page, browser }) => {
  test.setTimeout(60_000);
  const department = `眼科${Date.now() % 10_000}`;
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'admin');
  await page.goto('/admin/users');
  await page
    .getByRole('navigation', { name: '管理メニュー' })
    .getByRole('link', { name: 'クリニック設定' })
    .click();
  await expect(page.getByRole('heading', { name: 'クリニック設定' })).toBeVisible();
  // A wrong check digit is refused beside the field.
  const code = page.getByLabel('医療機関コード');
  const original = await code.inputValue();
  await code.fill(`${original.slice(0, 9)}${(Number(original.at(-1)) + 1) % 10}`);
  await expect(
    page.getByText('医療機関コードを変えると、保存後のログインでは新しいコードを入力します'),
  ).toBeVisible();
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByText('医療機関コードの検証番号（最後の桁）が合いません')).toBeVisible();
  await code.fill(original);
  await page.getByLabel('電話番号').fill('03-1234-5678');
  await page.getByRole('button', { name: '診療科を追加' }).click();
  const rows = page.getByRole('table', { name: '診療科一覧' }).getByRole('row');
  const n = (await rows.count()) - 1;
  await page.getByLabel(`診療科名 ${n}`).fill(department);
  await page.getByLabel(`標準の診療科 ${n}`).selectOption('26');
  await page.screenshot({ path: '../reports/admin-clinic-settings.png', fullPage: true });
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByText('保存しました。')).toBeVisible();

  // Another admin's form opened before that save is refused, not overwritten.
  const other = await asUser(browser, 'admin');
  await other.goto('/admin/clinic');
  await expect(other.getByLabel('電話番号')).toHaveValue('03-1234-5678');
  await page.getByLabel('所在地').fill('東京都千代田区千代田1-1');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByText('保存しました。')).toBeVisible();
  await other.getByLabel('電話番号').fill('03-9999-9999');
  await other.getByRole('button', { name: '保存する' }).click();
  await expect(other.getByText('他の管理者が先にクリニック設定を保存しました')).toBeVisible();

  // Reception: the new 診療科 is in the list and a visit takes it.
  const clerk = await asUser(browser, 'clerk');
  const family = uniqueKanji();
  await clerk.goto('/patients/new');
  await clerk.getByLabel('姓（漢字）').fill(family);
  await clerk.getByLabel('名（漢字）').fill('診療科');
  await clerk.getByLabel('セイ（カナ）').fill(uniqueKana());
  await clerk.getByLabel('メイ（カナ）').fill('シンリョウカ');
  await clerk.getByLabel('性別').selectOption('female');
  await clerk.getByLabel('生年月日').fill('1975-05-05');
  await clerk.getByRole('button', { name: '登録する' }).click();
  await expect(clerk.getByTestId('patient-header')).toContainText(`${family} 診療科`);
  await clerk.getByLabel('来院目的').fill('視力低下');
  await clerk.getByLabel('診療科').selectOption(department);
  await clerk.getByRole('button', { name: '受付する' }).click();
  const reception = await clerk.getByTestId('reception-number').textContent();
  await clerk.goto('/reception/board');
  await expect(clerk.getByTestId(`visit-${reception}`)).toContainText(department);
});

test('a user ends another of their own sessions, which is sent to login with the reason', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const admin = await asUser(browser, 'admin');
  const username = await createUser(admin, 'twodev', 'first-login-pass');
  await login(page, username, 'first-login-pass');
  await changeInitialPassword(page, 'first-login-pass', 'two-device-secret');

  const second = await freshPage(browser);
  await second.setViewportSize({ width: 1366, height: 900 });
  await login(second, username, 'two-device-secret');
  await second.getByLabel('利用者メニュー').click();
  await second.getByRole('link', { name: 'ログイン中の端末' }).click();
  const table = second.getByRole('table', { name: 'ログイン中の端末' });
  await expect(table.getByTestId('session-row')).toHaveCount(2);
  await expect(table.getByText('この端末')).toHaveCount(1);
  await second.screenshot({ path: '../reports/account-sessions.png' });
  await table.getByRole('button', { name: 'ログアウトさせる' }).click();
  await expect(second.getByText('選んだ端末をログアウトさせました。')).toBeVisible();
  await expect(table.getByTestId('session-row')).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId('session-ended')).toContainText('この端末のログインが終了されたため');
  await expect(page.getByLabel('ログインID')).toBeVisible();

  // The administrator sees the remaining session in the facility list and can end it too.
  await admin.setViewportSize({ width: 1366, height: 900 });
  await admin.goto('/admin/sessions');
  const all = admin.getByRole('table', { name: 'ログイン中のセッション' });
  const row = all.getByTestId('session-row').filter({ hasText: username });
  await expect(row).toHaveCount(1);
  await admin.screenshot({ path: '../reports/admin-sessions.png' });
  await row.getByRole('button', { name: 'ログアウトさせる' }).click();
  await expect(row).toHaveCount(0);
  await second.reload();
  await expect(second.getByTestId('session-ended')).toContainText('管理者がこの端末のログインを終了させた');
});
