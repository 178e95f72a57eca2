import { describe, expect, it } from 'vitest';
import { offlinePassphraseInput } from './offline';

const issues = (passphrase: string, confirm = passphrase) =>
  offlinePassphraseInput
    .safeParse({ passphrase, confirm })
    .error?.issues.map((i) => [i.path.join('.'), i.message]) ?? [];

describe('offline passphrase', () => {
  it('accepts a long, varied passphrase typed twice', () => {
    expect(issues('停電でも読める-カルテ-2026')).toEqual([]);
  });
  it('says in Japanese, beside the field, what is wrong', () => {
    expect(issues('short-one')).toEqual([['passphrase', 'パスフレーズは12文字以上にしてください']]);
    expect(issues('aaaaaaaaaaaaaaaa')[0]?.[1]).toMatch(/パスフレーズ/);
    expect(issues('1234567890123')[0]?.[1]).toMatch(/連続した文字/);
    expect(issues('停電でも読める-カルテ-2026', '停電でも読める-カルテ-2025')).toEqual([
      ['confirm', '確認用パスフレーズが一致しません'],
    ]);
  });
});
