import { stepTable } from './bundleSteps';
import { live, type WorkLine } from './work';

/**
 * 検体検査 まるめ per visit day: the day's 実施料 items of one 包括対象検査 group (col 15); from a step's item
 * count on, the group is billed at the step's points instead of the sum. The items stay listed: the first
 * carries the step points, the others 0, each with the reason. Below the lowest step each item keeps its points.
 */
export function bundleTests(lines: WorkLine[], date: string, warnings: string[]) {
  const groups = new Map<number, WorkLine[]>();
  for (const l of lines) {
    const g = l.item?.bundleGroup ?? 0;
    if (!live(l) || g <= 0) continue;
    groups.set(g, [...(groups.get(g) ?? []), l]);
  }
  for (const [group, list] of groups) {
    const n = list.reduce((s, l) => s + l.count, 0);
    const table = stepTable(group, date);
    if (!table) {
      if (n > 1) warnings.push(`包括対象検査グループ ${group}: ${date} のまるめ点数表がないため各点数で算定`);
      continue;
    }
    const step = table.steps.find((s) => n >= s.min);
    if (!step) continue;
    const sum = list.reduce((s, l) => s + l.points * l.count, 0);
    const head = `${table.name} ${n}項目`;
    list.forEach((l, i) => {
      if (i === 0) {
        l.points = step.points;
        l.count = 1;
        l.reason = `${head}: まるめ（${step.min}項目以上 ${step.points}点、各点数の合計 ${sum}点に代えて）をこの行に計上`;
      } else {
        l.points = 0;
        l.reason = `${head}: まるめ ${step.points}点に包括（${list[0]?.name} の行に計上）`;
      }
    });
  }
}
