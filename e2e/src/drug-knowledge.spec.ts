import { expect, type Page, test } from '@playwright/test';
import { login, uniqueKana, uniqueKanji } from './helpers';

async function newPatient(page: Page) {
  const family = uniqueKanji();
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('薬剤');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ヤクザイ');
  await page.getByLabel('性別').selectOption('male');
  await page.getByLabel('生年月日').fill('1972-03-03');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(family);
  return page.url();
}

async function addDrug(page: Page, query: string, product: string) {
  await page.getByTestId('rp-1').getByLabel('薬剤を検索').fill(query);
  const row = page
    .getByRole('list', { name: '薬剤の候補' })
    .locator('li')
    .filter({ hasText: product })
    .first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: product }).click();
}

test('a ペニシリン系 class allergy warns on amoxicillin; an adult over-dose shows 用量超過 and needs a reason', async ({
  page,
}) => {
  await login(page, 'doctor');
  const url = await newPatient(page);
  await page.goto(`${url}/chart`);

  // The allergy is registered as a class (薬効分類), not as a product.
  const allergies = page.getByRole('region', { name: 'アレルギー・禁忌' });
  await allergies.getByRole('button', { name: '追加' }).click();
  await allergies.getByRole('button', { name: 'ペニシリン系' }).click();
  await expect(page.getByLabel('原因物質')).toHaveValue('ペニシリン系');
  await allergies.screenshot({ path: '../reports/drug-knowledge-allergy-form.png' });
  await allergies.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('header-alerts')).toContainText('ペニシリン系');

  await page.getByRole('button', { name: '本日の診療を開始' }).click();
  await page.getByRole('button', { name: '処方を追加' }).click();
  await addDrug(page, 'さわしりん', 'サワシリンカプセル２５０');
  // 用法 from the table: searched by text, then picked.
  const rp1 = page.getByTestId('rp-1');
  await rp1.getByLabel('用法検索（RP1）').fill('あさひるゆう'); // kana finds 朝昼夕
  await rp1.getByLabel('RP1 の用法').selectOption('1013044400000000');
  const finding = page.getByTestId('finding').filter({ hasText: 'ペニシリン系' });
  await expect(finding).toContainText('アレルギー・薬剤禁忌');
  await expect(finding).toContainText(
    'サワシリンカプセル２５０: 登録されたアレルギー（ペニシリン系）に該当します',
  );
  await page.screenshot({ path: '../reports/drug-knowledge-class-allergy.png', fullPage: true });

  // Replace it with ロキソニン 2錠 × 3 = 360 mg/日 (> 180 mg).
  await rp1.getByRole('button', { name: '削除', exact: true }).first().click();
  await addDrug(page, 'ろきそにん', 'ロキソニン錠６０ｍｇ');
  await rp1.getByLabel('ロキソニン錠６０ｍｇ の数量').fill('2');
  const dose = page.getByTestId('finding').filter({ hasText: '用量超過' });
  await expect(dose).toContainText('1日360mgは1日最大量180mgを超えています');
  await expect(page.getByTestId('finding').filter({ hasText: 'ペニシリン系' })).toHaveCount(0);
  await page.getByRole('button', { name: '処方を確定' }).click();
  await expect(page.getByText('チェック結果を確認し、処方を続ける理由を入力してください')).toBeVisible();
  await dose.getByLabel('用量超過を承知で処方する理由').fill('術後疼痛で3日間のみ');
  await page.screenshot({ path: '../reports/drug-knowledge-dose.png', fullPage: true });
  await page.getByRole('button', { name: '処方を確定' }).click();
  await expect(page.getByTestId('entry').filter({ hasText: '術後疼痛で3日間のみ' })).toContainText(
    'ロキソニン',
  );
});
