import { expect, type Page, test } from '@playwright/test';
import { login, uniqueKana, uniqueKanji } from './helpers';

async function checkIn(page: Page, family: string): Promise<string> {
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('矢印');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ヤジルシ');
  await page.getByLabel('性別').selectOption('female');
  await page.getByLabel('生年月日').fill('1975-03-03');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 矢印`);
  await page.getByLabel('来院目的').fill('咳');
  await page.getByRole('button', { name: '受付する' }).click();
  return (await page.getByTestId('reception-number').textContent()) ?? '';
}

test('受付一覧: ↓ after tabbing into a row moves the focus with the highlight, so Enter opens the highlighted patient', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await login(page, 'clerk');
  const first = await checkIn(page, uniqueKanji());
  await checkIn(page, uniqueKanji());
  await page.goto('/reception/board');
  const row = page.getByTestId(`visit-${first}`);
  await expect(row).toBeVisible();
  // The focus on a link inside the first row (as after Tab) makes that row the highlighted one.
  await row.getByRole('link', { name: 'カルテ' }).focus();
  await expect(row).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(row).toHaveAttribute('aria-selected', 'false');
  const selected = page.locator('tr[aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toBeFocused();
  const chart = (await selected.getByRole('link', { name: 'カルテ' }).getAttribute('href')) ?? '';
  const patientPath = chart.replace(/\/chart$/, '');
  expect(patientPath).toMatch(/^\/patients\/[0-9a-f-]+$/);
  await page.keyboard.press('Enter');
  // The clerk's Enter opens the highlighted row's patient page, not the first row's chart.
  await expect(page).toHaveURL(new RegExp(`${patientPath}$`));
});
