import { expect, test } from '@playwright/test';
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { PNG } from 'pngjs';
import { login } from './helpers';

test.use({ viewport: { width: 1366, height: 900 } });

/** Decodes a Code128 symbol in a PNG (a screenshot) with ZXing, as a barcode reader would read the card. */
function decodeCode128(png: Buffer): string {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const [r, g, b] = [image.data[i * 4] ?? 0, image.data[i * 4 + 1] ?? 0, image.data[i * 4 + 2] ?? 0];
    luminance[i] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  const reader = new MultiFormatReader();
  reader.setHints(new Map([[DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]]]));
  const source = new RGBLuminanceSource(luminance, image.width, image.height);
  const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)));
  expect(result.getBarcodeFormat()).toBe(BarcodeFormat.CODE_128);
  return result.getText();
}

test('a 診察券 is printed with the 患者番号 as a barcode, and scanning it into 患者検索 opens the patient', async ({
  page,
}) => {
  // The browser's print dialog is not part of the test: count the calls instead.
  await page.addInitScript(() => {
    const w = window as unknown as { __printed: number };
    w.__printed = 0;
    window.print = () => {
      w.__printed += 1;
    };
  });
  await login(page, 'clerk');
  // A demo patient whose number is preceded, while a reader types it, by others (1, 17): 173.
  const search = page.getByLabel(/カナ・漢字/);
  await search.fill('173');
  await search.press('Enter');
  const header = page.getByTestId('patient-header');
  await expect(header).toContainText('患者番号 173');
  const patientUrl = page.url();

  await page.getByRole('link', { name: '診察券を印刷' }).click();
  await expect(page).toHaveURL(/\/patients\/[0-9a-f-]+\/card$/);
  const card = page.getByRole('article', { name: '診察券' });
  await expect(card).toContainText('カルテ内科クリニック（デモ）');
  // The clinic's phone as クリニック設定 has it (admin-essentials.spec changes the demo's earlier in a full run).
  await expect(card).toContainText(/TEL 0\d{1,4}-\d{1,4}-\d{4}/);
  await expect(card).toContainText('患者番号 173');
  // Credit-card size on screen too: 85.6 × 54 mm at 96 dpi.
  const box = await card.boundingBox();
  expect(Math.round(box?.width ?? 0)).toBe(Math.round((85.6 / 25.4) * 96));
  expect(Math.round(box?.height ?? 0)).toBe(Math.round((54 / 25.4) * 96));
  await page.screenshot({ path: '../reports/card.png' });
  // Printed: one card-size sheet (85.6 × 54 mm = 242.6 × 153.1 pt), nothing else.
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const sheets = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
  expect(sheets).toHaveLength(1);
  expect(Math.round(Number(sheets[0]?.[1]))).toBe(243);
  expect(Math.round(Number(sheets[0]?.[2]))).toBe(153);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: '../reports/card-print.png' });
  await page.emulateMedia({ media: 'screen' });

  // 印刷 records the issue; printing again is a 再発行.
  await page.getByRole('button', { name: '印刷', exact: true }).click();
  await expect(page.getByText('発行を記録しました')).toBeVisible();
  await expect(page.getByText('これまでに 1 回発行')).toBeVisible();
  await page.getByRole('button', { name: '再発行して印刷' }).click();
  await expect(page.getByText('再発行（2 回目）を記録しました')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(2);

  // The barcode as rendered, read by a decoder — not the page's text.
  const shot = await page.getByTestId('card-barcode').screenshot();
  const scanned = decodeCode128(shot);
  expect(scanned).toBe('173');

  // A reader "types" the code and Enter as fast as it can into 患者検索.
  await page.keyboard.press('Alt+k');
  await expect(search).toBeFocused();
  await page.keyboard.type(scanned);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(patientUrl);
  await expect(header).toContainText('患者番号 173');
});
