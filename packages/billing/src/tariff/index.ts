import type { TariffKind } from '../types';

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

export { commentFromCols, drugFromCols, materialFromCols, nameOfCols, procedureFromCols } from './items';
/** memoryTariff: a Tariff over versions held in memory (bundled files, or rows read from the database). */
export { memoryTariff } from './memory';
/** Reads a master file by its name (s_/y_/t_/c_ prefix) from its bytes (.csv or .zip). Throws a one-line message. */
export { readSskFile } from './read';
/**
 * sskRowKeys: the code, 変更年月日 and 廃止年月日 of a row (column positions differ per master).
 * mergeSskRow: a 変更 (5) row fills only changed fields: empty = unchanged.
 * applySskFile: applies a file to existing versions (full file first, then change files in date order): new
 * versions valid from their 変更年月日, the previous one closed the day before; 廃止 closes a code. Returns the
 * touched codes' versions.
 */
/** unlistedEndOf: the last day of the codes a full file no longer lists (the day before its revision date). */
export { applySskFile, mergeSskRow, sskRowKeys, unlistedEndOf } from './versions';
