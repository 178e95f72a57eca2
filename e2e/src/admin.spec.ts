import { expect, test } from '@playwright/test';
import { login, logout } from './helpers';

test('the admin adds a user, who must change the initial password at first login', async ({ page }) => {
  const username = `e2e${Date.now() % 1_000_000}`;
  await login(page, 'admin');
  await page.getByRole('link', { name: '利用者管理' }).click();
  await page.getByLabel('ログインID').fill('Bad Name!');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(page.getByText('ログインIDは半角英小文字・数字・._- の3〜32文字です')).toBeVisible();
  await page.getByLabel('ログインID').fill(username);
  await page.getByLabel('氏名').fill('新人 看護師');
  await page.getByLabel('役割').selectOption('nurse');
  await page.getByLabel('初期パスワード').fill('initial-pass-1');
  await page.getByRole('button', { name: '追加する' }).click();
  await expect(page.getByRole('table', { name: '利用者一覧' })).toContainText(username);
  await logout(page);

  await login(page, username, 'initial-pass-1');
  await expect(page.getByText('初回ログインのため、パスワードを変更してください。')).toBeVisible();
  await page.getByLabel('現在のパスワード').fill('initial-pass-1');
  await page.getByLabel('新しいパスワード', { exact: true }).fill('my-new-password');
  await page.getByLabel('新しいパスワード（確認）').fill('my-new-password');
  await page.getByRole('button', { name: '変更する' }).click();
  await expect(page.getByRole('heading', { name: '患者検索' })).toBeVisible();
});

test('the admin reads the audit log and verifies the chain', async ({ page }) => {
  await login(page, 'admin');
  await page.getByLabel(/カナ・漢字/).fill('サ');
  await expect(page.getByRole('table', { name: '検索結果' })).toBeVisible();
  await page.getByRole('link', { name: '監査ログ' }).click();
  const log = page.getByRole('table', { name: '監査ログ' });
  await expect(log).toContainText('検索');
  await expect(log).toContainText('ログイン');
  await page.getByRole('button', { name: '改ざん検証を実行' }).click();
  await expect(page.getByText(/ハッシュチェーンは正常です（\d+件を検証）/)).toBeVisible();
  await page.getByLabel('患者番号').fill('abc');
  await page.getByRole('button', { name: '検索', exact: true }).click();
  await expect(page.getByText('患者番号は数字で入力してください')).toBeVisible();
});

test('the admin signs a checkpoint of the audit log and verifies against it', async ({ page }) => {
  await login(page, 'admin');
  await page.getByRole('link', { name: '監査ログ' }).click();
  const latest = page.getByTestId('latest-checkpoint');
  await expect(latest).toContainText('最新のチェックポイント:');
  await page.getByRole('button', { name: 'チェックポイントを作成' }).click();
  const made = page.getByText(/チェックポイントを作成しました（連番 (\d+) まで署名）/);
  await expect(made).toBeVisible();
  const seq = /連番 (\d+) まで/.exec((await made.textContent()) ?? '')?.[1];
  await expect(latest).toContainText(`連番 ${seq} まで署名済み`);
  await page.getByRole('button', { name: '改ざん検証を実行' }).click();
  await expect(
    page.getByText(
      new RegExp(
        `ハッシュチェーンは正常です（\\d+件を検証）。署名済みチェックポイント\\d+件（連番 ${seq} まで）と一致し`,
      ),
    ),
  ).toBeVisible();
  // The checkpoint is on the record.
  await expect(page.getByRole('table', { name: '監査ログ' })).toContainText('チェックポイント作成');
  await page.screenshot({ path: '../reports/audit-anchor.png', fullPage: true });
});
