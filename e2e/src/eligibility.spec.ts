import { expect, type Page, test } from '@playwright/test';
import { login, uniqueKana, uniqueKanji } from './helpers';

async function registerPatient(page: Page, family: string, kana: string) {
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('花子');
  await page.getByLabel('セイ（カナ）').fill(kana);
  await page.getByLabel('メイ（カナ）').fill('ハナコ');
  await page.getByLabel('性別').selectOption({ label: '女' });
  await page.getByLabel('生年月日').fill('1976-08-08');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 花子`);
}

test('資格確認: every field that changes is shown (資格取得日 in 和暦), applied exactly, the old version kept', async ({
  page,
}) => {
  await login(page, 'clerk');
  await registerPatient(page, uniqueKanji(), uniqueKana());
  await page.getByRole('button', { name: '保険を登録' }).click();
  await page.getByLabel('保険者番号').fill('01130012');
  await page.getByLabel('記号').fill('12');
  await page.getByRole('textbox', { name: '番号', exact: true }).fill('2468');
  await page.getByLabel('資格取得日').fill('2020-04-01');
  await page.getByRole('button', { name: '保険を保存' }).click();
  await expect(page.getByTestId('coverage')).toContainText('令和2年4月1日');

  await page.getByRole('button', { name: '保険証情報で確認' }).click();
  const table = page.getByRole('table', { name: '資格確認との差異' });
  const acquired = table.getByRole('row').filter({ hasText: '資格取得日' });
  await expect(acquired).toContainText('令和2年4月1日');
  await expect(acquired).toContainText('令和6年4月1日');
  await expect(page.getByTestId('identity-warning')).toHaveCount(0);
  await page.getByRole('button', { name: '確認結果を反映する' }).click();
  await expect(page.getByTestId('coverage')).toContainText('令和6年4月1日');
  await page.getByRole('button', { name: /変更履歴/ }).click();
  await expect(page.getByText(/資格取得日 令和2年4月1日/)).toBeVisible();
});

test('資格確認: another person’s 氏名 and 性別 are a prominent identity warning; the patient is not changed', async ({
  page,
}) => {
  const family = uniqueKanji();
  await login(page, 'clerk');
  await registerPatient(page, family, `ベツジン${uniqueKana()}`);
  await page.getByRole('button', { name: 'マイナ保険証で確認' }).click();
  const warning = page.getByTestId('identity-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('本人確認の注意');
  await expect(warning).toContainText('性別');
  await expect(warning).toContainText('別人 太郎');
  await page.screenshot({ path: '/tmp/safety-identity-warning.png', fullPage: true });
  await page.getByRole('button', { name: '確認結果を反映する' }).click();
  await expect(page.getByRole('button', { name: '反映しました' })).toBeVisible();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 花子`);
  await expect(page.getByTestId('patient-header')).toContainText('女');
});
