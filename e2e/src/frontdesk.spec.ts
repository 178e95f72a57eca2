import { expect, type Page, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

/** The search box of 患者検索 (the home screen). */
const searchBox = (page: Page) => page.getByLabel(/カナ・漢字/);
const header = (page: Page) => page.getByTestId('patient-header');

test('a 患者番号 scanned right after a kana search opens that patient, never one of the old results', async ({
  page,
}) => {
  await login(page, 'clerk');
  await searchBox(page).fill('たなか');
  await expect(page.getByRole('table', { name: '検索結果' })).toContainText('田中');
  await searchBox(page).fill('');
  // A 診察券 barcode reader: three digits and Enter with no pause.
  await page.keyboard.type('173');
  await page.keyboard.press('Enter');
  await expect(header(page)).toContainText(/患者番号\s*173(?!\d)/);
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]{36}$/);

  // A number nobody has opens nobody, even while the previous results are still on screen.
  await page.keyboard.press('Alt+k');
  await searchBox(page).fill('たなか');
  await expect(page.getByRole('table', { name: '検索結果' })).toContainText('田中');
  await searchBox(page).fill('');
  await page.keyboard.type('99999999');
  await page.keyboard.press('Enter');
  await expect(page.getByText('該当する患者はいません')).toBeVisible();
  await expect(header(page)).toHaveCount(0);
  await expect(page).not.toHaveURL(/\/patients\//);
});

test('on a fresh page, 173 and Enter opens patient 173', async ({ page }) => {
  await login(page, 'clerk');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type('173');
  await page.keyboard.press('Enter');
  await expect(header(page)).toContainText(/患者番号\s*173(?!\d)/);
});

test('Enter 150 ms after typing やまだ opens a ヤマダ, not the 田中 still listed from before', async ({
  page,
}) => {
  await login(page, 'clerk');
  await searchBox(page).fill('たなか');
  await expect(page.getByRole('table', { name: '検索結果' })).toContainText('田中');
  await searchBox(page).fill('やまだ');
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await expect(header(page)).toContainText('ヤマダ');
  await expect(header(page)).not.toContainText('タナカ');
});

test('a new patient has no 性別 until one is chosen: tabbing past it saves nothing', async ({ page }) => {
  await login(page, 'clerk');
  await page.goto('/patients/new');
  await expect(page.getByLabel('性別')).toHaveValue('');
  await page.getByLabel('姓（漢字）').fill(uniqueKanji());
  await page.getByLabel('名（漢字）').fill('未選択');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ミセンタク');
  await page.getByLabel('性別').focus();
  await page.keyboard.press('Tab');
  await page.getByLabel('生年月日').fill('1970-01-01');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.locator('#sex-error')).toHaveText('性別を選択してください');
  await expect(page).toHaveURL(/\/patients\/new$/);
  await page.getByLabel('性別').selectOption('male');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(header(page)).toContainText('未選択');
  await expect(header(page)).toContainText('男');
});

/** Registers a new patient and checks them in; returns the 受付番号 and the patient's URL. */
async function checkInNewPatient(page: Page) {
  const family = uniqueKanji();
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('受付');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ウケツケ');
  await page.getByLabel('性別').selectOption('female');
  await page.getByLabel('生年月日').fill('1985-05-05');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(header(page)).toContainText(family);
  const patientUrl = new URL(page.url()).pathname;
  await page.getByLabel('来院目的').fill('再診');
  await page.getByRole('button', { name: '受付する' }).click();
  const number = (await page.getByTestId('reception-number').textContent()) ?? '';
  return { number, patientUrl };
}

test('the board asks before 取消 (keyboard 3), shows 受付時刻 and 待ち時間, and a doctor’s Enter opens the chart', async ({
  page,
  browser,
}) => {
  await login(page, 'clerk');
  const { number, patientUrl } = await checkInNewPatient(page);
  await page.goto('/reception/board');
  const row = page.getByTestId(`visit-${number}`);
  await expect(row.getByTestId('visit-state')).toHaveText('受付済');
  await expect(row.getByTestId('checked-in-at')).toHaveText(/^\d{1,2}:\d{2}$/);
  await expect(row.getByTestId('waiting-time')).toHaveText(/^\d+分$/);

  // 3 = 取消 for a clerk on a 受付済 visit: nothing happens until it is confirmed.
  await row.click();
  await page.keyboard.press('3');
  const dialog = page.getByRole('dialog', { name: /取消/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(number);
  await page.waitForTimeout(700);
  await expect(row.getByTestId('visit-state')).toHaveText('受付済');
  // Escape keeps the visit as it was.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('visit-state')).toHaveText('受付済');
  // The safe choice has the focus: Enter right after the key does not cancel either.
  await page.keyboard.press('3');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('visit-state')).toHaveText('受付済');

  // The doctor's Enter opens the chart; the clerk's still opens the patient page.
  const doctor = await asUser(browser, 'doctor');
  await doctor.goto('/reception/board');
  await doctor.getByTestId(`visit-${number}`).click();
  await doctor.keyboard.press('Enter');
  await expect(doctor).toHaveURL(new RegExp(`${patientUrl}/chart$`));
  await row.click();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${patientUrl}$`));

  // Confirmed with the keyboard (Tab to 取消する, Enter), the visit is cancelled.
  await page.goto('/reception/board');
  await page.getByTestId(`visit-${number}`).click();
  await page.keyboard.press('3');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: '取消する' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`visit-${number}`).getByTestId('visit-state')).toHaveText('取消');
});

test('待ち時間 counts on by itself while the patient waits', async ({ page }) => {
  await page.clock.install();
  await login(page, 'clerk');
  const { number } = await checkInNewPatient(page);
  await page.goto('/reception/board');
  const wait = page.getByTestId(`visit-${number}`).getByTestId('waiting-time');
  await expect(wait).toHaveText(/^[01]分$/);
  // Nothing changes on the board; the minutes still move.
  await page.clock.fastForward('12:00');
  await expect(wait).toHaveText(/^1[23]分$/);
});

test('資格取得日 and 有効期限 accept 和暦 like 生年月日 and are kept as dates', async ({ page }) => {
  await login(page, 'clerk');
  await page.goto('/patients/new');
  const family = uniqueKanji();
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('和暦');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ワレキ');
  await page.getByLabel('性別').selectOption('male');
  await page.getByLabel('生年月日').fill('S45.1.1');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(header(page)).toContainText(family);

  await page.getByRole('button', { name: '保険を登録' }).click();
  await page.getByLabel('保険者番号').fill('01130012');
  await page.getByRole('textbox', { name: '番号', exact: true }).fill('12');
  await page.getByLabel('資格取得日').fill('R2.4.1');
  await page.getByLabel('有効期限').fill('20291231');
  await page.getByRole('button', { name: '保険を保存' }).click();
  const coverage = page.getByTestId('coverage');
  await expect(coverage).toContainText('令和2年4月1日');
  await expect(coverage).toContainText('令和11年12月31日');

  await page.getByRole('button', { name: '公費を追加' }).click();
  await page.getByLabel('公費負担者番号').fill('54016027');
  await page.getByLabel('受給者番号').fill('1234566');
  await page.getByLabel('有効開始日').fill('R6.4.1');
  await page.getByLabel('有効期限', { exact: true }).fill('Ｒ８．３．３１');
  await page.getByRole('button', { name: '公費を保存' }).click();
  await expect(page.getByText('〜令和8年3月31日')).toBeVisible();
});

test('a new 診療情報提供書 shows a field’s error only once it was touched or 確定 was tried', async ({
  page,
}) => {
  await login(page, 'doctor');
  await page.locator('#patient-search').fill('1');
  await page.getByRole('table', { name: '検索結果' }).getByRole('row').nth(1).click();
  await expect(header(page)).toContainText('患者番号');
  await page.goto(`${page.url()}/chart`);
  if (await page.getByRole('button', { name: '本日の診療を開始' }).isVisible())
    await page.getByRole('button', { name: '本日の診療を開始' }).click();
  await page.getByLabel('文書を作成').first().selectOption({ label: '診療情報提供書' });
  await expect(page.getByRole('heading', { name: '診療情報提供書' })).toBeVisible();
  const form = page.getByRole('region', { name: '入力' });
  await expect(form.getByRole('textbox', { name: '紹介目的' })).toBeVisible();
  // Nothing red on a fresh form.
  await expect(form.locator('[aria-invalid="true"]')).toHaveCount(0);
  await expect(form.getByRole('alert')).toHaveCount(0);

  // A touched field shows its own error, and only its own.
  await form.getByRole('textbox', { name: '紹介先医療機関コード（10桁）' }).fill('131123456');
  await expect(form.getByRole('alert').filter({ hasText: '医療機関コードは10桁の数字です' })).toBeVisible();
  await expect(form.locator('#doc-purpose-error')).toHaveCount(0);

  // Trying to 確定 shows every field that still needs something.
  await form.getByRole('button', { name: '確定' }).click();
  await expect(form.locator('#doc-purpose-error')).toBeVisible();
  await expect(form.locator('#doc-presentIllness-error')).toBeVisible();
  await expect(page.getByTestId('document-status')).toContainText('未確定');
});
