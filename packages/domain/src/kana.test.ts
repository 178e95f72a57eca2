import { describe, expect, it } from 'vitest';
import { hiraganaToKatakana, isKanaOnly, normalizeForSearch, normalizePhone } from './kana';

describe('normalizeForSearch', () => {
  it('folds hiragana, half-width kana and full-width letters to one form', () => {
    expect(normalizeForSearch('やまだ たろう')).toBe('ヤマダタロウ');
    expect(normalizeForSearch('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ');
    expect(normalizeForSearch('ヤマダ　タロウ')).toBe('ヤマダタロウ');
    expect(normalizeForSearch('ＡＢＣ　ｄｅｆ')).toBe('ABCDEF');
    expect(normalizeForSearch('山田　太郎')).toBe('山田太郎');
  });
  it('keeps the long vowel mark and small kana', () => {
    expect(normalizeForSearch('きょーこ')).toBe('キョーコ');
    expect(hiraganaToKatakana('ゔぁ')).toBe('ヴァ');
  });
  it('detects kana-only text', () => {
    expect(isKanaOnly('やま')).toBe(true);
    expect(isKanaOnly('ﾔﾏ')).toBe(true);
    expect(isKanaOnly('山')).toBe(false);
  });
});

describe('normalizePhone', () => {
  it('keeps digits only, from any width', () => {
    expect(normalizePhone('０３（１２３４）５６７８')).toBe('0312345678');
    expect(normalizePhone('090-1234-5678')).toBe('09012345678');
  });
});
