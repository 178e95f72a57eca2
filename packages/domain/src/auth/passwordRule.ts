export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

// Keyboard rows and the alphabet, in both directions: a run of these is a sequence, not a password.
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** True when the whole text is one short unit repeated (`aaaaaaaaaa`, `abcabcabca`, `1212121212`). */
function repeated(text: string): boolean {
  for (let size = 1; size <= 3; size++) {
    const unit = text.slice(0, size);
    if (unit.repeat(Math.ceil(text.length / size)).slice(0, text.length) === text) return true;
  }
  return false;
}

/** True when the text is a run along the alphabet, the digits or a keyboard row, either way. */
function sequence(text: string): boolean {
  for (const row of SEQUENCES) {
    const both = [row, [...row].reverse().join('')];
    if (both.some((r) => r.includes(text))) return true;
  }
  // Ascending or descending by one code point all the way (`1234567890` wraps at 9→0).
  const codes = [...text].map((c) => c.codePointAt(0) ?? 0);
  const steps = codes.slice(1).map((c, i) => c - (codes[i] ?? 0));
  return steps.every((s) => s === 1 || s === -9) || steps.every((s) => s === -1 || s === 9);
}

/** Whether a (lower-cased, NFKC) password is on a list of common passwords. */
export type CommonPasswordCheck = (lowered: string) => boolean;

/**
 * Why a new password is not acceptable (Japanese, for the field), or null when it is.
 * The same rule runs in the browser (zod) and on the server, so both say the same thing; the
 * common-password list (tens of thousands of entries) is the server's alone (`isCommon`), to keep
 * it out of the SPA, and its finding is reported beside the same field.
 */
export function passwordProblem(
  password: string,
  loginId?: string,
  isCommon?: CommonPasswordCheck,
): string | null {
  if (password.length < PASSWORD_MIN) return `パスワードは${PASSWORD_MIN}文字以上にしてください`;
  if (password.length > PASSWORD_MAX) return 'パスワードが長すぎます';
  const lower = password.normalize('NFKC').toLowerCase();
  if (repeated(lower)) return '同じ文字や短い繰り返しだけのパスワードは使えません';
  if (sequence(lower)) return '連続した文字（1234…、abcd…、qwerty…）だけのパスワードは使えません';
  if (isCommon?.(lower)) return 'よく使われていて推測されやすいパスワードです。別のものにしてください';
  const id = loginId?.trim().toLowerCase();
  if (id && id.length >= 3 && lower.includes(id)) return 'ログインIDを含むパスワードは使えません';
  return null;
}
