import { expect, test } from '@playwright/test';
import { login } from './helpers';

test('the admin makes a backup from the バックアップ page and sees it listed', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 800 });
  await login(page, 'admin');
  await page.getByRole('link', { name: '利用者管理' }).click();
  await page
    .getByRole('navigation', { name: '管理メニュー' })
    .getByRole('link', { name: 'バックアップ' })
    .click();
  await expect(page.getByRole('heading', { name: 'バックアップ' })).toBeVisible();
  await expect(page.getByText(/毎日 03:00（日本時間）、新しい 7 世代を保管/)).toBeVisible();
  const files = page.getByRole('table', { name: 'バックアップファイル' });
  const before = await files.locator('tbody tr td.font-mono').count();
  await page.getByRole('button', { name: '今すぐバックアップ' }).click();
  // The progress shows while it runs, then the file is listed and the last success is filled in.
  await expect(page.getByTestId('backup-last-success')).toContainText(
    /令和\d+年\d+月\d+日 \d\d:\d\d（手動、[\d.]+ (KB|MB)）/,
    {
      timeout: 60_000,
    },
  );
  await expect(files.locator('tbody tr td.font-mono')).toHaveCount(before + 1);
  await expect(files).toContainText(/karte-\d{8}-\d{6}\.kbak/);
  await expect(page.getByTestId('backup-last-failure')).toHaveText('ありません');
  await page.screenshot({ path: '../reports/backups.png', fullPage: true });
  // The request and its result are in the audit log.
  await page
    .getByRole('navigation', { name: '管理メニュー' })
    .getByRole('link', { name: '監査ログ' })
    .click();
  const log = page.getByRole('table', { name: '監査ログ' });
  await expect(log).toContainText('バックアップ結果');
});
