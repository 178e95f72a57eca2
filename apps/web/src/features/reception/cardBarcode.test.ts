import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { describe, expect, it } from 'vitest';
import { barRuns, cardBarcodeText, code128Modules, QUIET_ZONE_MODULES } from './cardBarcode';

/** Draws the symbol as the card does (bars of whole pixels, quiet zones) and decodes it with ZXing. */
function decode(modules: string, pxPerModule = 2, height = 40): string {
  const width = (modules.length + 2 * QUIET_ZONE_MODULES) * pxPerModule;
  const pixels = new Uint8ClampedArray(width * height).fill(255);
  for (const [start, run] of barRuns(modules)) {
    const x0 = (QUIET_ZONE_MODULES + start) * pxPerModule;
    for (let y = 0; y < height; y++) pixels.fill(0, y * width + x0, y * width + x0 + run * pxPerModule);
  }
  const reader = new MultiFormatReader();
  reader.setHints(new Map([[DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]]]));
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, width, height)));
  const result = reader.decode(bitmap);
  expect(result.getBarcodeFormat()).toBe(BarcodeFormat.CODE_128);
  return result.getText();
}

describe('診察券 barcode', () => {
  it('carries the plain 患者番号', () => {
    expect(cardBarcodeText(173)).toBe('173');
    expect(cardBarcodeText(1)).toBe('1');
  });

  it('encodes Code128 that a reader decodes back to the same 患者番号', () => {
    for (const n of [1, 7, 42, 173, 2045, 99999, 1234567, 17999999]) {
      const text = cardBarcodeText(n);
      const modules = code128Modules(text);
      expect(modules).toMatch(/^11[01]+11$/); // starts with a bar (start code), ends with the stop's bar
      expect(decode(modules)).toBe(text);
    }
  });

  it('turns modules into bar runs', () => {
    expect(barRuns('1101110001')).toEqual([
      [0, 2],
      [3, 3],
      [9, 1],
    ]);
  });
});
