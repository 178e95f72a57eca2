/**
 * Luhn check digit, as used by 保険者番号, 公費負担者番号 and the 10-digit 医療機関コード
 * (厚労省 保険者番号設定要領; see shared/domain/NOTES.md §3.1, §3.5).
 */
export function luhnCheckDigit(body: string): number {
  if (!/^[0-9]+$/.test(body)) throw new Error(`digits only: ${body}`);
  let sum = 0;
  // From the rightmost digit of the body: ×2, ×1, ×2, …; two-digit products add their digits.
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    const product = i % 2 === 0 ? digit * 2 : digit;
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidLuhn(number: string): boolean {
  if (!/^[0-9]{2,}$/.test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

export type InstitutionCodeProblem = 'format' | 'prefecture' | 'tensuhyo' | 'checkDigit';

/**
 * 医療機関コード (10 digits): 都道府県(2) + 点数表(1) + 郡市区(2) + 医療機関番号(4) + 検証番号(1).
 * Karte is a 医科 EHR, so the 点数表 must be 1.
 */
export function checkInstitutionCode(code: string): InstitutionCodeProblem | null {
  if (!/^[0-9]{10}$/.test(code)) return 'format';
  const prefecture = Number(code.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) return 'prefecture';
  if (code[2] !== '1') return 'tensuhyo';
  return hasValidLuhn(code) ? null : 'checkDigit';
}

export const institutionCodeMessages: Record<InstitutionCodeProblem, string> = {
  format: '医療機関コードは10桁の数字で入力してください',
  prefecture: '医療機関コードの都道府県番号（先頭2桁）は01〜47です',
  tensuhyo: '医療機関コードの点数表番号（3桁目）は医科の「1」です',
  checkDigit: '医療機関コードの検証番号（末尾）が一致しません',
};
