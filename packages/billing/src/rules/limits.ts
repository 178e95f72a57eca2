import type { MonthHistory } from './history';
import { drop, live, type WorkLine } from './work';

/** 上限回数 (col 35) within the month: earlier visits of the month first, then this visit's lines in order. */
export function monthLimits(lines: WorkLine[], history: MonthHistory) {
  const used = new Map<string, number>();
  for (const l of lines) {
    const max = l.item?.maxCount ?? 0;
    if (!live(l) || max <= 0) continue;
    const before = (history.counts.get(l.code) ?? 0) + (used.get(l.code) ?? 0);
    const left = max - before;
    if (left <= 0) {
      drop(l, `${l.name}: 上限回数 月${max}回を超えるため算定不可（今月 ${before}回算定済み）`);
      continue;
    }
    if (l.count > left) {
      l.reason = `${l.reason}。上限回数 月${max}回のため ${l.count}回 → ${left}回`;
      l.count = left;
    }
    used.set(l.code, (used.get(l.code) ?? 0) + l.count);
  }
}
