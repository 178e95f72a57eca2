import type { PricedLine, ProcedureItem } from '../types';

/** A line while the rules run: the priced line plus the master item it came from (procedures only). */
export interface WorkLine extends PricedLine {
  item?: ProcedureItem;
}

/** Lines that count: billed as entered or added by a rule (not dropped). */
export const live = (l: WorkLine) => l.status !== 'dropped';

export function drop(l: WorkLine, reason: string) {
  l.status = 'dropped';
  l.points = 0;
  l.reason = reason;
}

export function warn(l: WorkLine, warning: string, visitWarnings: string[]) {
  l.warning = l.warning ? `${l.warning}／${warning}` : warning;
  visitWarnings.push(`${l.name}（${l.code}）: ${warning}`);
}

/** 診療識別 names for reasons (first two digits of 点数欄集計先識別, NOTES §1.2 col 14). */
export function sectionName(section: string): string {
  const s = section.slice(0, 2);
  const n = Number(s);
  if (s === '11') return '初診';
  if (s === '12') return '再診';
  if (s === '13') return '医学管理';
  if (s === '14') return '在宅医療';
  if (n >= 21 && n <= 27) return '投薬';
  if (n >= 31 && n <= 33) return '注射';
  if (s === '40') return '処置';
  if (s === '50') return '手術';
  if (s === '54') return '麻酔';
  if (s === '60') return '検査';
  if (s === '70') return '画像診断';
  return 'その他';
}
