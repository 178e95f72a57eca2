import type { ProcedureItem } from '../types';

/** What earlier visits of the same month billed: counts per code and the 判断料 groups already claimed. */
export class MonthHistory {
  readonly counts = new Map<string, number>();
  readonly judgedGroups = new Set<number>();
  /** Per date: the day's items, for same-day rules across visits on one date. */
  readonly byDate = new Map<string, ProcedureItem[]>();

  add(date: string, item: ProcedureItem, count: number) {
    this.counts.set(item.code, (this.counts.get(item.code) ?? 0) + count);
    if (item.judgeKind === 2 && item.judgeGroup > 0) this.judgedGroups.add(item.judgeGroup);
    const day = this.byDate.get(date);
    if (day) day.push(item);
    else this.byDate.set(date, [item]);
  }
}
