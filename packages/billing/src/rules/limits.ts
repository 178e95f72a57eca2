import { type CountUnit, countUnitOf, limitText, windowMonths } from './countUnits';
import type { MonthHistory } from './history';
import { drop, live, type WorkLine, warn } from './work';

/**
 * 上限回数 (col 35), counted in its unit's window (countUnits) from the case's earlier visits, then this visit's
 * lines in order: beyond it a line is dropped or its count reduced. Where the unit is not known the line stays
 * as entered, with a warning once the month's count exceeds the number.
 * The window sees only the visits given in the case (a caller pricing one month passes that month's).
 */
export function monthLimits(lines: WorkLine[], history: MonthHistory, date: string, warnings: string[]) {
  const used = new Map<string, number>(); // this visit's lines so far, per code
  for (const l of lines) {
    const max = l.item?.maxCount ?? 0;
    if (!live(l) || max <= 0) continue;
    const unit = countUnitOf(l.code, date);
    const earlier = unit ? windowCount(history, l.code, date, unit) : (history.counts.get(l.code) ?? 0);
    const before = earlier + (used.get(l.code) ?? 0);
    if (!unit) {
      used.set(l.code, (used.get(l.code) ?? 0) + l.count);
      if (before + l.count > max) {
        warn(
          l,
          `マスターの上限回数 ${max} 回（単位は算定回数テーブルで確認が必要）を今月すでに超えています（今月 ${before + l.count}回）`,
          warnings,
        );
      }
      continue;
    }
    const left = max - before;
    const limit = `上限回数 ${limitText(unit, max)}`;
    const where = unit.months === 1 ? `今月 ${before}回算定済み` : `この期間に ${before}回算定済み`;
    if (left <= 0) {
      drop(l, `${l.name}: ${limit}を超えるため算定不可（${where}）`);
      continue;
    }
    if (l.count > left) {
      l.reason = `${l.reason}。${limit}のため ${l.count}回 → ${left}回`;
      l.count = left;
    }
    used.set(l.code, (used.get(l.code) ?? 0) + l.count);
  }
}

function windowCount(history: MonthHistory, code: string, date: string, unit: CountUnit): number {
  if (unit.months === 1) return history.counts.get(code) ?? 0;
  return windowMonths(date, unit.months).reduce((n, month) => n + history.countIn(code, month), 0);
}
