import { type Browser, expect, type Page, test } from '@playwright/test';
import { login, uniqueKana, uniqueKanji } from './helpers';

async function staffPage(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, username);
  return page;
}

test('a clerk checks in a patient with a card read, sees 3割, and the doctor’s board follows the queue', async ({
  page,
  browser,
}) => {
  const family = uniqueKanji();
  const kana = uniqueKana();
  await login(page, 'clerk');
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('受付');
  await page.getByLabel('セイ（カナ）').fill(kana);
  await page.getByLabel('メイ（カナ）').fill('ウケツケ');
  await page.getByLabel('性別').selectOption('female'); // 性別 has no default
  await page.getByLabel('生年月日').fill('1980-07-07');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 受付`);

  // オンライン資格確認 with the card: the simulator answers 有効, 3割.
  await page.getByRole('button', { name: 'マイナ保険証で確認' }).click();
  const result = page.getByTestId('eligibility-result');
  await expect(result).toContainText('有効');
  await expect(result).toContainText('負担割合 3割');
  await expect(page.getByRole('table', { name: '資格確認との差異' })).toContainText('保険者番号');
  await page.getByRole('button', { name: '確認結果を反映する' }).click();
  await expect(page.getByTestId('burden')).toHaveText('3割');
  await expect(page.getByTestId('coverage')).toContainText('資格確認の結果');

  // The doctor opens today's board before the patient is checked in.
  const doctor = await staffPage(browser, 'doctor');
  await doctor.goto('/reception/board');
  await expect(doctor.getByRole('heading', { name: /受付一覧/ })).toBeVisible();

  await page.getByLabel('来院目的').fill('発熱');
  await page.getByRole('button', { name: '受付する' }).click();
  const number = await page.getByTestId('reception-number').textContent();
  const doctorRow = doctor.getByTestId(`visit-${number}`);
  // Live: the doctor's board shows the new visit without reload, within 2 s.
  await expect(doctorRow).toContainText(`${family} 受付`, { timeout: 2500 });
  await expect(doctorRow.getByTestId('visit-state')).toHaveText('受付済');
  await expect(doctorRow).toContainText('確認済');

  // The clerk sends the patient to the waiting room; the doctor sees it and calls the patient in.
  await page.goto('/reception/board');
  const clerkRow = page.getByTestId(`visit-${number}`);
  await clerkRow.getByRole('button', { name: '診察待' }).click();
  await expect(doctorRow.getByTestId('visit-state')).toHaveText('診察待', { timeout: 2500 });
  await expect(clerkRow.getByRole('button', { name: '診察中' })).toHaveCount(0); // not the clerk's move
  await doctorRow.getByRole('button', { name: '診察中' }).click();
  await expect(clerkRow.getByTestId('visit-state')).toHaveText('診察中', { timeout: 2500 });

  // Keyboard: the doctor closes the consultation with the row's first action (会計待).
  await doctorRow.click();
  await doctor.keyboard.press('1');
  await expect(clerkRow.getByTestId('visit-state')).toHaveText('会計待', { timeout: 2500 });
  await clerkRow.getByRole('button', { name: '完了' }).click();
  // 完了 cannot be undone: the board asks first.
  await page.getByRole('dialog').getByRole('button', { name: '完了する' }).click();
  await expect(doctorRow.getByTestId('visit-state')).toHaveText('完了', { timeout: 2500 });
});

test('coverage input is checked at the field', async ({ page }) => {
  await login(page, 'clerk');
  await page.getByLabel(/カナ・漢字/).fill('サ');
  await page.getByRole('table', { name: '検索結果' }).locator('tbody tr').first().click();
  await page.getByRole('button', { name: /保険を(登録|変更)/ }).click();
  await page.getByLabel('保険者番号').fill('01130013');
  await page.getByRole('textbox', { name: '番号', exact: true }).fill('12');
  await page.getByLabel('枝番').fill('1');
  await page.getByRole('button', { name: '保険を保存' }).click();
  await expect(page.getByText('保険者番号の検証番号（末尾）が一致しません')).toBeVisible();
  await expect(page.getByText('枝番は2桁の数字で入力してください（ない場合は空欄）')).toBeVisible();
  await page.getByLabel('保険者番号').fill('01130012');
  await page.getByLabel('枝番').fill('01');
  await page.getByRole('button', { name: '保険を保存' }).click();
  await expect(page.getByTestId('coverage')).toContainText('協会けんぽ');
});
