import { expect, type Page, test } from '@playwright/test';
import { login, uniqueKana, uniqueKanji } from './helpers';

// Issue #12 item 16: 傷病名 by keyboard, kana inside the reading, 削除（誤登録）, dates in the side panel.

async function newPatient(page: Page) {
  const family = uniqueKanji();
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('病名');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ビョウメイ');
  await page.getByLabel('性別').selectOption({ label: '女' });
  await page.getByLabel('生年月日').fill('1980-04-04');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(family);
  return page.url();
}

test('傷病名 by keyboard: kana inside the reading, ↑↓ and Enter pick a coded name; free text only on request', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'doctor');
  const url = await newPatient(page);
  await page.goto(`${url}/chart`);
  const panel = page.getByRole('region', { name: '傷病名' });
  const table = page.getByRole('table', { name: '傷病名一覧' });

  await panel.getByRole('button', { name: '病名を追加' }).click();
  const search = page.getByLabel('病名を検索');
  await search.fill('じょうきどうえん');
  const candidates = page.getByRole('list', { name: '病名の候補' });
  await expect(candidates.getByRole('button', { name: /^急性上気道炎/ })).toBeVisible();
  // Enter before choosing takes nothing: the typed kana is not a disease.
  await search.press('Enter');
  await expect(page.getByRole('button', { name: '病名を保存' })).toBeDisabled();
  const target = candidates.getByRole('button', { name: /^急性上気道炎/ });
  const names = await candidates.getByRole('button').allTextContents();
  const index = names.findIndex((n) => n.startsWith('急性上気道炎'));
  for (let i = 0; i <= index; i++) await search.press('ArrowDown');
  await expect(target).toHaveAttribute('aria-current', 'true');
  await search.press('Enter');
  await expect(page.getByText('選択中: 急性上気道炎')).toBeVisible();
  await page.getByLabel('開始日').fill('2026-11-02');
  await page.getByRole('button', { name: '病名を保存' }).click();
  await expect(table).toContainText('急性上気道炎');
  await expect(table).not.toContainText('未コード化');

  // Free text becomes 未コード化 only when asked for.
  await panel.getByRole('button', { name: '病名を追加' }).click();
  await search.fill('なんとなく体調不良');
  await search.press('Enter');
  await expect(page.getByRole('button', { name: '病名を保存' })).toBeDisabled();
  await page.getByLabel('マスターにない病名として登録する（未コード化）').check();
  await page.getByRole('button', { name: '病名を保存' }).click();
  await expect(table).toContainText('なんとなく体調不良');
  await expect(table).toContainText('未コード化');

  // The dates are whole in the side panel at 1366 px: in the list and in the form.
  await table
    .getByRole('row')
    .filter({ hasText: '急性上気道炎' })
    .getByRole('button', { name: '編集' })
    .click();
  await page.getByLabel('転帰').selectOption('cured');
  await page.getByLabel('終了日').fill('2026-11-20');
  const box = await panel.boundingBox();
  for (const label of ['開始日', '終了日']) {
    const field = await page.getByLabel(label).boundingBox();
    expect(field && box && field.x >= box.x && field.x + field.width <= box.x + box.width, label).toBe(true);
    // Wide enough for 2026/11/20 and the calendar button.
    expect(field?.width ?? 0, label).toBeGreaterThanOrEqual(150);
  }
  await page.screenshot({ path: '/tmp/chart-problems-form-1366.png', fullPage: true });
  await page.getByRole('button', { name: '病名を保存' }).click();
  const dates = table.getByTestId('problem-dates').filter({ hasText: '令和8年11月20日' });
  await expect(dates).toContainText('令和8年11月2日〜令和8年11月20日');
  const clipped = await dates.evaluate((el) =>
    [...el.querySelectorAll('span')].some((s) => {
      const r = s.getBoundingClientRect();
      const cell = el.closest('td')?.getBoundingClientRect();
      return !cell || r.right > cell.right + 0.5 || r.left < cell.left - 0.5;
    }),
  );
  expect(clipped).toBe(false);
  await page.screenshot({ path: '/tmp/chart-problems-list-1366.png', fullPage: true });
});

test('a 傷病名 entered in error is removed with a reason and leaves the list', async ({ page }) => {
  await login(page, 'doctor');
  const url = await newPatient(page);
  await page.goto(`${url}/chart`);
  const panel = page.getByRole('region', { name: '傷病名' });
  const table = page.getByRole('table', { name: '傷病名一覧' });
  await panel.getByRole('button', { name: '病名を追加' }).click();
  await page.getByLabel('病名を検索').fill('こうけつあつしょう');
  await page
    .getByRole('list', { name: '病名の候補' })
    .getByRole('button', { name: /^高血圧症/ })
    .click();
  await page.getByRole('button', { name: '病名を保存' }).click();
  await expect(table).toContainText('高血圧症');

  await table.getByRole('button', { name: '高血圧症 を削除（誤登録）' }).click();
  const remove = page.getByRole('group', { name: '削除（誤登録）' });
  await expect(remove.getByRole('button', { name: '誤登録として削除' })).toBeDisabled();
  await remove.getByLabel('削除の理由').fill('別の患者のカルテに登録した');
  await remove.getByRole('button', { name: '誤登録として削除' }).click();
  await expect(table).not.toContainText('高血圧症');
  await page.reload();
  await expect(page.getByRole('table', { name: '傷病名一覧' })).not.toContainText('高血圧症');
});
