import { expect, test } from '@playwright/test';
import { login } from './helpers';

test('patient search terms and ids never travel in URLs: the SPA sends queries by POST', async ({ page }) => {
  const urls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/trpc/')) urls.push(`${r.method()} ${decodeURIComponent(r.url())}`);
  });
  await login(page, 'clerk');
  await page.keyboard.press('Alt+k');
  await page.getByLabel(/カナ・漢字/).fill('ヤマダ');
  await expect(page.getByRole('table', { name: '検索結果' })).toContainText('山田');
  // Nor in the page's own address (a reload would send it to the server and its access log).
  expect(decodeURIComponent(page.url())).not.toContain('ヤマダ');
  await page.getByLabel(/カナ・漢字/).press('Enter');
  await expect(page.getByTestId('patient-header')).toContainText('山田');
  const searches = urls.filter((u) => u.includes('reception.searchPatients'));
  expect(searches.length).toBeGreaterThan(0);
  // Not the term, not any input: only procedure names in the URL.
  expect(urls.filter((u) => u.includes('ヤマダ') || u.includes('input='))).toEqual([]);
  expect(searches.every((u) => u.startsWith('POST '))).toBe(true);
  // Back returns to the same results (the text is kept in the history entry, not the URL).
  await page.goBack();
  await expect(page.getByLabel(/カナ・漢字/)).toHaveValue('ヤマダ');
});
