import { expect, type Page, test } from '@playwright/test';
import { asUser, login } from './helpers';

async function openDemoPatient(page: Page) {
  await page.locator('#patient-search').fill('1');
  await page.getByRole('table', { name: '検索結果' }).getByRole('row').nth(1).click();
  await expect(page.getByTestId('patient-header')).toContainText('患者番号');
  return page.url();
}

test('a clerk sees no way to change allergies, 薬剤禁忌, infections or lab results; a nurse does', async ({
  page,
  browser,
}) => {
  await login(page, 'clerk');
  const patientUrl = await openDemoPatient(page);
  await page.goto(`${patientUrl}/chart`);
  const allergies = page.locator('section[aria-labelledby="allergies-heading"]');
  await expect(allergies).toContainText('アレルギー・禁忌');
  await expect(allergies.getByRole('button', { name: '追加' })).toHaveCount(0);
  await expect(allergies.getByRole('button', { name: '解消' })).toHaveCount(0);
  await expect(page.getByLabel('感染症の検査')).toHaveCount(0);
  await page.goto(`${patientUrl}/labs`);
  await expect(page.getByRole('table', { name: '累積表' })).toBeVisible();
  await expect(page.getByRole('form', { name: '検査結果の手入力' })).toHaveCount(0);

  const nurse = await asUser(browser, 'nurse');
  await nurse.goto(`${patientUrl}/chart`);
  await expect(
    nurse.locator('section[aria-labelledby="allergies-heading"]').getByRole('button', { name: '追加' }),
  ).toBeVisible();
  await expect(nurse.getByLabel('感染症の検査')).toBeVisible();
});

test('the admin’s audit log leaves out polled board reads by default, and shows them on request', async ({
  page,
  browser,
}) => {
  const clerk = await asUser(browser, 'clerk');
  await clerk.goto('/reception/board');
  await expect(clerk.getByRole('heading', { name: /受付一覧/ })).toBeVisible();
  await login(page, 'admin');
  await page.getByRole('link', { name: '監査ログ' }).click();
  const log = page.getByRole('table', { name: '監査ログ' });
  await expect(log).toContainText('ログイン');
  const filter = page.getByLabel(/一覧の閲覧を除く/);
  await expect(filter).toBeChecked();
  await expect(log).not.toContainText('reception.board');
  await filter.uncheck();
  await expect(log).toContainText('reception.board');
  await page.screenshot({ path: '/tmp/safety-audit.png', fullPage: false });
});
