import { type Browser, expect, type Page } from '@playwright/test';

export async function login(page: Page, username: string, password = 'karte-demo') {
  await page.goto('/');
  await page.getByLabel('ログインID').fill(username);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** A name nobody else in the run has: tests can run again against the same database. */
export function uniqueKana(): string {
  const kana = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
  let n = Date.now() % 1_000_000_000;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += kana[n % kana.length];
    n = Math.floor(n / kana.length);
  }
  return out;
}

/** Katakana → hiragana (what a clerk might type). */
export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** A kanji family name nobody else in the run has (duplicate checks match on kanji too). */
export function uniqueKanji(): string {
  const kanji = '一二三四五六七八九十百千万山川森林田畑石岩松竹梅桜菊藤';
  let n = (Date.now() * 7 + Math.floor(Math.random() * 1000)) % 1_000_000_000;
  let out = '';
  for (let i = 0; i < 4; i++) {
    out += kanji[n % kanji.length];
    n = Math.floor(n / kanji.length);
  }
  return out;
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByText('標準型電子カルテ ログイン')).toBeVisible();
}

/** A second person at another terminal: a fresh browser context, signed in. */
export async function asUser(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, username);
  return page;
}
