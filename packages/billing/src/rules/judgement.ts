import type { Tariff } from '../types';
import type { MonthHistory } from './history';
import { resolveProcedure } from './procedures';
import { live, type WorkLine } from './work';

/**
 * 判断料 per 判断グループ (col 50) of the 実施料 items (col 49 = 1): the group's 判断料 code in the bundled
 * master (col 49 = 2, same group; checked by a test). Group 13 (脳波) has two 判断料 and 画像/病理 groups their
 * own rules: not added automatically, the visit gets a warning.
 */
export const JUDGEMENT_CODES: Record<number, string> = {
  1: '160061710', // 尿・糞便等検査判断料
  2: '160061810', // 血液学的検査判断料
  3: '160061910', // 生化学的検査（１）判断料
  4: '160062010', // 生化学的検査（２）判断料
  5: '160062110', // 免疫学的検査判断料
  6: '160062210', // 微生物学的検査判断料
  11: '160146910', // 呼吸機能検査等判断料
  14: '160147710', // 神経・筋検査判断料
  15: '160147910', // ラジオアイソトープ検査判断料
  16: '160199510', // ロービジョン検査判断料
  17: '160218110', // 遺伝子関連・染色体検査判断料
};

/** Adds each group's 判断料 once per patient per month: on the first visit of the month that has the group. */
export function judgementFees(
  tariff: Tariff,
  lines: WorkLine[],
  date: string,
  history: MonthHistory,
  warnings: string[],
): WorkLine[] {
  const entered = new Set(
    lines.filter((l) => live(l) && l.item?.judgeKind === 2).map((l) => l.item?.judgeGroup ?? 0),
  );
  const firstOf = new Map<number, WorkLine>();
  for (const l of lines) {
    const g = l.item?.judgeGroup ?? 0;
    if (live(l) && l.item?.judgeKind === 1 && g > 0 && !firstOf.has(g)) firstOf.set(g, l);
  }
  const added: WorkLine[] = [];
  for (const [group, first] of firstOf) {
    if (history.judgedGroups.has(group) || entered.has(group)) continue;
    const code = JUDGEMENT_CODES[group];
    if (!code) {
      warnings.push(`判断グループ ${group}（${first.name} など）の判断料は自動算定していません`);
      continue;
    }
    const item = resolveProcedure(tariff, code, date, '判断料');
    added.push({
      code,
      name: item.name,
      points: item.points,
      count: 1,
      section: item.section.slice(0, 2),
      status: 'added',
      reason: `自動算定: 今月初めての${item.name.replace(/判断料$/, '')}（${first.name}）のため（月1回）`,
      item,
    });
  }
  return added;
}
