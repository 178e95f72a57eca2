import { expect, type Page, test } from '@playwright/test';
import { login } from './helpers';

/** The tops of the main menu's entries and of the header's own parts: one line means one top. */
async function menuLines(page: Page) {
  const bar = page.getByRole('banner');
  const items = bar.locator('nav a, nav button, [data-testid="current-user"], button');
  const tops = new Set<number>();
  for (const box of await items.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return Math.round(r.top + r.height / 2);
    }),
  ))
    tops.add(box);
  const height = (await bar.boundingBox())?.height ?? 0;
  return { centres: [...tops], height };
}

for (const width of [1366, 1440]) {
  for (const role of ['doctor', 'clerk', 'admin', 'nurse']) {
    test(`the top menu is one line at ${width} px for the ${role}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await login(page, role);
      await page.goto('/reception/board');
      await expect(page.getByRole('heading', { name: /受付一覧/ })).toBeVisible();
      const { centres, height } = await menuLines(page);
      // Every entry shares one vertical centre (within a few px) and the bar is one row high.
      expect(Math.max(...centres) - Math.min(...centres)).toBeLessThanOrEqual(4);
      expect(height).toBeLessThan(64);
      await page.screenshot({ path: `../reports/layout-${role}-${width}.png` });
    });
  }
}

test('the patient header with allergies stays in sight while prescribing, and wide screens are used', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, 'doctor');
  await page.locator('#patient-search').fill('1');
  await page.getByRole('table', { name: '検索結果' }).getByRole('row').nth(1).click();
  await expect(page.getByTestId('patient-header')).toContainText('患者番号');
  await page.goto(`${page.url()}/chart`);
  await expect(page.getByRole('heading', { name: 'カルテ（2号用紙）' })).toBeVisible();
  const header = page.getByTestId('patient-header');
  await expect(header.getByTestId('header-alerts')).toContainText('ロキソニン');
  // Prescribing: the editor below today's notes makes the page long.
  if (await page.getByRole('button', { name: '本日の診療を開始' }).isVisible())
    await page.getByRole('button', { name: '本日の診療を開始' }).click();
  await page.getByRole('button', { name: '処方を追加' }).click();
  await expect(page.getByTestId('rp-1')).toBeVisible();
  const scrollable = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  expect(scrollable).toBeGreaterThan(300);
  await page.getByTestId('rp-1').getByLabel('薬剤を検索').focus();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(header).toBeInViewport({ ratio: 1 });
  await expect(header.getByTestId('header-alerts')).toBeInViewport();
  expect((await header.boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: '../reports/layout-chart-scrolled-1366.png' });

  // On a 1920 px screen the content is not held to ~1080 px.
  await page.setViewportSize({ width: 1920, height: 1000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const main = await page.locator('main').boundingBox();
  expect(main?.width ?? 0).toBeGreaterThan(1400);
  await page.screenshot({ path: '../reports/layout-chart-1920.png' });
});
