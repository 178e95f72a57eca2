import JsBarcode from 'jsbarcode';

/**
 * What a 診察券's barcode carries: the plain 患者番号 ("173"), no prefix or padding, so a barcode reader typing it
 * into 患者検索 followed by Enter (`173⏎`) opens that patient as a typed number does. (A 患者番号 of 8 digits
 * that reads as a date, 18000101 or more, would be taken for a 生年月日: the clinic's numbers stay below that.)
 */
export function cardBarcodeText(patientNumber: number): string {
  return String(patientNumber);
}

/** Quiet zone each side of a Code128 symbol, in modules (ISO/IEC 15417 asks for at least 10). */
export const QUIET_ZONE_MODULES = 10;

/**
 * The Code128 symbol of `text` as its modules, '1' for a bar and '0' for a space (start, data, check digit and
 * stop; JsBarcode picks code set C for digits), without the quiet zones.
 */
export function code128Modules(text: string): string {
  const target: { encodings?: { data: string }[] } = {};
  JsBarcode(target, text, { format: 'CODE128' });
  return (target.encodings ?? []).map((e) => e.data).join('');
}

/** The bars of a symbol as runs: [start module, width in modules] of each bar. */
export function barRuns(modules: string): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < modules.length; i++) {
    if (modules[i] !== '1') continue;
    let j = i;
    while (modules[j + 1] === '1') j++;
    runs.push([i, j - i + 1]);
    i = j;
  }
  return runs;
}
