import { BillingInputError, type ProcedureItem, type Tariff } from '../types';
import type { WorkLine } from './work';

/** The 診療行為 valid on the date, or a one-line error naming it (with the master's date when it may be outdated). */
export function resolveProcedure(
  tariff: Tariff,
  code: string,
  date: string,
  what = '診療行為',
): ProcedureItem {
  const item = tariff.procedure(code, date);
  if (!item) {
    const newest = tariff.newestChange();
    const outdated = newest && date > newest ? `、マスターは ${newest} までの変更を反映` : '';
    throw new BillingInputError(
      `${what} ${code} は ${date} に有効なマスターにありません（未知のコード、未収載または廃止${outdated}） / procedure ${code} not valid on ${date}`,
    );
  }
  if (item.inOut === 1) {
    throw new BillingInputError(
      `診療行為 ${code}（${item.name}）は入院に限る項目で外来では算定できません / inpatient-only procedure ${code}`,
    );
  }
  return item;
}

function billedLine(item: ProcedureItem, count: number, points: number, reason: string): WorkLine {
  return {
    code: item.code,
    name: item.name,
    points,
    count,
    section: item.section.slice(0, 2),
    status: 'billed',
    reason,
    item,
  };
}

/**
 * Points per unit from 点数識別 (col 10) and 点数 (col 11): 3 点数 as is; 1 金額 yen ÷ 10 四捨五入 (as for
 * 材料価格, NOTES §2.1); 8 点数(−) negative. ％加算/減算 (5/6) are priced later against their base item;
 * 4 購入価格 and 7 減点 need data the input does not carry.
 */
export function procedureLine(item: ProcedureItem, count: number): WorkLine {
  if (!Number.isInteger(count) || count < 1) {
    throw new BillingInputError(
      `診療行為 ${item.code}（${item.name}）の回数が不正です: ${count} / bad count`,
    );
  }
  const where = item.kubun ? `区分 ${item.kubun}、` : '';
  const line = (points: number, reason: string) => billedLine(item, count, points, reason);
  switch (item.pointKind) {
    case 3:
      return line(item.points, `算定（${where}${item.points}点）`);
    case 1: {
      const points = Math.round(item.points / 10);
      return line(points, `算定（${where}${item.points}円 → 10で除し四捨五入 ${points}点）`);
    }
    case 8:
      return line(-item.points, `算定（${where}${-item.points}点、減算項目）`);
    case 5:
    case 6:
      return line(0, ''); // priced by percentAddOns
    default:
      throw new BillingInputError(
        `診療行為 ${item.code}（${item.name}）は点数識別 ${item.pointKind}（購入価格・減点）で自動計算に未対応です / point kind not supported`,
      );
  }
}
