import { expect, type Page, test } from '@playwright/test';
import { login } from './helpers';

/** The demo patient with a chart: 患者番号 1 (coverage, problems, allergies, labs, a prescription). */
async function openDemoChart(page: Page) {
  await page.locator('#patient-search').fill('1');
  await page.getByRole('table', { name: '検索結果' }).getByRole('row').nth(1).click();
  await expect(page.getByTestId('patient-header')).toContainText('患者番号');
  await page.goto(`${page.url()}/chart`);
  await expect(page.getByRole('heading', { name: 'カルテ（2号用紙）' })).toBeVisible();
}

test('a doctor writes a referral letter from the chart, fixes what is missing, finalises and prints it with a valid Bundle', async ({
  page,
}) => {
  await login(page, 'doctor');
  await openDemoChart(page);
  if (await page.getByRole('button', { name: '本日の診療を開始' }).isVisible())
    await page.getByRole('button', { name: '本日の診療を開始' }).click();
  await page.getByLabel('文書を作成').first().selectOption({ label: '診療情報提供書' });
  await expect(page.getByRole('heading', { name: '診療情報提供書' })).toBeVisible();

  // Pulled from the chart, ticked already; what must still be written is listed in Japanese.
  await expect(page.getByRole('checkbox', { name: /本態性高血圧症/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /ロキソニン/ })).toBeChecked();
  const problems = page.getByTestId('document-problems');
  await expect(problems).toContainText('紹介目的を入力してください');
  await expect(page.getByText('紹介目的を入力してください').first()).toBeVisible();

  // Bad input: a 9-digit institution code is refused beside the field, nothing lost.
  await page.getByLabel('紹介先医療機関コード（10桁）').fill('131123456');
  await expect(page.getByRole('alert').filter({ hasText: '医療機関コードは10桁の数字です' })).toBeVisible();
  await page.getByLabel('紹介先医療機関コード（10桁）').fill('1311234567');
  await page.getByRole('textbox', { name: '紹介先医療機関', exact: true }).fill('東京第一テスト病院');
  await page.getByRole('textbox', { name: '紹介先診療科' }).fill('循環器内科');
  await page.getByRole('textbox', { name: '紹介目的' }).fill('高血圧症の精査をお願いいたします。');
  await page.getByRole('textbox', { name: '現病歴' }).fill('3年前から通院中。最近血圧が高い。');
  await expect(problems).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText('下書きは自動で保存されます')).toBeVisible();
  // The preview shows the letter as it will print.
  const preview = page.getByRole('region', { name: 'プレビュー' });
  await expect(preview.getByRole('region', { name: '紹介目的' })).toContainText('高血圧症の精査');

  await page.getByRole('button', { name: '確定' }).click();
  await expect(page.getByTestId('document-status')).toContainText('確定 第1版');
  // Finalised by the doctor: it goes to the share service by itself, and the page follows it there.
  await expect(page.getByTestId('submission-state')).toContainText('送信済', { timeout: 30_000 });
  await preview.getByRole('button', { name: 'FHIR Bundleを表示' }).click();
  const json = page.getByTestId('bundle-json');
  await expect(json).toContainText('JP_Bundle_eReferral');
  await expect(json).toContainText('"code": "57133-1"');

  await page.getByRole('link', { name: '印刷' }).click();
  const letter = page.getByRole('article', { name: '診療情報提供書' });
  await expect(letter).toContainText('東京第一テスト病院');
  await expect(letter).toContainText('医師 医師 デモ');
  await page.screenshot({ path: '../reports/referral-print.png', fullPage: true });
});

test('the patient’s share-service data: every Bundle validated, downloadable', async ({ page }) => {
  await login(page, 'doctor');
  await openDemoChart(page);
  await page.getByRole('link', { name: '共有データ' }).click();
  const bundles = page.getByTestId('sharing-bundle');
  await expect(bundles.first()).toBeVisible();
  await expect(bundles.filter({ hasText: '傷病名' })).toHaveCount(1);
  await expect(bundles.filter({ hasText: 'アレルギー・薬剤禁忌' })).toHaveCount(1);
  // One report per collection day: the demo chart's and three of the demo history's (every other month).
  await expect(bundles.filter({ hasText: '検査・感染症' })).toHaveCount(4);
  await expect(bundles.filter({ hasText: '健康診断結果報告書' }).first()).toBeVisible();
  await expect(page.getByText(/エラー \d+ 件/)).toHaveCount(0);
  await expect(bundles.filter({ hasText: '傷病名' }).getByTestId('submission-state')).toContainText(
    '送信済',
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByTestId('consent')).toHaveText('同意あり');
  const download = page.waitForEvent('download');
  await bundles.first().getByRole('button', { name: 'ダウンロード（JSON）' }).click();
  expect((await download).suggestedFilename()).toMatch(/^1310123458_20\d\d_C-1\.json$/);
  await page.screenshot({ path: '../reports/sharing.png', fullPage: true });
});

test('the facility’s share-service page: counts by state, filters, every demo submission delivered', async ({
  page,
}) => {
  await login(page, 'clerk');
  await page.getByRole('link', { name: '共有送信' }).click();
  await expect(page.getByRole('heading', { name: '電子カルテ情報共有サービス 送信状況' })).toBeVisible();
  await expect(page.getByTestId('count-pending')).toHaveText('0', { timeout: 30_000 });
  await expect(page.getByTestId('count-sent')).not.toHaveText('0');
  await page.getByLabel('種類').selectOption({ label: '退院時サマリー' });
  const table = page.getByRole('table', { name: '送信一覧' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('送信済');
  await page.screenshot({ path: '../reports/submissions.png', fullPage: true });
});

test('a nurse starts a document for the responsible doctor she chooses (代行入力)', async ({ page }) => {
  await login(page, 'nurse');
  await openDemoChart(page);
  if (await page.getByRole('button', { name: '本日の診療を開始' }).isVisible())
    await page.getByRole('button', { name: '本日の診療を開始' }).click();
  const doctor = page.getByLabel('文書の責任者の医師').first();
  await expect(doctor).toBeVisible();
  await doctor.selectOption({ label: '医師 デモ 医師（代行入力）' });
  await page.getByLabel('文書を作成').first().selectOption({ label: '退院時サマリー' });
  await expect(page.getByRole('heading', { name: '退院時サマリー' })).toBeVisible();
  await expect(page.getByText('確定者 医師 デモ')).toBeVisible();
});
