import { expect, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

const yenText = (n: number) => `¥${n.toLocaleString('ja-JP')}`;
const number = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

test('a visit goes from check-in through the doctor’s prescription to 会計: pay, 領収証, 明細書, 日計表', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  const family = uniqueKanji();
  await login(page, 'clerk');
  await page.goto('/patients/new');
  await page.getByLabel('姓（漢字）').fill(family);
  await page.getByLabel('名（漢字）').fill('会計');
  await page.getByLabel('セイ（カナ）').fill(uniqueKana());
  await page.getByLabel('メイ（カナ）').fill('カイケイ');
  await page.getByLabel('性別').selectOption('male');
  await page.getByLabel('生年月日').fill('1980-07-07');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByTestId('patient-header')).toContainText(`${family} 会計`);
  const patientUrl = page.url();
  // オンライン資格確認 (simulator: 有効, 3割), then 受付.
  await page.getByRole('button', { name: 'マイナ保険証で確認' }).click();
  await expect(page.getByTestId('eligibility-result')).toContainText('負担割合 3割');
  await page.getByRole('button', { name: '確認結果を反映する' }).click();
  await expect(page.getByTestId('burden')).toHaveText('3割');
  await expect(page.getByTestId('checkin-unpaid')).toHaveCount(0); // a new patient owes nothing
  await page.getByLabel('来院目的').fill('腰痛');
  await page.getByRole('button', { name: '受付する' }).click();
  const reception = await page.getByTestId('reception-number').textContent();
  await page.goto('/reception/board');
  const row = page.getByTestId(`visit-${reception}`);
  await row.getByRole('button', { name: '診察待' }).click();
  await expect(row.getByTestId('visit-state')).toHaveText('診察待');
  await expect(row.getByRole('link', { name: '会計' })).toHaveCount(0); // only from 会計待

  // The doctor sees the patient, prescribes (院外), and sends the visit to 会計.
  const doctor = await asUser(browser, 'doctor');
  await doctor.goto('/reception/board');
  const doctorRow = doctor.getByTestId(`visit-${reception}`);
  await doctorRow.getByRole('button', { name: '診察中' }).click();
  await expect(doctorRow.getByTestId('visit-state')).toHaveText('診察中');
  await expect(doctorRow.getByRole('link', { name: '会計' })).toHaveCount(0); // 会計 is the window's
  await doctor.goto(`${patientUrl}/chart`);
  await doctor.getByRole('button', { name: '本日の診療を開始' }).click();
  await doctor.getByRole('button', { name: '処方を追加' }).click();
  await doctor.getByTestId('rp-1').getByLabel('薬剤を検索').fill('ろきそにん');
  const candidate = doctor
    .getByRole('list', { name: '薬剤の候補' })
    .locator('li')
    .filter({ hasText: 'ロキソニン錠６０ｍｇ' })
    .first();
  await candidate.getByRole('button', { name: 'ロキソニン錠６０ｍｇ' }).click();
  await doctor.getByTestId('rp-1').getByLabel('RP1 の用法').selectOption('1013044400000000');
  await doctor.getByTestId('rp-1').getByLabel('RP1 の日数').fill('7');
  await doctor.getByRole('button', { name: '処方を確定' }).click();
  await expect(doctor.getByTestId('prescription').first()).toContainText('ロキソニン');
  await doctor.goto('/reception/board');
  await doctorRow.getByRole('button', { name: '会計待' }).click();
  await expect(row.getByTestId('visit-state')).toHaveText('会計待', { timeout: 2500 });

  // 会計 from the board: the proposal for a first visit with an 院外 prescription.
  const open = row.getByRole('link', { name: '会計' });
  const billingUrl = (await open.getAttribute('href')) ?? '';
  await open.click();
  // The first 会計 of a fresh database waits for the bundled tariff to load.
  await expect(page.getByTestId('billing-patient')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('billing-patient')).toContainText(`${family} 会計`);
  await expect(page.getByTestId('header-ratio')).toHaveText('負担 3割');
  const lines = page.getByTestId('bill-line');
  await expect(lines.filter({ hasText: '初診料' })).toHaveCount(1);
  await expect(lines.filter({ hasText: '処方箋料' })).toHaveCount(1);
  for (const reason of await lines.locator('td:nth-child(5)').allTextContents())
    expect(reason.trim()).not.toBe('');
  // 3割 of 総点数 × 10円, 10円未満四捨五入; nothing 自費, so that is the 請求額.
  const points = number(await page.getByTestId('total-points').textContent());
  expect(points).toBeGreaterThan(288);
  const charge = Math.round((points * 3) / 10) * 10;
  await expect(page.getByTestId('patient-yen')).toHaveText(yenText(charge));
  await expect(page.getByTestId('charge-yen')).toHaveText(yenText(charge));

  await page.screenshot({ path: '../reports/billing-screen.png', fullPage: true });

  // 入金: the patient pays part in cash (お預かり → お釣り); the rest stays 未収 and the visit at 会計待.
  await expect(page.getByLabel('入金額（円）')).toHaveValue(String(charge));
  // Messages beside the field: a negative amount has only its own (no 未収 line), a huge one is too large,
  // more than is owed is refused before sending.
  await page.getByLabel('入金額（円）').fill('-100');
  await expect(page.getByTestId('unpaid-after')).toHaveCount(0);
  await page.getByRole('button', { name: '会計済' }).click();
  await expect(page.getByText('0円以上にしてください')).toBeVisible();
  await page.getByLabel('入金額（円）').fill('99999999999999999999');
  await page.getByRole('button', { name: '会計済' }).click();
  await expect(page.getByText('金額が大きすぎます')).toBeVisible();
  await page.getByLabel('入金額（円）').fill(String(charge + 10));
  await page.getByRole('button', { name: '会計済' }).click();
  await expect(page.getByText(/入金額が請求額と未収の合計.*を超えています/)).toBeVisible();
  await expect(page).toHaveURL(/\/billing\//);
  const part = charge - 300;
  await page.getByLabel('入金額（円）').fill(String(part));
  await expect(page.getByTestId('unpaid-after')).toHaveText('¥300 は未収として記録されます');
  await page.getByLabel('お預かり（円）').fill('500');
  await page.getByRole('button', { name: '会計済' }).click();
  await expect(page.getByText('お預かりが入金額より少ないです')).toBeVisible(); // beside the field
  await page.getByLabel('お預かり（円）').fill('10000');
  await expect(page.getByTestId('change')).toHaveText(yenText(10000 - part));
  await page.getByLabel('お預かり（円）').press('Enter');
  await expect(page).toHaveURL(/\/reception\/board$/);
  await expect(row.getByTestId('visit-state')).toHaveText('会計待');
  await expect(row.getByTestId('visit-unpaid')).toHaveText('未収'); // partly paid

  // The 未収 shows where the clerk checks the patient in, with the way back to its 会計.
  await page.goto(patientUrl);
  await expect(page.getByTestId('checkin-unpaid')).toContainText('¥300');

  // Back at 会計: confirmed with 未収; the rest is paid by card, and the visit is 完了.
  await page.getByTestId('checkin-unpaid-bill').click();
  await expect(page.getByTestId('bill-settled')).toContainText('確定・未収あり（第1版）');
  await expect(page.getByTestId('bill-unpaid')).toContainText('¥300');
  await expect(page.getByLabel('入金額（円）')).toHaveValue('300');
  await page.getByLabel('方法').selectOption('card');
  await page.getByRole('button', { name: '入金', exact: true }).click();
  await expect(page.getByTestId('bill-settled')).toContainText('会計済（第1版）');
  await expect(page.getByTestId('bill-payment')).toHaveCount(2);
  await expect(page.getByTestId('bill-unpaid')).toContainText('¥0');
  await expect(page.getByRole('button', { name: '訂正' })).toBeVisible();
  await page.screenshot({ path: '../reports/billing-settled.png', fullPage: true });
  await page.goto('/reception/board');
  await expect(row.getByTestId('visit-state')).toHaveText('完了');
  await expect(row.getByTestId('visit-unpaid')).toHaveCount(0);
  // A 完了 row keeps its 会計 link: to view, reprint or correct.
  await row.getByRole('link', { name: '会計' }).click();
  await expect(page).toHaveURL(new RegExp(`${billingUrl}$`));
  await page.goto(patientUrl);
  await expect(page.getByTestId('patient-header')).toBeVisible();
  await expect(page.getByTestId('checkin-unpaid')).toHaveCount(0);
  await page.goto(billingUrl);

  await page.getByRole('link', { name: '領収証' }).click();
  const receipt = page.getByRole('article', { name: '領収証' });
  await expect(receipt).toContainText(`${family} 会計 様`);
  await expect(receipt.getByTestId('receipt-ratio')).toHaveText('3割');
  await expect(receipt.getByTestId('receipt-points')).toHaveText(`${points}点`);
  await expect(receipt.getByTestId('receipt-patient-yen')).toHaveText(yenText(charge));
  await expect(receipt.getByTestId('receipt-paid')).toHaveText(yenText(charge));
  expect(number(await receipt.getByTestId('section-初・再診料').textContent())).toBeGreaterThanOrEqual(288);
  await expect(receipt).toContainText('領収印');
  await expect(receipt.getByTestId('reissue')).toHaveCount(0);
  // Opening it again is still a preview: nothing was issued, so no 再発行.
  await page.reload();
  await expect(receipt).toContainText(`${family} 会計 様`);
  await expect(receipt.getByTestId('reissue')).toHaveCount(0);
  // 印刷 issues the first copy (not a 再発行) and opens the print dialog (counted here, not shown).
  await page.evaluate(() => {
    const w = window as unknown as { printed: number };
    w.printed = 0;
    window.print = () => {
      w.printed += 1;
    };
  });
  await page.getByRole('button', { name: /印刷/ }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await expect(receipt.getByTestId('reissue')).toHaveCount(0);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: /印刷/ })).toBeHidden();
  await page.screenshot({ path: '../reports/billing-receipt.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  await page.getByRole('button', { name: '戻る' }).click();
  await page.getByRole('link', { name: '診療明細書' }).click();
  const statement = page.getByRole('article', { name: '診療明細書' });
  await expect(statement).toContainText('明細書は無料で発行しています');
  await page.screenshot({ path: '../reports/billing-statement.png', fullPage: true });
  await expect(statement.getByTestId('statement-line').filter({ hasText: '初診料' })).toHaveCount(1);
  await expect(statement.getByTestId('statement-line').filter({ hasText: '処方箋料' })).toHaveCount(1);
  await expect(statement.getByTestId('statement-points')).toHaveText(String(points));

  // After that issue, the 領収証 is a 再発行, and says so.
  await page.getByRole('button', { name: '戻る' }).click();
  await page.getByRole('link', { name: '領収証' }).click();
  await expect(page.getByRole('article', { name: '領収証' }).getByTestId('reissue')).toHaveText('再発行');

  // 日計表: today's report has the visit and the cash.
  await page.goto('/reception/board');
  await page.getByRole('link', { name: '日計表' }).click();
  const report = page.getByRole('article', { name: '日計表' });
  await expect(page.getByTestId('daily-date-wareki')).toContainText(/^令和\d+年\d+月\d+日/);
  const reportRow = report.getByTestId('daily-row').filter({ hasText: `${family} 会計` });
  await expect(reportRow).toContainText(yenText(charge));
  await expect(reportRow.locator('td').nth(4)).toHaveText(yenText(charge)); // 入金
  await expect(reportRow.locator('td').nth(5)).toHaveText('¥0'); // 未収
  expect(number(await report.getByTestId('daily-method-cash').textContent())).toBeGreaterThanOrEqual(part);
  expect(number(await report.getByTestId('daily-method-card').textContent())).toBeGreaterThanOrEqual(300);
  expect(number(await report.getByTestId('daily-paid').textContent())).toBeGreaterThanOrEqual(charge);
  await page.screenshot({ path: '../reports/billing-daily.png', fullPage: true });

  // 訂正: a reason first; removing the proposed 処方箋料 asks why; the refund is shown and recorded.
  await page.goto(billingUrl);
  await page.getByRole('button', { name: '訂正' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '訂正を始める' }).click();
  await expect(page.getByRole('dialog').getByText('理由を入力してください')).toBeVisible();
  // A tab in the reason is refused in the dialog with the contract's message, not later at 確定.
  await page.getByLabel('訂正の理由').fill('処方箋料の\t入力誤り');
  await page.getByLabel('訂正の理由').press('Enter');
  await expect(
    page.getByRole('dialog').getByText('使用できない文字（改行・タブ・制御文字）が含まれています'),
  ).toBeVisible();
  await page.getByLabel('訂正の理由').fill('処方箋料の入力誤り');
  await page.getByLabel('訂正の理由').press('Enter');
  // 初診 → 再診 asks why; back to the proposal needs no reason.
  await page.getByLabel('診察料').selectOption('revisit');
  await page.getByLabel('変更の理由').fill('前医からの継続');
  await page.getByLabel('変更の理由').press('Enter');
  await expect(page.getByTestId('visit-kind-reason')).toHaveText('変更の理由: 前医からの継続');
  await page.getByLabel('診察料').selectOption('first');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('visit-kind-reason')).toContainText('提案の理由');
  // A line from the master by keyboard (code, Enter); a line added by hand goes without a reason.
  await page.getByLabel('行を追加（カナ・コードで検索）').fill('112011010');
  await page.getByLabel('行を追加（カナ・コードで検索）').press('Enter');
  const added = page.getByTestId('bill-line').filter({ hasText: '112011010' });
  await expect(added).toHaveCount(1);
  await added.getByRole('button', { name: /削除/ }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(added).toHaveCount(0);
  // 手術 from the search asks first; declining adds nothing.
  const asked = page.waitForEvent('dialog');
  await page.getByLabel('行を追加（カナ・コードで検索）').fill('150172210');
  await page.getByLabel('行を追加（カナ・コードで検索）').press('Enter');
  const question = await asked;
  expect(question.message()).toBe('手術（胆嚢切開結石摘出術 11,800点）を追加します。よろしいですか');
  await question.dismiss();
  await expect(page.getByTestId('bill-line').filter({ hasText: '150172210' })).toHaveCount(0);
  const rxLine = page.getByTestId('bill-line').filter({ hasText: '処方箋料' });
  await rxLine.getByRole('button', { name: /削除/ }).click();
  await page.getByLabel('削除の理由').fill('処方箋は交付していない');
  await page.getByRole('dialog').getByRole('button', { name: '削除する' }).click();
  await expect(page.getByTestId('removed-lines')).toContainText('処方箋は交付していない');
  // Recomputed by the server once the clerk pauses.
  const corrected = points - 60;
  await expect(page.getByTestId('total-points')).toHaveText(`${corrected.toLocaleString('ja-JP')}点`);
  const newCharge = Math.round((corrected * 3) / 10) * 10;
  await expect(page.getByTestId('charge-yen')).toHaveText(yenText(newCharge));
  await expect(page.getByTestId('correction-difference')).toContainText(
    `${yenText(charge - newCharge)} を返金`,
  );
  await page.screenshot({ path: '../reports/billing-correction.png', fullPage: true });
  // The unsaved correction survives a reload (leaving asks first) with its reasons, and can be discarded.
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByTestId('removed-lines')).toContainText('処方箋は交付していない');
  await expect(page.getByTestId('total-points')).toHaveText(`${corrected.toLocaleString('ja-JP')}点`);
  // 回数: 2回 is one line with count 2; back to 1 before 確定.
  const rp = page.getByTestId('bill-line').filter({ hasText: '初診料' }).getByTestId('line-count');
  await rp.fill('2');
  await expect(page.getByTestId('total-points')).not.toHaveText(`${corrected.toLocaleString('ja-JP')}点`);
  await rp.fill('1');
  await expect(page.getByTestId('total-points')).toHaveText(`${corrected.toLocaleString('ja-JP')}点`);
  await expect(page.getByLabel('返金額（円）')).toHaveValue(String(charge - newCharge));
  await page.getByRole('button', { name: '訂正を確定（返金）' }).click();
  await expect(page.getByTestId('bill-settled')).toContainText('会計済（第2版）');
  await expect(page.getByTestId('bill-version')).toHaveCount(2);
  await expect(page.getByTestId('bill-version').last()).toContainText('処方箋料の入力誤り');
  await expect(page.getByTestId('bill-payment').last()).toContainText(`返金 ${yenText(charge - newCharge)}`);
  // 確定 forgets the tab's copy: nothing is restored afterwards.
  await page.reload();
  await expect(page.getByTestId('bill-settled')).toContainText('会計済（第2版）');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  // The 訂正's 領収証 is its own first copy (not a 再発行 of version 1) and shows the refund.
  await page.getByRole('link', { name: '領収証' }).click();
  const receipt2 = page.getByRole('article', { name: '領収証' });
  await expect(receipt2.getByRole('heading')).toContainText('領収証（訂正）');
  await expect(receipt2.getByTestId('reissue')).toHaveCount(0);
  await expect(receipt2.getByTestId('print-correction')).toContainText(
    `第2版）：第1版の請求 ${yenText(charge)} から返金 ${yenText(charge - newCharge)}`,
  );
  // The 日計表 shows the refund apart from the 入金.
  await page.goto('/billing/daily');
  expect(number(await page.getByTestId('daily-refund').textContent())).toBeGreaterThanOrEqual(
    charge - newCharge,
  );
});

test('the admin keeps the 会計設定: a bad 公費負担者番号 is refused beside the field, a 自費 item is saved', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'admin');
  await page.getByRole('link', { name: '会計設定' }).click();
  await expect(page.getByRole('heading', { name: /会計設定/ })).toBeVisible();
  await expect(page.getByTestId('hours-1')).toBeVisible();

  await page.getByRole('button', { name: '公費を追加' }).click();
  const scheme = page.getByTestId('local-scheme').last();
  await scheme.getByLabel('公費負担者番号').fill('8813');
  await scheme.getByLabel('名称').fill('子ども医療費助成');
  await scheme.getByLabel('助成').selectOption('perVisit');
  await scheme.getByLabel('患者負担（円）').fill('200');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(scheme.getByText('公費負担者番号は8桁の数字です')).toBeVisible();
  await scheme.getByLabel('公費負担者番号').fill('88130000');

  const id = `e2e-${Date.now() % 100000}`;
  await page.getByRole('button', { name: '品目を追加' }).click();
  const item = page.getByTestId('self-pay-item').last();
  await item.getByLabel('ID').fill(id.toUpperCase());
  await expect(item.getByLabel('ID')).toHaveValue(id); // lower-cased as typed
  await item.getByLabel('名称').fill('診断書（e2e）');
  await item.getByLabel('価格（円）').fill('１００００００００００');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(item.getByText('金額が大きすぎます')).toBeVisible(); // beside the field
  await item.getByLabel('価格（円）').fill('３３００'); // full-width digits are taken
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('保存しました。')).toBeVisible();
  await page.screenshot({ path: '../reports/billing-settings.png', fullPage: true });

  await page.reload();
  await expect(page.getByRole('heading', { name: /会計設定/ })).toBeVisible();
  await expect(page.getByTestId('self-pay-item').last().getByLabel('ID')).toHaveValue(id);
  await expect(page.getByTestId('self-pay-item').last().getByLabel('価格（円）')).toHaveValue('3300');
  await expect(page.getByTestId('local-scheme').last().getByLabel('公費負担者番号')).toHaveValue('88130000');
});
