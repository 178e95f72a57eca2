import { billConfirmInput, limitCategoryLabel } from '@karte/domain';

// Pure checks of the 会計 screen's small forms (no React), so the window refuses what the server would.

/**
 * 理由 (削除・初診/再診の変更・訂正): the contract's own rule for the reason (one line, ≤ 200 characters), so the
 * message beside the field is the one the server would give at 確定. Returns the trimmed reason or the message.
 */
export function checkReason(typed: string): { ok: true; reason: string } | { ok: false; message: string } {
  if (typed.trim() === '') return { ok: false, message: '理由を入力してください' };
  const parsed = billConfirmInput.shape.reason.safeParse(typed);
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues[0]?.message ?? '理由が正しくありません' };
  return { ok: true, reason: parsed.data };
}

/** A rejected request's message: the server's field messages (Japanese) when it sent any, else its message. */
export function serverMessage(message: string, fieldErrors: Record<string, string> | undefined): string {
  const details = [...new Set(Object.values(fieldErrors ?? {}).filter((m) => typeof m === 'string' && m))];
  return details.length > 0 ? details.join('／') : message;
}

/** 限度額適用区分 as the window says it: 「区分ウ」 for A03 (a name already, e.g. ウ, stays as it is). */
export function kubunLabel(kubun: string): string {
  if (!kubun) return '';
  const label = limitCategoryLabel(kubun) || kubun;
  return `区分${label}`;
}

/** Largest amount a 入金 field takes (the contract's bound). */
export const MAX_YEN = 99_999_999;

/**
 * 入金額 as typed: the one message for it (empty when fine). Too large first (a huge number is not a
 * "not an integer" case), then negative, then whole yen; above what is owed (請求額 + 未収) is refused too.
 */
export function amountMessage(amount: number, owedYen: number): string {
  if (Number.isNaN(amount)) return '入金額を入力してください';
  if (!Number.isFinite(amount) || Math.abs(amount) > MAX_YEN) return '金額が大きすぎます';
  if (amount < 0) return '0円以上にしてください';
  if (!Number.isInteger(amount)) return '円は整数です';
  if (amount > owedYen)
    return `入金額が請求額と未収の合計（${owedYen.toLocaleString('ja-JP')}円）を超えています`;
  return '';
}

/** お預かり as typed (undefined: none given): too large or non-finite, not whole yen, or less than the amount. */
export function tenderedMessage(tendered: number | undefined, amount: number): string {
  if (tendered === undefined) return '';
  if (Number.isNaN(tendered)) return 'お預かりは数字で入力してください';
  if (!Number.isFinite(tendered) || tendered > MAX_YEN) return '金額が大きすぎます';
  if (tendered < 0) return '0円以上にしてください';
  if (!Number.isInteger(tendered)) return '円は整数です';
  if (Number.isFinite(amount) && tendered < amount) return 'お預かりが入金額より少ないです（不足）';
  return '';
}

/** 手術 (50) and 麻酔 (54) are rarely billed at a clinic window by mistake-free search: ask first. */
export function needsConfirmation(section: string): '手術' | '麻酔' | null {
  const two = /^[0-9]{2}/.exec(section)?.[0];
  return two === '50' ? '手術' : two === '54' ? '麻酔' : null;
}

/** 「手術（胆嚢切開結石摘出術 11,800点）を追加します。よろしいですか」 */
export function confirmAddMessage(kind: string, name: string, pointsValue: number): string {
  return `${kind}（${name} ${pointsValue.toLocaleString('ja-JP')}点）を追加します。よろしいですか`;
}

/**
 * The insurance's name without the 負担割合 the coverage label carries (「協会けんぽ 3割（一般（6〜69歳））」→
 * 「協会けんぽ」): the ratio and its one reason are shown from the totals, so the screen never gives two reasons.
 */
export const coverageName = (label: string) => label.replace(/\s*[0-9０-９]+割（.*）$/, '').trim() || label;
