import { expect, test } from '@playwright/test';
import { login, toHiragana, uniqueKana, uniqueKanji } from './helpers';

test('the clerk registers a new patient and finds them again by kana', async ({ page }) => {
  const kana = uniqueKana();
  const family = uniqueKanji();
  await login(page, 'clerk');
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('heading', { name: '新患登録' })).toBeVisible();

  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('花子');
  // Hiragana is accepted and stored as katakana.
  await page.getByLabel('セイ（カナ）').fill(toHiragana(kana));
  await page.getByLabel('メイ（カナ）').fill('はなこ');
  await page.getByLabel('性別').selectOption('female');
  await page.getByLabel('生年月日').fill('S50.4.1');
  await page.getByLabel('郵便番号').fill('1000001');
  await page.getByLabel('電話番号').fill('03-0000-1234');
  await page.getByLabel('住所').fill('東京都千代田区デモ町1-1');
  await page.getByRole('button', { name: '登録する' }).click();

  const header = page.getByTestId('patient-header');
  await expect(header).toContainText(`${family} 花子`);
  await expect(header).toContainText(`${kana} ハナコ`);
  await expect(page.getByTestId('patient-birth')).toHaveText(/^昭和50年4月1日 \(\d+歳\)$/);
  await expect(page.getByText('100-0001')).toBeVisible();

  // Search by half-width kana prefix, open with the keyboard.
  await page.keyboard.press('Alt+k');
  const halfWidth = toHalfWidth(kana);
  await page.getByLabel(/カナ・漢字/).fill(halfWidth.slice(0, 3));
  await expect(page.getByRole('table', { name: '検索結果' })).toContainText(`${family} 花子`);
  await page.getByLabel(/カナ・漢字/).press('Enter');
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 花子`);
});

test('bad input is explained beside each field and nothing is saved', async ({ page }) => {
  await login(page, 'clerk');
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill('不正');
  await page.getByLabel('セイ（カナ）').fill('漢字です');
  await page.getByLabel('生年月日').fill('2025-02-30');
  await page.getByLabel('電話番号').fill('12345');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByText('名（漢字）を入力してください')).toBeVisible();
  await expect(page.getByText('セイ（カナ）はカタカナ（またはひらがな）で入力してください')).toBeVisible();
  await expect(page.getByText('存在しない日付です')).toBeVisible();
  await expect(page.getByText(/電話番号は0から始まる/)).toBeVisible();
  await expect(page).toHaveURL(/\/patients\/new$/);
});

test('a likely duplicate is shown before registering', async ({ page }) => {
  const kana = uniqueKana();
  const family = uniqueKanji();
  await login(page, 'clerk');
  for (let i = 0; i < 2; i++) {
    await page.goto('/patients/new');
    await page.getByLabel('姓（漢字）').fill(family);
    await page.getByLabel('名（漢字）').fill('太郎');
    await page.getByLabel('セイ（カナ）').fill(kana);
    await page.getByLabel('メイ（カナ）').fill('タロウ');
    await page.getByLabel('性別').selectOption('male');
    await page.getByLabel('生年月日').fill('1960-06-15');
    await page.getByRole('button', { name: '登録する' }).click();
    if (i === 0) await expect(page.getByTestId('patient-header')).toBeVisible();
  }
  await expect(page.getByText('同じ氏名・生年月日の患者が既に登録されています')).toBeVisible();
  await page.getByRole('button', { name: '別の患者として登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 太郎`);
});

test('an edit from a stale screen is a conflict, not an overwrite', async ({ page, context }) => {
  await login(page, 'clerk');
  await page.getByLabel(/カナ・漢字/).fill('ヤ');
  await page.getByRole('table', { name: '検索結果' }).locator('tbody tr').first().click();
  const url = page.url();
  await page.getByRole('link', { name: '編集' }).click();
  const other = await context.newPage();
  await other.goto(`${url}/edit`);
  await other.getByLabel('住所').fill('別端末で変更');
  await other.getByRole('button', { name: '保存する' }).click();
  await expect(other.getByTestId('patient-header')).toBeVisible();
  await expect(other.getByText('別端末で変更')).toBeVisible();

  await page.getByLabel('住所').fill('古い画面から変更');
  await page.getByRole('button', { name: '保存する' }).click();
  await expect(page.getByText(/他の端末でこの患者情報が更新されました/)).toBeVisible();
  await page.getByRole('button', { name: '最新の内容を読み込む' }).click();
  await expect(page.getByLabel('住所')).toHaveValue('別端末で変更');
});

function toHalfWidth(katakana: string): string {
  const map: Record<string, string> = {
    ア: 'ｱ',
    イ: 'ｲ',
    ウ: 'ｳ',
    エ: 'ｴ',
    オ: 'ｵ',
    カ: 'ｶ',
    キ: 'ｷ',
    ク: 'ｸ',
    ケ: 'ｹ',
    コ: 'ｺ',
    サ: 'ｻ',
    シ: 'ｼ',
    ス: 'ｽ',
    セ: 'ｾ',
    ソ: 'ｿ',
    タ: 'ﾀ',
    チ: 'ﾁ',
    ツ: 'ﾂ',
    テ: 'ﾃ',
    ト: 'ﾄ',
    ナ: 'ﾅ',
    ニ: 'ﾆ',
    ヌ: 'ﾇ',
    ネ: 'ﾈ',
    ノ: 'ﾉ',
    ハ: 'ﾊ',
    ヒ: 'ﾋ',
    フ: 'ﾌ',
    ヘ: 'ﾍ',
    ホ: 'ﾎ',
    マ: 'ﾏ',
    ミ: 'ﾐ',
    ム: 'ﾑ',
    メ: 'ﾒ',
    モ: 'ﾓ',
    ヤ: 'ﾔ',
    ユ: 'ﾕ',
    ヨ: 'ﾖ',
    ラ: 'ﾗ',
    リ: 'ﾘ',
    ル: 'ﾙ',
    レ: 'ﾚ',
    ロ: 'ﾛ',
    ワ: 'ﾜ',
  };
  return [...katakana].map((c) => map[c] ?? c).join('');
}
