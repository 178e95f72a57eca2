import { unzipSync } from 'fflate';
import { parseSskCsv } from './csv';
import type { SskFile } from './index';
import { kindOfPrefix } from './layout';

// File names as published: `s_ALL20240531.zip` / `.csv` (全件) and `s_20240621.csv` (変更分). The date in the name
// is the publication date; versions take their dates from the rows' 変更年月日.
const NAME = /^([sytc])_(ALL)?(\d{8})\.(csv|zip)$/i;

const decoder = new TextDecoder('shift_jis');

export function readSskFile(fileName: string, data: Uint8Array): SskFile {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const m = NAME.exec(base);
  const kind = m ? kindOfPrefix((m[1] ?? '').toLowerCase()) : undefined;
  if (!m || !kind) {
    throw new Error(`マスターファイル名が読めません（s_/y_/t_/c_ + 日付 .csv/.zip）: ${base}`);
  }
  const d = m[3] ?? '';
  const fileDate = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  const csv = (m[4] ?? '').toLowerCase() === 'zip' ? csvFromZip(base, data) : data;
  const rows = parseSskCsv(decoder.decode(csv));
  for (const [i, r] of rows.entries()) {
    if (!/^[01359]$/.test(r[0] ?? '')) {
      throw new Error(`マスターファイルの変更区分が不正です: ${base} ${i + 1}行目 "${r[0] ?? ''}"`);
    }
  }
  return { kind, fileDate, full: Boolean(m[2]), rows };
}

function csvFromZip(base: string, data: Uint8Array): Uint8Array {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(data, { filter: (f) => /\.csv$/i.test(f.name) });
  } catch (e) {
    throw new Error(`ZIPを展開できません: ${base} (${e instanceof Error ? e.message : String(e)})`);
  }
  const names = Object.keys(entries);
  const first = names[0];
  if (names.length !== 1 || !first) {
    throw new Error(`ZIPにCSVがちょうど1つ必要です: ${base}（${names.length}個）`);
  }
  return entries[first] as Uint8Array;
}
