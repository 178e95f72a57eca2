import { expect, type Page, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

async function newPatient(page: Page) {
  const family = uniqueKanji();
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('処方');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ショホウ');
  await page.getByLabel('性別').selectOption('female'); // 性別 has no default
  await page.getByLabel('生年月日').fill('1955-06-06');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(family);
  const header = await page.getByTestId('patient-header').textContent();
  return { url: page.url(), family, number: /患者番号\s*(\d+)/.exec(header ?? '')?.[1] ?? '' };
}

async function addDrug(page: Page, rp: number, query: string, product: string, generic = false) {
  await page.getByTestId(`rp-${rp}`).getByLabel('薬剤を検索').fill(query);
  const row = page
    .getByRole('list', { name: '薬剤の候補' })
    .locator('li')
    .filter({ hasText: product })
    .first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: generic ? '一般名で' : product }).click();
}

test('a doctor prescribes, gets a duplicate warning, overrides it with a reason and prints the prescription', async ({
  page,
}) => {
  await login(page, 'doctor');
  const patient = await newPatient(page);
  await page.goto(`${patient.url}/chart`);
  await page.getByRole('button', { name: '本日の診療を開始' }).click();

  // First prescription: ロキソニン錠 (kana typed in hiragana), 1日3回 7日分.
  await page.getByRole('button', { name: '処方を追加' }).click();
  await addDrug(page, 1, 'ろきそにん', 'ロキソニン錠６０ｍｇ');
  const rp1 = page.getByTestId('rp-1');
  await expect(rp1).toContainText('ロキソニン錠６０ｍｇ');
  await rp1.getByLabel('RP1 の用法').selectOption('1013044400000000');
  // Bad input first: 400 days is refused beside the field, nothing is saved.
  await rp1.getByLabel('RP1 の日数').fill('400');
  await page.getByRole('button', { name: '処方を確定' }).click();
  await expect(rp1.getByText('日数は365日以内です')).toBeVisible();
  await rp1.getByLabel('RP1 の日数').fill('7');
  await page.getByRole('button', { name: '処方を確定' }).click();
  await expect(page.getByTestId('prescription').first()).toContainText('1回1錠（1日3錠）');

  // Second prescription: the same ingredient by 一般名 → 重複投与, shown before 確定.
  await page.getByRole('button', { name: '処方を追加' }).click();
  await addDrug(page, 1, 'ロキソニン錠', 'ロキソニン錠６０ｍｇ', true);
  await page.getByTestId('rp-1').getByLabel('RP1 の用法').selectOption('1013044400000000');
  const finding = page.getByTestId('finding');
  await expect(finding).toContainText('重複投与');
  await expect(finding).toContainText('服用中');
  await page.getByRole('button', { name: '処方を確定' }).click();
  await expect(page.getByText('チェック結果を確認し、処方を続ける理由を入力してください')).toBeVisible();
  await finding.getByLabel('重複投与を承知で処方する理由').fill('前回分を中止し一般名で再処方');
  await page.getByRole('button', { name: '処方を確定' }).click();
  const overridden = page.getByTestId('entry').filter({ hasText: '前回分を中止し一般名で再処方' });
  await expect(overridden).toContainText('【般】ロキソプロフェン');

  // The 処方箋 (A5).
  await overridden.getByRole('link', { name: '処方箋を印刷' }).click();
  const sheet = page.getByRole('article', { name: '処方箋' });
  await expect(sheet).toContainText(patient.family);
  await expect(sheet).toContainText('【般】ロキソプロフェン');
  await expect(sheet).toContainText('１日３回朝昼夕食後　服用 7日分');
  await expect(sheet).toContainText('1310123458');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: '印刷（A5）' })).toBeHidden();
  await page.screenshot({ path: '../reports/prescription-sheet.png', fullPage: true });
});

test('かろなーる + Enter takes the tablet; the 処方箋 shows 変更不可, リフィル, 残薬 and 負担割合 and no 公費 not chosen', async ({
  page,
}) => {
  await login(page, 'doctor');
  const patient = await newPatient(page);
  await page.goto(`${patient.url}/chart`);
  await page.getByRole('button', { name: '本日の診療を開始' }).click();
  await page.getByRole('button', { name: '処方を追加' }).click();
  const rp1 = page.getByTestId('rp-1');
  const search = rp1.getByLabel('薬剤を検索');
  const candidates = page.getByRole('list', { name: '薬剤の候補' }).locator('li');
  await search.fill('アムロ');
  await expect(candidates.first()).toContainText('アムロジピン');
  // Enter at once, while the list still shows アムロ's rows (the answer for かろなーる is held back 600 ms):
  // it takes the first row for かろなーる when that arrives, never a row of the earlier query.
  await page.route(/searchDrugs/, async (route) => {
    const req = route.request();
    if (decodeURIComponent(`${req.url()} ${req.postData() ?? ''}`).includes('かろなーる'))
      await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  await search.fill('かろなーる');
  await search.press('Enter');
  await expect(rp1).toContainText('カロナール錠２００');
  await expect(rp1).not.toContainText('坐剤');
  await rp1.getByLabel('RP1 の用法').selectOption('1013044400000000');
  await rp1.getByLabel('カロナール錠２００ 変更不可（医療上必要）').check();
  await page.getByLabel('リフィル').selectOption('2');
  await page.getByLabel('保険医療機関へ情報提供').check();
  await page.getByRole('button', { name: '処方を確定' }).click();
  const entry = page.getByTestId('entry').filter({ hasText: 'カロナール錠２００' }).first();
  await entry.getByRole('link', { name: '処方箋を印刷' }).click();
  const sheet = page.getByRole('article', { name: '処方箋' });
  await expect(sheet).toContainText('カロナール錠２００');
  await expect(sheet.getByTestId('rx-no-change').first()).toHaveText('レ');
  await expect(sheet.getByTestId('rx-refill')).toContainText('☑（2回）');
  await expect(sheet.getByTestId('rx-residual')).toContainText('☑保険医療機関へ情報提供');
  // Born 1955-06-06, no coverage registered: 負担割合 by age on the prescription date (70–74: 2割).
  await expect(sheet.getByTestId('rx-burden')).toContainText('2割');
  await page.screenshot({ path: '/tmp/rx-sheet-2.png', fullPage: true });
});

test('a clerk checks a lab file, a nurse imports it and the doctor sees the trend', async ({
  page,
  browser,
}) => {
  await login(page, 'clerk');
  const patient = await newPatient(page);
  const csv = [
    '患者番号,採取日,項目コード,結果値,単位,基準値',
    `${patient.number},2026-09-01,3A015000002327101,3.5,g/dL,3.8-5.2`,
    `${patient.number},2026-10-01,3A015000002327101,３．９,g/dL,3.8-5.2`,
    `${patient.number},2026-11-01,3A015000002327101,4.3,g/dL,3.8-5.2`,
  ].join('\r\n');
  const file = { name: 'labs.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) };
  // The clerk sees the preview; filing it (infection status may change) is for doctors and nurses.
  await page.getByRole('link', { name: '検査取込' }).click();
  await page.getByLabel('検査結果ファイル').setInputFiles(file);
  await expect(page.getByRole('table', { name: '取込プレビュー' }).locator('tbody tr')).toHaveCount(3);
  await expect(page.getByText('取り込みは医師・看護師が行います', { exact: false })).toBeVisible();
  await expect(page.getByRole('button', { name: /件を取り込む/ })).toBeHidden();

  const nurse = await asUser(browser, 'nurse');
  await nurse.getByRole('link', { name: '検査取込' }).click();
  await nurse.getByLabel('検査結果ファイル').setInputFiles(file);
  const preview = nurse.getByRole('table', { name: '取込プレビュー' });
  await expect(preview.locator('tbody tr')).toHaveCount(3);
  await expect(preview).toContainText('アルブミン');
  await nurse.getByRole('button', { name: '3件を取り込む' }).click();
  await expect(nurse.getByText('3件（1人分）を取り込みました。')).toBeVisible();
  // The same file again is detected and adds nothing.
  await nurse.getByLabel('検査結果ファイル').setInputFiles({ ...file, name: 'labs-again.csv' });
  await expect(nurse.getByText(/取り込み済みです。追加はしません。/)).toBeVisible();
  await expect(nurse.getByRole('button', { name: /件を取り込む/ })).toBeHidden();

  const doctor = await asUser(browser, 'doctor');
  await doctor.goto(`${patient.url}/labs`);
  const table = doctor.getByRole('table', { name: '累積表' });
  await expect(table).toContainText('3.5L');
  await table.getByRole('button', { name: 'アルブミン' }).click();
  const chart = doctor.getByRole('img', { name: 'アルブミンの推移' });
  await expect(chart.locator('circle')).toHaveCount(3);
  await expect(doctor.getByText('3 件')).toBeVisible();
  await doctor.screenshot({ path: '../reports/lab-trend.png', fullPage: true });

  // 修正: the September value was mistyped. Without a reason nothing is filed; with one, the new value takes
  // its place and the old one is shown as what it replaced.
  const september = doctor.getByTestId('lab-result-2026-09-01');
  await september.getByRole('button', { name: '修正' }).click();
  const form = doctor.getByRole('form', { name: '検査結果の修正' });
  await form.getByLabel('結果値').fill('4.0');
  await form.getByRole('button', { name: '修正を登録' }).click();
  await expect(form.getByRole('alert')).toHaveText('修正の理由を入力してください');
  await form.getByLabel('修正の理由').fill('転記誤り');
  await form.getByRole('button', { name: '修正を登録' }).click();
  await expect(form).toBeHidden();
  await expect(september).toContainText('修正済（修正前 3.5 g/dL／理由 転記誤り）');
  await expect(table).toContainText('4.0修');
  await expect(table).not.toContainText('3.5L');
  await expect(chart.locator('circle')).toHaveCount(3);
  await doctor.screenshot({ path: '../reports/lab-correction.png', fullPage: true });
});

test('a lab file of 1.5 MB is read; one over 5 MB is refused with the limit in Japanese, not a bare 413', async ({
  page,
}) => {
  await login(page, 'clerk');
  await page.getByRole('link', { name: '検査取込' }).click();
  const header = '患者番号,採取日,項目コード,結果値,単位,基準値\n';
  const row = '999999,2026-11-20,3A015000002327101,4.2,g/dL,3.8-5.2\n';
  const ofSize = (bytes: number) => Buffer.from(header + row.repeat(Math.floor(bytes / row.length)));
  // 1.5 MB: 2 MB as base64 in JSON, which the old 1 MB body limit refused (413 from ~750 KB).
  await page.getByLabel('検査結果ファイル').setInputFiles({
    name: 'big.csv',
    mimeType: 'text/csv',
    buffer: ofSize(1.5 * 1024 * 1024),
  });
  await expect(page.getByText(/件の誤りがあるため取り込めません/)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('検査結果ファイル').setInputFiles({
    name: 'six.csv',
    mimeType: 'text/csv',
    buffer: ofSize(6 * 1024 * 1024),
  });
  await expect(page.getByText('ファイルが大きすぎます（5MBまで）', { exact: false })).toBeVisible();
  await expect(page.getByText(/件の誤りがあるため取り込めません/)).toBeHidden();
});
