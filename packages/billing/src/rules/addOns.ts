import { drop, live, type WorkLine } from './work';

/**
 * 注加算 of the same 注加算コード and 通番 (cols 37/38, 通番 ≠ 0) exclude each other (e.g. 乳幼児加算 and
 * 時間外加算 of 初診料, both 1101-1): the highest-points one stays.
 */
export function exclusiveAddOns(lines: WorkLine[]) {
  const groups = new Map<string, WorkLine[]>();
  for (const l of lines) {
    const it = l.item;
    if (!live(l) || !it || it.addOnCode === '0' || it.addOnCode === '' || /^0*$/.test(it.addOnSeq)) continue;
    const key = `${it.addOnCode}-${it.addOnSeq}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    const keep = group.reduce((a, b) => (b.points > a.points ? b : a));
    for (const l of group) {
      if (l === keep) continue;
      drop(
        l,
        `${l.name}: ${keep.name}（${keep.points}点）と同じ注加算（${key}）で併算定不可、点数の高い方を算定`,
      );
    }
  }
}

/**
 * ％加算/減算 (点数識別 5/6): 点数 is the percentage of the base item's points; the base is the day's item with
 * the same 注加算コード and 通番 0. Without a determinable base the line is dropped with the reason (and a
 * warning), never guessed.
 */
export function percentAddOns(lines: WorkLine[], warnings: string[]) {
  for (const l of lines) {
    const it = l.item;
    if (!it || (it.pointKind !== 5 && it.pointKind !== 6) || !live(l)) continue;
    const base =
      it.addOnCode !== '0' && it.addOnCode !== ''
        ? lines.find(
            (b) => b !== l && live(b) && b.item?.addOnCode === it.addOnCode && /^0*$/.test(b.item.addOnSeq),
          )
        : undefined;
    if (!base) {
      drop(
        l,
        `${l.name}: ％加算の対象となる所定点数を特定できないため自動計算していません（手入力で点数を確認）`,
      );
      warnings.push(`${l.name}（${l.code}）: ％加算は自動計算していません`);
      continue;
    }
    const sign = it.pointKind === 6 ? -1 : 1;
    l.points = sign * Math.round((base.points * it.points) / 100);
    l.reason = `${it.pointKind === 6 ? '減算' : '加算'}（${base.name} ${base.points}点の${it.points}％、四捨五入 ${l.points}点）`;
  }
}
