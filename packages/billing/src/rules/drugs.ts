import { BillingInputError, type DrugItem, type Tariff } from '../types';
import type { WorkLine } from './work';

// 薬剤料 (F200 / G100, NOTES §2.1): per 剤 and unit (内服 1日分, 頓服 1回分, 外用 1調剤分) the yen sum gives
// 15円以下 → 1点, else ceil((円 − 15) / 10) + 1 点. Worked in 1/100 yen: prices have two decimals, and
// 10.10 × 3 is not exactly 30.3 in floating point.

export function drugFeePoints(cents: number): number {
  if (cents <= 1500) return 1;
  return Math.ceil((cents - 1500) / 1000) + 1;
}

export interface DrugInput {
  drug: string;
  amount: number;
  days?: number;
  rp?: number;
}

const EXTERNAL = 6; // 剤形 外用
const INJECTION = 4; // 剤形 注射

function resolveDrug(tariff: Tariff, code: string, date: string): DrugItem {
  const d = /^\d{9}$/.test(code) ? tariff.drug(code, date) : tariff.drugByYj(code, date);
  if (!d) {
    throw new BillingInputError(
      `医薬品 ${code} は ${date} に有効なマスターにありません（未知のコード、未収載または経過措置切れ） / drug ${code} not valid on ${date}`,
    );
  }
  return d;
}

const yen = (cents: number) => (cents / 100).toFixed(2).replace(/\.?0+$/, '');

/**
 * Lines for a visit's drugs: one 剤 per (rp, 内服/外用/注射); the first drug of a 剤 carries the 剤's points
 * (per unit × days), the others are listed at 0 with the 剤 named. A drug without rp is its own 剤.
 */
export function drugLines(
  tariff: Tariff,
  inputs: { input: DrugInput; order: number }[],
  date: string,
): WorkLine[] {
  const groups = new Map<string, { drug: DrugItem; input: DrugInput; order: number }[]>();
  for (const { input, order } of inputs) {
    if (!(input.amount > 0)) {
      throw new BillingInputError(`医薬品 ${input.drug} の数量が不正です: ${input.amount} / bad amount`);
    }
    const drug = resolveDrug(tariff, input.drug, date);
    const kind = drug.form === EXTERNAL ? 'ext' : drug.form === INJECTION ? 'inj' : 'int';
    const key = input.rp === undefined ? `solo:${order}` : `${input.rp}:${kind}`;
    const list = groups.get(key) ?? [];
    list.push({ drug, input, order });
    groups.set(key, list);
  }
  const lines: WorkLine[] = [];
  for (const [key, list] of groups) {
    const first = list[0];
    if (!first) continue;
    const external = first.drug.form === EXTERNAL;
    const days = external ? 1 : (first.input.days ?? 1);
    const mixed = list.find((x) => !external && (x.input.days ?? 1) !== days);
    if (mixed) {
      throw new BillingInputError(
        `医薬品 ${mixed.input.drug}: 同じ剤（Rp${mixed.input.rp}）の日数が揃っていません / days differ within one rp`,
      );
    }
    const parts = list.map((x) => ({ x, cents: Math.round(x.drug.priceYen * 100 * x.input.amount) }));
    const cents = parts.reduce((s, p) => s + p.cents, 0);
    const points = drugFeePoints(cents);
    const unit = external ? '1調剤' : first.drug.form === INJECTION ? '1回' : '1日（頓服は1回）';
    const rpName = key.startsWith('solo:') ? '単独の剤' : `Rp${first.input.rp}`;
    const detail = parts.map(
      (p) =>
        `${p.x.drug.name} ${yen(Math.round(p.x.drug.priceYen * 100))}円×${p.x.input.amount}${p.x.drug.unit}`,
    );
    const rule = cents <= 1500 ? '15円以下のため1点' : `(${yen(cents)}−15)÷10 切上げ+1 = ${points}点`;
    const section = first.drug.form === INJECTION ? '33' : external ? '23' : '21';
    parts.forEach((p, i) => {
      lines.push({
        code: p.x.drug.code,
        name: p.x.drug.name,
        points: i === 0 ? points : 0,
        count: i === 0 ? days : 1,
        section,
        status: 'billed',
        reason:
          i === 0
            ? `薬剤料（${rpName}、${unit}分 ${detail.join(' + ')} = ${yen(cents)}円）: ${rule}${external ? '' : ` × ${days}`}`
            : `薬剤料: ${rpName} の剤に合算（${first.drug.name} の行に計上）`,
      });
    });
  }
  return lines;
}
