import type { TariffKind } from '../types';
import { dayBefore } from './dates';
import type { SskFile, TariffVersion } from './index';
import { codeOfCols, LAYOUTS, sskDate } from './layout';

export function sskRowKeys(
  kind: TariffKind,
  cols: string[],
): { code: string; changedOn: string | null; abolishedOn: string | null } {
  const l = LAYOUTS[kind];
  return {
    code: codeOfCols(kind, cols),
    changedOn: sskDate(cols[l.changedOn]),
    abolishedOn: sskDate(cols[l.abolishedOn]),
  };
}

/** A 変更 (5) row fills only changed fields: empty = unchanged. Rows may be longer than before (y_ 40 → 42). */
export function mergeSskRow(previous: string[] | undefined, change: string[]): string[] {
  if (!previous) return [...change];
  const n = Math.max(previous.length, change.length);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = change[i] ?? '';
    out[i] = c !== '' ? c : (previous[i] ?? '');
  }
  return out;
}

/** Versions per code, each list in validFrom order. */
export type VersionMap = Map<string, TariffVersion[]>;

/**
 * Applies one file's rows to the map in place; returns the codes it touched.
 * - 全件 (0) / 新規 (3): the row is a whole record: a version from its 変更年月日.
 * - 変更 (5): merged onto the latest version; with a later 変更年月日 it becomes a new version and the previous one
 *   closes the day before; without one (or the same date) it corrects the latest version in place.
 * - 廃止 (9): the latest version ends on 廃止年月日 (or the day before 変更年月日).
 * - 抹消 (1): the latest version is void (validTo before validFrom), so it never applies; kept so an importer
 *   that stores the returned versions sees the change.
 */
export function applyToMap(map: VersionMap, file: SskFile): Set<string> {
  const touched = new Set<string>();
  for (const row of file.rows) {
    const kubun = row[0] ?? '0';
    const { code } = sskRowKeys(file.kind, row);
    if (!code) continue;
    let list = map.get(code);
    if (!list) {
      list = [];
      map.set(code, list);
    }
    touched.add(code);
    const latest = list[list.length - 1];
    if (kubun === '9' || kubun === '1') {
      if (!latest) continue;
      const merged = mergeSskRow(latest.cols, row);
      const keys = sskRowKeys(file.kind, merged);
      const rowKeys = sskRowKeys(file.kind, row);
      latest.cols = merged;
      latest.validTo =
        kubun === '1'
          ? dayBefore(latest.validFrom)
          : (rowKeys.abolishedOn ?? (rowKeys.changedOn ? dayBefore(rowKeys.changedOn) : keys.abolishedOn));
      continue;
    }
    const cols = kubun === '5' ? mergeSskRow(latest?.cols, row) : [...row];
    const keys = sskRowKeys(file.kind, cols);
    const rowChanged = sskRowKeys(file.kind, row).changedOn;
    const from = keys.changedOn ?? file.fileDate;
    if (
      latest &&
      (kubun === '5' ? !rowChanged || rowChanged <= latest.validFrom : from === latest.validFrom)
    ) {
      latest.cols = cols; // a correction of the current version
      latest.validTo = keys.abolishedOn;
      continue;
    }
    if (latest && (latest.validTo === null || latest.validTo >= from)) latest.validTo = dayBefore(from);
    list.push({ kind: file.kind, code, validFrom: from, validTo: keys.abolishedOn, cols });
  }
  return touched;
}

/**
 * Applies a file to existing versions (full file first, then change files in date order): new versions valid
 * from their 変更年月日, the previous one closed the day before; 廃止 closes a code. Returns the touched codes' versions.
 */
export function applySskFile(existing: TariffVersion[], file: SskFile): TariffVersion[] {
  const map: VersionMap = new Map();
  for (const v of existing) {
    if (v.kind !== file.kind) continue;
    const list = map.get(v.code) ?? [];
    list.push({ ...v, cols: [...v.cols] });
    map.set(v.code, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const touched = applyToMap(map, file);
  return [...touched].flatMap((c) => map.get(c) ?? []);
}
