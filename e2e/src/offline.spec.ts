import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { login } from './helpers';

const PASSPHRASE = '停電でも読める-カルテ-2026';

test('the admin makes the offline file, which opens from disk with no network, only with the passphrase', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'admin');
  await page.getByRole('link', { name: '利用者管理' }).click();
  await page
    .getByRole('navigation', { name: '管理メニュー' })
    .getByRole('link', { name: 'オフライン閲覧' })
    .click();
  await expect(page.getByRole('heading', { name: 'オフライン閲覧' })).toBeVisible();

  // Weak, then mismatched: Japanese errors beside the fields.
  const pass = page.getByRole('textbox', { name: 'パスフレーズ', exact: true });
  const confirm = page.getByLabel('パスフレーズ（確認）');
  await pass.fill('short');
  await confirm.fill('short');
  await page.getByRole('button', { name: 'パスフレーズを設定' }).click();
  await expect(page.getByText('パスフレーズは12文字以上にしてください')).toBeVisible();
  await pass.fill(PASSPHRASE);
  await confirm.fill(`${PASSPHRASE}!`);
  await page.getByRole('button', { name: 'パスフレーズを設定' }).click();
  await expect(page.getByText('確認用パスフレーズが一致しません')).toBeVisible();
  await confirm.fill(PASSPHRASE);
  await page.getByRole('button', { name: 'パスフレーズを設定' }).click();
  await expect(page.getByText('パスフレーズを設定しました。')).toBeVisible();

  await page.getByRole('button', { name: '今すぐ作成' }).click();
  await expect(page.getByText(/作成しました（\d+名）/)).toBeVisible({ timeout: 30_000 });
  const files = page.getByRole('table', { name: 'オフライン閲覧ファイル一覧' });
  await expect(files.getByRole('row')).toHaveCount(2);
  const hash = ((await files.getByTestId('offline-hash').first().textContent()) ?? '').trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await page.screenshot({ path: '../reports/offline-admin.png', fullPage: true });

  const downloading = page.waitForEvent('download');
  await files.getByRole('button', { name: 'ダウンロード' }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^karte-offline-\d{4}-\d{2}-\d{2}\.html$/);
  const path = join(mkdtempSync(join(tmpdir(), 'karte-offline-e2e-')), download.suggestedFilename());
  await download.saveAs(path);

  // A fresh browser context with the network off and every request but the file itself refused.
  const context = await browser.newContext({
    offline: true,
    locale: 'ja-JP',
    viewport: { width: 1366, height: 900 },
  });
  const requests: string[] = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const offline = await context.newPage();
  await offline.goto(`file://${path}`);
  // Before the passphrase: the hash (same as the admin page's) checks out, and no patient is shown.
  await expect(offline.locator('#stated-hash')).toHaveText(hash);
  await expect(offline.getByText('一致（改ざんなし）')).toBeVisible();
  await expect(offline.locator('section.patient')).toHaveCount(0);

  await offline.getByLabel('パスフレーズ').fill('まちがったパスフレーズ');
  await offline.getByRole('button', { name: '開く' }).click();
  await expect(offline.getByText('パスフレーズが違うか、ファイルが壊れています')).toBeVisible({
    timeout: 20_000,
  });

  await offline.getByLabel('パスフレーズ').fill(PASSPHRASE);
  await offline.getByRole('button', { name: '開く' }).click();
  // The demo's patient with a 薬剤禁忌 (seen today): allergies and prescriptions are there.
  const patient = offline.locator('section.patient').filter({ hasText: 'アナフィラキシー' });
  await expect(patient).toBeVisible({ timeout: 20_000 });
  await expect(patient).toContainText('ロキソニン錠６０ｍｇ');
  await expect(patient).toContainText('そば');
  await expect(patient.getByRole('heading', { name: 'アレルギー・薬剤禁忌' })).toBeVisible();
  const rx = patient.locator('h3:has-text("処方（最近）") + table');
  await expect(rx).toContainText(/Rp1 .+/);
  await expect(offline.getByRole('heading', { name: /本日の受付予定（\d+名）/ })).toBeVisible();
  await offline.screenshot({ path: '../reports/offline-page.png', fullPage: false });
  await patient.screenshot({ path: '../reports/offline-patient.png' });
  await offline.emulateMedia({ media: 'print' });
  await offline.screenshot({ path: '../reports/offline-print.png', fullPage: false });
  expect(requests).toEqual([]);
  await context.close();
});
