import { live, type WorkLine, warn } from './work';

/** 施設基準 (cols 71–80): any one of the codes 届出 by the facility suffices; otherwise a warning (still billed). */
export function facilityStandards(lines: WorkLine[], facility: readonly string[], warnings: string[]) {
  const have = new Set(facility);
  for (const l of lines) {
    const need = l.item?.standards ?? [];
    if (!live(l) || need.length === 0 || need.some((s) => have.has(s))) continue;
    warn(l, `施設基準（${need.join('・')}）の届出がありません（届出が必要な項目）`, warnings);
  }
}
