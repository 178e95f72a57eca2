import { describe, expect, it } from 'vitest';
import {
  amountMessage,
  checkReason,
  confirmAddMessage,
  coverageName,
  kubunLabel,
  needsConfirmation,
  serverMessage,
  tenderedMessage,
} from './checks';

describe('checkReason', () => {
  it('takes one line and trims it', () => {
    expect(checkReason('  患者希望  ')).toEqual({ ok: true, reason: '患者希望' });
  });
  it('refuses empty, tab, newline and control characters with the contract message', () => {
    expect(checkReason('   ')).toEqual({ ok: false, message: '理由を入力してください' });
    for (const bad of ['患者\t希望', '患者\n希望', '患者\u0007希望']) {
      expect(checkReason(bad)).toEqual({
        ok: false,
        message: '使用できない文字（改行・タブ・制御文字）が含まれています',
      });
    }
  });
  it('refuses more than 200 characters', () => {
    const r = checkReason('あ'.repeat(201));
    expect(r.ok).toBe(false);
  });
});

describe('serverMessage', () => {
  it('prefers the field messages the server sent', () => {
    expect(
      serverMessage('入力内容に誤りがあります', {
        reason: '使用できない文字（改行・タブ・制御文字）が含まれています',
      }),
    ).toBe('使用できない文字（改行・タブ・制御文字）が含まれています');
    expect(serverMessage('入力内容に誤りがあります', {})).toBe('入力内容に誤りがあります');
  });
});

describe('kubunLabel', () => {
  it('names the 限度額区分 instead of its code', () => {
    expect(kubunLabel('A03')).toBe('区分ウ');
    expect(kubunLabel('ウ')).toBe('区分ウ');
    expect(kubunLabel('')).toBe('');
  });
});

describe('amountMessage', () => {
  it('says too large for a huge amount, not "integer"', () => {
    expect(amountMessage(Number('99999999999999999999'), 5000)).toBe('金額が大きすぎます');
    expect(amountMessage(Number.POSITIVE_INFINITY, 5000)).toBe('金額が大きすぎます');
  });
  it('says only 0円以上 for a negative amount', () => {
    expect(amountMessage(-100, 5000)).toBe('0円以上にしてください');
  });
  it('refuses more than 請求額 + 未収', () => {
    expect(amountMessage(5001, 5000)).toMatch(/超えています/);
    expect(amountMessage(5000, 5000)).toBe('');
    expect(amountMessage(0, 5000)).toBe('');
  });
});

describe('tenderedMessage', () => {
  it('refuses non-finite, huge and short お預かり beside the field', () => {
    expect(tenderedMessage(Number.POSITIVE_INFINITY, 1000)).toBe('金額が大きすぎます');
    expect(tenderedMessage(1e21, 1000)).toBe('金額が大きすぎます');
    expect(tenderedMessage(500, 1000)).toMatch(/不足/);
    expect(tenderedMessage(2000, 1000)).toBe('');
    expect(tenderedMessage(undefined, 1000)).toBe('');
  });
});

describe('adding 手術 / 麻酔', () => {
  it('asks for sections 50 and 54 only', () => {
    expect(needsConfirmation('50')).toBe('手術');
    expect(needsConfirmation('540')).toBe('麻酔');
    expect(needsConfirmation('60')).toBeNull();
    expect(confirmAddMessage('手術', '胆嚢切開結石摘出術', 11800)).toBe(
      '手術（胆嚢切開結石摘出術 11,800点）を追加します。よろしいですか',
    );
  });
});

describe('coverageName', () => {
  it('drops the ratio and its reason from the coverage label (one reason, from the totals)', () => {
    expect(coverageName('協会けんぽ 3割（一般（6〜69歳））')).toBe('協会けんぽ');
    expect(coverageName('国民健康保険')).toBe('国民健康保険');
  });
});
