import { BillingInputError, type Tariff } from '../types';
import type { WorkLine } from './work';

/** 特定器材: 材料価格 × 数量 ÷ 10, 四捨五入 (NOTES §2.1). Only 金額種別 1 (金額) is priced here. */
export function materialLine(
  tariff: Tariff,
  input: { material: string; amount: number },
  date: string,
  section: string,
): WorkLine {
  const m = tariff.material(input.material, date);
  if (!m) {
    throw new BillingInputError(
      `特定器材 ${input.material} は ${date} に有効なマスターにありません（未知のコード、未収載または廃止） / material ${input.material} not valid on ${date}`,
    );
  }
  if (m.priceKind !== 1) {
    throw new BillingInputError(
      `特定器材 ${m.code}（${m.name}）は金額種別 ${m.priceKind} で自動計算に未対応です / material price kind not supported`,
    );
  }
  if (!(input.amount > 0)) {
    throw new BillingInputError(
      `特定器材 ${m.code}（${m.name}）の数量が不正です: ${input.amount} / bad amount`,
    );
  }
  const cents = Math.round(m.priceYen * 100 * input.amount);
  const points = Math.round(cents / 1000);
  return {
    code: m.code,
    name: m.name,
    points,
    count: 1,
    section,
    status: 'billed',
    reason: `特定器材（${m.priceYen}円 × ${input.amount}${m.unit} = ${cents / 100}円 → 10で除し四捨五入 ${points}点）`,
  };
}
