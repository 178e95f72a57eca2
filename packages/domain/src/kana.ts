/**
 * Search normalisation for names and phone numbers, applied the same way to what is stored and
 * what is typed: NFKC (full/half width folded, half-width kana composed), hiragana → katakana,
 * all white space (incl. the ideographic space) removed.
 */
const HIRAGANA_START = 0x3041;
const HIRAGANA_END = 0x3096;
const KANA_OFFSET = 0x60;

export function hiraganaToKatakana(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += code >= HIRAGANA_START && code <= HIRAGANA_END ? String.fromCodePoint(code + KANA_OFFSET) : ch;
  }
  return out;
}

export function normalizeForSearch(text: string): string {
  return hiraganaToKatakana(text.normalize('NFKC')).replace(/\s+/gu, '').toUpperCase();
}

/** Phone numbers compare as digits only: 03-1234-5678, ０３（１２３４）５６７８ and 0312345678 are one. */
export function normalizePhone(text: string): string {
  return text.normalize('NFKC').replace(/[^0-9]/g, '');
}

/** Is the text written only in kana (after normalisation)? Used to choose the kana column. */
export function isKanaOnly(text: string): boolean {
  return /^[\u30A0-\u30FF]+$/u.test(normalizeForSearch(text));
}
