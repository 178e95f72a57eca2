import type { CommentItem, DrugItem, MaterialItem, ProcedureItem, Tariff, TariffKind } from '../types';

// Reading the 支払基金 基本マスター files (CP932 CSV, no header, or the ZIP they are published in) and
// building a Tariff by date from versions. Pure: bytes in, data out (file access is in ../bundled).

/** A master file as read: full (全件, `s_ALL…`) or a monthly change file (`s_YYYYMMDD.csv`). */
export interface SskFile {
  kind: TariffKind;
  fileDate: string; // ISO date from the file name
  full: boolean;
  rows: string[][]; // decoded columns; col 0 = 変更区分 (0 full; 3 新規, 5 変更, 9 廃止, 1 抹消)
}

/** One stored version of a code: what the database keeps and what a Tariff is built from. */
export interface TariffVersion {
  kind: TariffKind;
  code: string;
  validFrom: string;
  validTo: string | null;
  cols: string[];
}

/** Reads a master file by its name (s_/y_/t_/c_ prefix) from its bytes (.csv or .zip). Throws a one-line message. */
export function readSskFile(_fileName: string, _data: Uint8Array): SskFile {
  throw new Error('readSskFile: not implemented yet');
}

/** The code, 変更年月日 and 廃止年月日 of a row (column positions differ per master). */
export function sskRowKeys(
  _kind: TariffKind,
  _cols: string[],
): {
  code: string;
  changedOn: string | null;
  abolishedOn: string | null;
} {
  throw new Error('sskRowKeys: not implemented yet');
}

/** A 変更 (5) row fills only changed fields: empty = unchanged. */
export function mergeSskRow(_previous: string[] | undefined, _change: string[]): string[] {
  throw new Error('mergeSskRow: not implemented yet');
}

/**
 * Applies a file to existing versions (full file first, then change files in date order): new versions valid
 * from their 変更年月日, the previous one closed the day before; 廃止 closes a code. Returns the touched codes' versions.
 */
export function applySskFile(_existing: TariffVersion[], _file: SskFile): TariffVersion[] {
  throw new Error('applySskFile: not implemented yet');
}

export function procedureFromCols(_v: TariffVersion): ProcedureItem {
  throw new Error('procedureFromCols: not implemented yet');
}
export function drugFromCols(_v: TariffVersion): DrugItem {
  throw new Error('drugFromCols: not implemented yet');
}
export function materialFromCols(_v: TariffVersion): MaterialItem {
  throw new Error('materialFromCols: not implemented yet');
}
export function commentFromCols(_v: TariffVersion): CommentItem {
  throw new Error('commentFromCols: not implemented yet');
}

/** The display name of a version (for search columns). */
export function nameOfCols(_kind: TariffKind, _cols: string[]): { name: string; kana: string } {
  throw new Error('nameOfCols: not implemented yet');
}

/** A Tariff over versions held in memory (bundled files, or rows read from the database). */
export function memoryTariff(_versions: Iterable<TariffVersion>): Tariff {
  throw new Error('memoryTariff: not implemented yet');
}
