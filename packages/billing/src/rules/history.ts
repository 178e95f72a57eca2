import type { ProcedureItem } from '../types';

/**
 * What earlier visits of the same month billed: counts per code and the 判断料 groups already claimed. `log` is
 * shared by the months of one case: counts per code and month, for 上限回数 counted over several months.
 */
export class MonthHistory {
  readonly counts = new Map<string, number>();
  constructor(private readonly log = new Map<string, Map<string, number>>()) {}

  /** What the case's visits billed of `code` in a month ('YYYY-MM'). */
  countIn(code: string, month: string): number {
    return this.log.get(code)?.get(month) ?? 0;
  }
  readonly judgedGroups = new Set<number>();
  /** Per date: the day's items, for same-day rules across visits on one date. */
  readonly byDate = new Map<string, ProcedureItem[]>();

  add(date: string, item: ProcedureItem, count: number) {
    this.counts.set(item.code, (this.counts.get(item.code) ?? 0) + count);
    const months = this.log.get(item.code) ?? new Map<string, number>();
    months.set(date.slice(0, 7), (months.get(date.slice(0, 7)) ?? 0) + count);
    this.log.set(item.code, months);
    if (item.judgeKind === 2 && item.judgeGroup > 0) this.judgedGroups.add(item.judgeGroup);
    const day = this.byDate.get(date);
    if (day) day.push(item);
    else this.byDate.set(date, [item]);
  }
}
