import { expect, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

test('the admin defines a 会計セット; the clerk adds it to a 会計 by keyboard and sees its lines priced', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  const setName = `採血セット${Date.now() % 100000}`;

  // 会計設定: a セット of 採血 (B-V) and 末梢血液一般検査, found by code as on the 会計 screen.
  const admin = await asUser(browser, 'admin');
  await admin.setViewportSize({ width: 1366, height: 900 });
  await admin.getByRole('link', { name: '会計設定' }).click();
  await admin.getByRole('button', { name: 'セットを追加' }).click();
  const set = admin.getByTestId('bill-set').last();
  await set.getByLabel('セット名').fill(setName);
  const search = set.getByLabel(`「${setName}」に行を追加（カナ・コードで検索）`);
  for (const code of ['160095710', '160008010']) {
    await search.fill(code);
    await search.press('Enter');
    await expect(set.getByTestId('bill-set-item').filter({ hasText: code })).toHaveCount(1, {
      timeout: 15_000, // the first search of a fresh database waits for the bundled tariff
    });
  }
  await admin.getByRole('button', { name: '保存' }).click();
  await expect(admin.getByText('保存しました。')).toBeVisible();
  await admin.screenshot({ path: '../reports/billing-sets-settings.png', fullPage: true });

  // A patient checks in and reaches 会計待.
  const family = uniqueKanji();
  await login(page, 'clerk');
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('採血');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('サイケツ');
  await page.getByLabel('性別').selectOption('female');
  await page.getByLabel('生年月日').fill('1975-03-03');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 採血`);
  await page.getByRole('button', { name: 'マイナ保険証で確認' }).click();
  await expect(page.getByTestId('eligibility-result')).toContainText('負担割合 3割');
  await page.getByRole('button', { name: '確認結果を反映する' }).click();
  await page.getByLabel('来院目的').fill('健診後の採血');
  await page.getByRole('button', { name: '受付する' }).click();
  const reception = await page.getByTestId('reception-number').textContent();
  await page.goto('/reception/board');
  const row = page.getByTestId(`visit-${reception}`);
  await row.getByRole('button', { name: '診察待' }).click();
  const doctor = await asUser(browser, 'doctor');
  await doctor.goto('/reception/board');
  const doctorRow = doctor.getByTestId(`visit-${reception}`);
  await doctorRow.getByRole('button', { name: '診察中' }).click();
  await expect(doctorRow.getByTestId('visit-state')).toHaveText('診察中');
  await doctorRow.getByRole('button', { name: '会計待' }).click();
  await expect(row.getByTestId('visit-state')).toHaveText('会計待', { timeout: 2500 });
  await row.getByRole('link', { name: '会計' }).click();
  await expect(page.getByTestId('billing-patient')).toBeVisible({ timeout: 15_000 });
  const before = Number(
    ((await page.getByTestId('total-points').textContent()) ?? '').replace(/[^0-9]/g, ''),
  );

  // セットから追加: Tab from the search reaches the list; ↓/↑ choose, Enter adds. The list appears once the
  // facility's 会計設定 has arrived (it may come after the bill itself).
  const picker = page.getByLabel('セットから追加');
  await expect(picker).toBeVisible();
  await page.getByLabel('行を追加（カナ・コードで検索）').focus();
  await page.keyboard.press('Tab');
  await expect(picker).toBeFocused();
  const options = await picker.locator('option').allTextContents();
  const at = options.findIndex((o) => o.startsWith(setName));
  expect(at).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  const lines = page.getByTestId('bill-line');
  const points: number[] = [];
  for (const code of ['160095710', '160008010']) {
    const line = lines.filter({ hasText: code });
    await expect(line).toHaveCount(1);
    await expect(line).toContainText(`セット「${setName}」から追加`);
    await expect(line.locator('td').nth(3)).toHaveText(/^[1-9][0-9]*点/);
    points.push(Number(((await line.locator('td').nth(3).textContent()) ?? '').replace(/点.*/, '')));
  }
  expect(points.every((p) => p > 0)).toBe(true);
  await expect(page.getByTestId('total-points')).not.toHaveText(`${before.toLocaleString('ja-JP')}点`);
  await page.screenshot({ path: '../reports/billing-sets.png', fullPage: true });
});
