import { expect, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

test.use({ viewport: { width: 1366, height: 900 } });

test('a clerk fills the 問診 at 受付, a nurse enters vitals from the board, the doctor finds them in O, S and the trend', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // 受付 (clerk): register, check in, then the 問診 for today's visit on the same panel.
  await login(page, 'clerk');
  const family = uniqueKanji();
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('測定');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('ソクテイ');
  await page.getByLabel('性別').selectOption('male');
  await page.getByLabel('生年月日').fill('1970-04-04');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(family);
  const patientUrl = page.url();
  await page.getByLabel('来院目的').fill('発熱');
  await page.getByRole('button', { name: '受付する' }).click();
  const receptionNumber = (await page.getByTestId('reception-number').textContent()) ?? '';
  const panel = page.getByTestId('checkin-vitals');
  await panel.getByRole('button', { name: '問診' }).click();
  const intake = page.getByTestId('intake-form');
  await intake.getByRole('button', { name: '問診を保存' }).click();
  await expect(intake.getByText('主訴を入力してください')).toBeVisible();
  await intake.getByLabel('主訴').fill('咳と発熱');
  await intake.getByLabel('症状の経過').fill('3日前から');
  await intake.getByLabel('服薬（現在飲んでいる薬）').fill('なし');
  await intake.getByRole('radio', { name: 'あり', exact: true }).check();
  await intake.getByRole('button', { name: '問診を保存' }).click();
  await expect(intake.getByText('アレルギーの内容を入力してください')).toBeVisible();
  await intake.getByLabel('アレルギーの内容').fill('ペニシリン');
  await intake.getByRole('button', { name: '問診を保存' }).click();
  await expect(page.getByTestId('intake-form')).toContainText('第1版 保存済み');

  // The nurse, from the 受付一覧 row: バイタル opens a dialog; a typo is a field error, not a failure.
  const nurse = await asUser(browser, 'nurse');
  await nurse.setViewportSize({ width: 1366, height: 900 });
  await nurse.goto('/reception/board');
  const row = nurse.getByTestId(`visit-${receptionNumber}`);
  await row.getByRole('button', { name: 'バイタル' }).click();
  const dialog = nurse.getByTestId('vitals-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('体温（℃）')).toBeFocused();
  await nurse.keyboard.type('368');
  await dialog.getByLabel('収縮期血圧（mmHg）').fill('128');
  await dialog.getByLabel('拡張期血圧（mmHg）').fill('76');
  await dialog.getByLabel('脈拍（/分）').fill('72');
  await dialog.getByLabel('SpO2（%）').fill('98');
  await dialog.getByLabel('身長（cm）').fill('170');
  await dialog.getByLabel('体重（kg）').fill('65');
  await dialog.getByRole('button', { name: 'バイタルを記録' }).click();
  await expect(dialog.getByText('体温は30〜45℃の範囲で入力してください')).toBeVisible();
  await nurse.screenshot({ path: '../reports/vitals-dialog-error.png' });
  await dialog.getByLabel('体温（℃）').fill('36.8');
  await dialog.getByRole('button', { name: 'バイタルを記録' }).click();
  await expect(dialog.getByTestId('today-vitals')).toContainText(
    'T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
  );
  await nurse.screenshot({ path: '../reports/vitals-dialog.png' });
  // The 問診 the clerk saved is in the dialog's other tab.
  await dialog.getByRole('tab', { name: '問診' }).click();
  await expect(dialog.getByLabel('主訴')).toHaveValue('咳と発熱');
  await nurse.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The doctor opens the chart: the note starts with the 問診 in S and today's vitals in O.
  const doctor = await asUser(browser, 'doctor');
  await doctor.setViewportSize({ width: 1366, height: 900 });
  await doctor.goto(`${patientUrl}/chart`);
  await doctor.getByRole('button', { name: '本日の診療を開始' }).click();
  await expect(doctor.getByLabel('S 主訴')).toHaveValue(
    '主訴: 咳と発熱\n経過: 3日前から\n服薬: なし\nアレルギー: あり（ペニシリン）',
  );
  await expect(doctor.getByLabel('O 所見')).toHaveValue(
    'T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
  );
  const vitalsPanel = doctor.getByTestId('vitals-panel');
  await expect(vitalsPanel.getByTestId('today-vitals')).toContainText('BMI 22.5');
  await expect(vitalsPanel.getByRole('img', { name: '収縮期血圧の推移' })).toBeVisible();
  await doctor.getByLabel('A 評価').fill('急性上気道炎');
  await expect(doctor.getByText(/下書き保存済み/)).toBeVisible();

  // A later measurement (fever rising) does not overwrite the draft: the editor offers it.
  await row.getByRole('button', { name: 'バイタル' }).click();
  await nurse.getByTestId('vitals-dialog').getByLabel('体温（℃）').fill('39.5');
  await nurse.getByTestId('vitals-dialog').getByRole('button', { name: 'バイタルを記録' }).click();
  await expect(nurse.getByTestId('vitals-dialog').getByTestId('vitals-flags')).toContainText('体温↑');
  await doctor.reload();
  await expect(doctor.getByLabel('A 評価')).toHaveValue('急性上気道炎');
  await expect(doctor.getByLabel('O 所見')).toHaveValue(
    'T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
  );
  await expect(doctor.getByRole('button', { name: '問診を取り込む' })).toHaveCount(0);
  await doctor.getByRole('button', { name: 'バイタルを取り込む' }).click();
  await expect(doctor.getByLabel('O 所見')).toHaveValue(
    'T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5\nT 39.5℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
  );
  await expect(doctor.getByTestId('soap-import')).toHaveCount(0);
  await expect(vitalsPanel.getByTestId('vitals-flags')).toContainText('体温↑');
  await vitalsPanel.getByLabel('推移の項目').selectOption('temperature');
  await expect(vitalsPanel.getByRole('img', { name: '体温の推移' })).toBeVisible();
  await doctor.screenshot({ path: '../reports/vitals-chart.png', fullPage: true });
  await doctor.getByRole('button', { name: '確定' }).click();
  await expect(doctor.getByTestId('entry')).toContainText('T 39.5℃');
});

test('the demo patient checked in with a 問診 shows months of trend in the chart', async ({ page }) => {
  await login(page, 'nurse');
  await page.goto('/reception/board');
  const row = page.getByRole('row').filter({ hasText: '問診・バイタル入力済み' });
  await row.getByRole('link', { name: 'カルテ' }).click();
  const panel = page.getByTestId('vitals-panel');
  await expect(panel.getByTestId('today-vitals')).toContainText('T 38.4℃');
  await expect(panel.getByRole('table', { name: 'バイタルの記録' }).getByRole('row')).toHaveCount(8);
  await expect(panel.getByRole('img', { name: '収縮期血圧の推移' })).toBeVisible();
  await page.screenshot({ path: '../reports/vitals-demo-trend.png' });
});
