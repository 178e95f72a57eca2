import { describe, expect, it } from 'vitest';
import { changePasswordInput, userCreateInput } from '../contracts/admin';
import { passwordProblem } from './passwordRule';

describe('password strength', () => {
  it('refuses one repeated character, short repeats and plain sequences', () => {
    for (const weak of [
      'aaaaaaaaaa',
      'abcabcabca',
      '1212121212',
      '1234567890',
      '0987654321',
      'abcdefghij',
      'qwertyuiop',
      'ＡＡＡＡＡＡＡＡＡＡ',
    ])
      expect(passwordProblem(weak), weak).not.toBeNull();
  });

  it('refuses passwords of a given common-password list whatever their case', () => {
    const isCommon = (lowered: string) => lowered === 'basketball1' || lowered === 'password123';
    expect(passwordProblem('Basketball1', undefined, isCommon)).toMatch('推測されやすい');
    expect(passwordProblem('ＰＡＳＳＷＯＲＤ123', undefined, isCommon)).toMatch('推測されやすい');
    expect(passwordProblem('Basketball1')).toBeNull();
  });

  it('refuses a password that contains the login ID', () => {
    expect(passwordProblem('doctorb-2026!', 'doctorb')).toBe('ログインIDを含むパスワードは使えません');
    expect(passwordProblem('doctorb-2026!')).toBeNull();
  });

  it('accepts an ordinary long password', () => {
    expect(passwordProblem('sakura-kaze-72')).toBeNull();
    expect(passwordProblem('initial-pass')).toBeNull();
  });

  it('is the rule of the contracts, with the message beside the field', () => {
    const change = changePasswordInput.safeParse({
      currentPassword: 'old-password-1',
      newPassword: 'aaaaaaaaaa',
      confirmPassword: 'aaaaaaaaaa',
    });
    expect(change.success).toBe(false);
    expect(change.error?.issues[0]?.path).toEqual(['newPassword']);
    const create = userCreateInput.safeParse({
      username: 'nakamura',
      displayName: '中村',
      role: 'nurse',
      initialPassword: 'nakamura-2026',
    });
    expect(create.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['initialPassword', 'ログインIDを含むパスワードは使えません'],
    ]);
  });
});
