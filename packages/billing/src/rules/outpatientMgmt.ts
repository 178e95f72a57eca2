import type { ProcedureItem } from '../types';
import { drop, live, sectionName, type WorkLine } from './work';

/**
 * 外来管理加算 (A001 注8, 外来管理加算区分 col 55 = 2) is not billed on a day with an item whose col 55 = 1
 * (処置, 手術, リハ, the listed 生体検査 …, NOTES §2.3). The blocker may be in this visit or an earlier one that day.
 */
export function outpatientManagement(lines: WorkLine[], sameDayEarlier: ProcedureItem[]) {
  const blocker =
    lines.find((l) => live(l) && l.item?.outpatientMgmt === 1)?.item ??
    sameDayEarlier.find((it) => it.outpatientMgmt === 1);
  if (!blocker) return;
  for (const l of lines) {
    if (!live(l) || l.item?.outpatientMgmt !== 2) continue;
    drop(l, `${l.name}: 同日に${sectionName(blocker.section)}（${blocker.name}）があるため算定不可`);
  }
}
