import { expect, type Page, test } from '@playwright/test';
import { asUser, login, uniqueKana, uniqueKanji } from './helpers';

/** A tRPC call from a signed-in page (its cookie), as the SPA makes it. */
async function call(page: Page, path: string, input: unknown) {
  const res = await page.request.post(`/trpc/${path}`, {
    headers: { 'x-karte-csrf': '1', 'content-type': 'application/json' },
    data: { json: input },
  });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
  return (await res.json()).result.data.json;
}

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());

async function newPatient(page: Page) {
  const family = uniqueKanji();
  const kana = uniqueKana();
  const r = await call(page, 'reception.registerPatient', {
    familyName: family,
    givenName: '予約',
    familyNameKana: kana,
    givenNameKana: 'ヨヤク',
    sex: 'female',
    birthDate: '1968-05-05',
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  return { id: r.patient.id as string, family, kana, name: `${family} 予約` };
}

test('予約: calendar booking → 受付 from today’s list → the board → 次回予約 4週 from the chart → 予約票', async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'clerk');
  const patient = await newPatient(page);
  const date = today();

  // The calendar: the menu's 「予約」, the day view, a slot chosen with the keys, Enter books.
  await page.getByRole('link', { name: '予約', exact: true }).click();
  await expect(page.getByRole('heading', { name: '予約' })).toBeVisible();
  await page.getByRole('button', { name: '日', exact: true }).click();
  await page.getByRole('button', { name: '今日' }).click();
  const open = page.locator(`[data-slot^="${date} "] button[aria-label$="に予約"]`);
  // Today may be a closed day (Sunday, 祝日): then the booking goes to the next open day, and today's list is
  // the demo's own appointments (the step after books today through the API).
  const todayOpen = (await open.count()) > 0;
  if (!todayOpen) await page.getByRole('button', { name: '次へ' }).click();
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('active-slot')).toBeVisible();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /予約の登録/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('searchbox', { name: /^患者/ }).fill(patient.kana);
  await expect(dialog.getByRole('list', { name: '患者の候補' })).toContainText(patient.family);
  await dialog.getByRole('searchbox', { name: /^患者/ }).press('Enter');
  await expect(dialog.getByTestId('booking-patient')).toContainText(patient.family);
  await page.keyboard.press('Enter'); // 予約する has the focus once the patient is chosen
  await expect(page.getByText('予約しました。')).toBeVisible();
  await expect(page.getByRole('table', { name: '予約表' })).toContainText(patient.family);
  await page.screenshot({ path: '../test-results/appointments-calendar-1366.png' });
  await page.getByRole('button', { name: '週', exact: true }).click();
  await page.screenshot({ path: '../test-results/appointments-calendar-week-1366.png', fullPage: false });
  if (!todayOpen) {
    // Today closed: the clinic books today anyway (a call the day before); the API allows any time today.
    const { appointments } = await call(page, 'appointments.calendar', { from: date, days: 1 });
    expect(Array.isArray(appointments)).toBe(true);
  }

  // Reception: 受付 from today's list in one step; the visit appears on the board.
  await page.getByRole('link', { name: '受付一覧' }).click();
  const panel = page.getByTestId('todays-appointments');
  if (todayOpen) {
    await panel.getByRole('button', { name: `${patient.name} を受付` }).click();
    await expect(panel.getByTestId('appointment-row').filter({ hasText: patient.family })).toContainText(
      '受付済',
    );
    await expect(page.getByRole('table', { name: '受付一覧' })).toContainText(patient.family);
    await page.screenshot({ path: '../test-results/appointments-board-1366.png' });
  } else {
    const first = panel.getByRole('button', { name: /を受付$/ }).first();
    await first.click();
    await expect(panel.getByText('受付済').first()).toBeVisible();
    await call(page, 'reception.checkIn', {
      patientId: patient.id,
      purpose: '再診',
      department: '内科',
      memo: '',
    });
  }

  // The doctor: the chart, today's encounter, 次回予約 4週 → the slip.
  const doctor = await asUser(browser, 'doctor');
  await doctor.setViewportSize({ width: 1366, height: 900 });
  await doctor.goto(`/patients/${patient.id}/chart`);
  await doctor.getByRole('button', { name: '本日の診療を開始' }).click();
  await doctor.getByRole('button', { name: '次回予約' }).click();
  const next = doctor.getByRole('dialog', { name: '次回予約' });
  // Four weeks on, same weekday (or, when that day is closed — 年末年始, 祝日 — the next open day).
  const fourWeeks = next.getByRole('button', { name: /^4週後/ });
  await expect(fourWeeks).toContainText(/\d{1,2}\/\d{1,2}（[日月火水木金土]） \d\d:\d\d$/);
  await fourWeeks.click();
  await expect(next.getByText(/に予約しました/)).toBeVisible();
  await next.getByRole('link', { name: '予約票を印刷' }).click();
  const slip = doctor.getByTestId('appointment-slip');
  await expect(slip).toBeVisible();
  await expect(slip.getByTestId('slip-patient')).toHaveText(patient.name);
  await expect(slip.getByTestId('slip-date')).toHaveText(/^令和\d+年\d+月\d+日（[日月火水木金土]）$/);
  await expect(slip.getByTestId('slip-clinic')).toHaveText('カルテ内科クリニック（デモ）');
  await expect(slip).toContainText('医師 デモ');
  await doctor.screenshot({ path: '../test-results/appointments-slip-1366.png' });
});

test('予約: a double booking of the doctor shows the Japanese error naming the other time', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 900 });
  await login(page, 'clerk');
  const first = await newPatient(page);
  const second = await newPatient(page);
  // An open day after the demo's four booked weeks, and the doctor, from the calendar itself.
  const later = new Date(Date.now() + 9 * 3_600_000 + 35 * 86_400_000).toISOString().slice(0, 10);
  const cal = await call(page, 'appointments.calendar', { from: later, days: 7 });
  const day = cal.days.find((d: { closed: string | null; slots: string[] }) => !d.closed && d.slots.length);
  const doctorId = cal.doctors[0].id as string;
  const time = day.slots[day.slots.length - 1] as string;
  await call(page, 'appointments.book', {
    patientId: first.id,
    doctorId,
    department: '内科',
    date: day.date,
    startTime: time,
    durationMinutes: 15,
    purpose: '再診',
    memo: '',
  });

  await page.getByRole('link', { name: '予約', exact: true }).click();
  await page.getByRole('button', { name: '日', exact: true }).click();
  await page.getByLabel('日付').fill(day.date);
  await page
    .locator(`[data-slot="${day.date} ${time}"]`)
    .getByRole('button', { name: /に予約$/ })
    .click();
  const dialog = page.getByRole('dialog', { name: /予約の登録/ });
  await dialog.getByRole('searchbox', { name: /^患者/ }).fill(second.kana);
  await expect(dialog.getByRole('list', { name: '患者の候補' })).toContainText(second.family);
  await dialog.getByRole('searchbox', { name: /^患者/ }).press('Enter');
  await dialog.getByLabel('担当医').selectOption(doctorId);
  await dialog.getByRole('button', { name: '予約する' }).click();
  await expect(dialog.getByText(`${day.date} ${time}〜`)).toContainText('二重予約はできません');
  await expect(dialog.getByText(/医師には .* に別の予約があります/)).toBeVisible();
});
