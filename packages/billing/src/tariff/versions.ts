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
 * - 変更 (5): merged onto the version in force before its 変更年月日 and becomes a new version from that date (the
 *   previous one closes the day before); without a date (or the same date) it corrects the latest version in place.
 * Versions stay in date order even when an older file comes after a newer one.
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
    const rowChanged = sskRowKeys(file.kind, row).changedOn;
    if (kubun === '5' && latest && (!rowChanged || rowChanged === latest.validFrom)) {
      // no new 変更年月日: a correction of the current version
      latest.cols = mergeSskRow(latest.cols, row);
      latest.validTo = sskRowKeys(file.kind, latest.cols).abolishedOn ?? latest.validTo;
      continue;
    }
    const from = (kubun === '5' ? rowChanged : sskRowKeys(file.kind, row).changedOn) ?? file.fileDate;
    // the version in force just before `from` is what a 変更 row changes
    const at = list.findIndex((v) => v.validFrom >= from);
    const pos = at < 0 ? list.length : at;
    const same = list[pos]?.validFrom === from ? list[pos] : undefined;
    const base = same ?? list[pos - 1] ?? latest;
    const cols = kubun === '5' ? mergeSskRow(base?.cols, row) : [...row];
    const abolishedOn = sskRowKeys(file.kind, cols).abolishedOn;
    if (same) {
      same.cols = cols; // the same date again (a full file re-read, a re-published row): replace
      if (pos === list.length - 1) same.validTo = abolishedOn;
      continue;
    }
    const next = list[pos];
    const prev = list[pos - 1];
    if (prev && (prev.validTo === null || prev.validTo >= from)) prev.validTo = dayBefore(from);
    const validTo = next ? dayBefore(next.validFrom) : abolishedOn;
    list.splice(pos, 0, { kind: file.kind, code, validFrom: from, validTo, cols });
  }
  if (file.full) closeUnlisted(map, file, touched);
  return touched;
}

/**
 * A full file lists the codes in force (its 廃止年月日 are all open): a code it no longer lists ends the day before
 * the file's revision date (its most common 変更年月日, e.g. 2024-06-01 on 10,127 of 10,133 rows of s_ALL20240531;
 * the file name's date when no row has one). Returns that last day of the unlisted codes.
 */
export function unlistedEndOf(file: SskFile): string {
  const dates = new Map<string, number>();
  for (const row of file.rows) {
    const changedOn = sskRowKeys(file.kind, row).changedOn;
    if (changedOn) dates.set(changedOn, (dates.get(changedOn) ?? 0) + 1);
  }
  let revision = file.fileDate;
  let most = 0;
  for (const [d, n] of dates) {
    if (n > most) {
      most = n;
      revision = d;
    }
  }
  return dayBefore(revision);
}

/**
 * Closes the codes a full file no longer lists (see unlistedEndOf). Only a code's latest version is closed;
 * one that starts after the revision (from a later change file) is left alone. A database importer does the
 * same in SQL (it does not hold every code in memory).
 */
function closeUnlisted(map: VersionMap, file: SskFile, touched: Set<string>) {
  const listed = new Set(file.rows.map((row) => sskRowKeys(file.kind, row).code));
  const end = unlistedEndOf(file);
  for (const [code, list] of map) {
    const latest = list[list.length - 1];
    if (listed.has(code) || !latest || latest.validFrom > end) continue;
    if (latest.validTo === null || latest.validTo > end) {
      latest.validTo = end;
      touched.add(code);
    }
  }
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
