import { z } from 'zod';
import { INT32_MAX, isoDate, LAB_NUMBER_LIMIT, line } from '../contracts/input';
import { parseDateText } from '../dateText';

/** A reference range as labs print it: 3.8-5.2, 3.8～5.2, -5.2, 3.8-, or text such as 陰性. */
export interface RefRange {
  low: number | null;
  high: number | null;
  text: string;
}

const NUM = String.raw`-?\d+(?:\.\d+)?`;
const RANGE = new RegExp(`^(${NUM})?\\s*[-~〜～]\\s*(${NUM})?$`);

export function parseRefRange(input: string): RefRange | null {
  const text = input.normalize('NFKC').trim();
  if (text === '') return { low: null, high: null, text: '' };
  const m = RANGE.exec(text);
  if (m && (m[1] !== undefined || m[2] !== undefined)) {
    const low = m[1] !== undefined ? Number(m[1]) : null;
    const high = m[2] !== undefined ? Number(m[2]) : null;
    if (low !== null && high !== null && low > high) return null;
    return { low, high, text };
  }
  if (/^[0-9.\-~〜～]+$/.test(text)) return null; // digits that are not a range
  return text.length <= 50 ? { low: null, high: null, text } : null;
}

/** A value: a number (optionally with < or >), or a short text result (陰性, 1+ …). */
export function parseLabValue(input: string): { text: string; num: number | null } | null {
  const text = input.normalize('NFKC').trim();
  if (text === '' || text.length > 50) return null;
  const m = /^[<>≦≧]?\s*(-?\d+(?:\.\d+)?)$/.exec(text);
  return { text, num: m ? Number(m[1]) : null };
}

export type LabFlag = '' | 'H' | 'L';
export function labFlag(num: number | null, range: RefRange): LabFlag {
  if (num === null) return '';
  if (range.high !== null && num > range.high) return 'H';
  if (range.low !== null && num < range.low) return 'L';
  return '';
}

/** Numbers are stored as numeric(14,4): under 1e10 in magnitude, at most 4 decimals (as the lab wrote them). */
const fitsLabNumber = (n: number | null | undefined) => n == null || Math.abs(n) < LAB_NUMBER_LIMIT;
const fitsLabDecimals = (text: string) =>
  [...text.normalize('NFKC').matchAll(/\d\.(\d+)/g)].every((m) => (m[1] ?? '').length <= 4);
const LAB_NUMBER_MESSAGE = '数値は整数部10桁・小数4桁までです';

/** One lab result as entered or imported (before the patient is resolved). */
export const labResultFields = z.strictObject({
  collectedOn: isoDate,
  code: line()
    .trim()
    .min(1, '項目コードを入力してください')
    .max(20, '項目コードが長すぎます')
    .regex(/^[0-9A-Za-z\-_.]+$/, '項目コードは英数字で入力してください'),
  name: line().trim().max(100),
  value: line()
    .trim()
    .min(1, '結果値を入力してください')
    .max(50)
    .refine((v) => parseLabValue(v) !== null, '結果値が読めません')
    .refine((v) => {
      const parsed = parseLabValue(v);
      return parsed?.num == null || (fitsLabNumber(parsed.num) && fitsLabDecimals(parsed.text));
    }, LAB_NUMBER_MESSAGE),
  unit: line().trim().max(20, '単位が長すぎます'),
  range: line()
    .trim()
    .max(50)
    .refine((v) => parseRefRange(v) !== null, '基準値は「下限-上限」の形で入力してください')
    .refine((v) => {
      const r = parseRefRange(v);
      const numeric = r?.low != null || r?.high != null;
      return !numeric || (fitsLabNumber(r?.low) && fitsLabNumber(r?.high) && fitsLabDecimals(r?.text ?? ''));
    }, LAB_NUMBER_MESSAGE),
});
export type LabResultFields = z.infer<typeof labResultFields>;

/**
 * 修正: a filed result is never changed; a correction files a new result of the same item and day that takes
 * its place, with the reason (the old one stays, marked as corrected).
 */
export const labCorrectionFields = labResultFields.pick({ value: true, unit: true, range: true }).extend({
  reason: line().trim().min(1, '修正の理由を入力してください').max(200, '修正の理由が長すぎます'),
});
export type LabCorrectionFields = z.infer<typeof labCorrectionFields>;

/**
 * The tRPC procedures that carry the lab file: the server gives them a larger body limit, and the client
 * sends each alone (never in a batch) so that limit applies.
 */
export const LAB_UPLOAD_PROCEDURES: ReadonlySet<string> = new Set([
  'orders.previewLabImport',
  'orders.importLabs',
]);

/** The CSV import format (documented in the README). 項目名 is optional, for local codes. */
export const labCsvColumns = ['患者番号', '採取日', '項目コード', '結果値', '単位', '基準値'] as const;
export const labCsvOptional = ['項目名'] as const;

export interface LabCsvRow extends LabResultFields {
  line: number;
  patientNumber: string;
}
export interface LabCsvError {
  line: number;
  column: string;
  message: string;
}

/**
 * Reads the cells of a lab CSV (header row first). All rows are checked; any error means the file is
 * refused as a whole. Full-width digits and letters are folded (NFKC) before reading.
 */
export function readLabCsv(records: string[][]): { rows: LabCsvRow[]; errors: LabCsvError[] } {
  const errors: LabCsvError[] = [];
  const [header, ...body] = records;
  const names = (header ?? []).map((h) => h.normalize('NFKC').trim());
  const index = new Map(names.map((n, i) => [n, i]));
  const missing = labCsvColumns.filter((c) => !index.has(c));
  if (!header || missing.length > 0) {
    return {
      rows: [],
      errors: [
        { line: 1, column: missing.join('・'), message: `見出し行に列がありません: ${missing.join('、')}` },
      ],
    };
  }
  const rows: LabCsvRow[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const cell = (name: string) => (cells[index.get(name) ?? -1] ?? '').normalize('NFKC').trim();
    const patientNumber = cell('患者番号');
    // 患者番号 is an integer column: a number past 2³¹−1 is no patient of ours, and says so here.
    if (!/^\d{1,10}$/.test(patientNumber) || Number(patientNumber) > INT32_MAX) {
      errors.push({
        line,
        column: '患者番号',
        message: '患者番号は数字（2147483647以下）で入力してください',
      });
    }
    const collectedOn = parseDateText(cell('採取日'));
    if (!collectedOn) errors.push({ line, column: '採取日', message: '日付が読めません' });
    const parsed = labResultFields.safeParse({
      collectedOn: collectedOn ?? '0000-00-00',
      code: cell('項目コード'),
      name: (cells[index.get('項目名') ?? -1] ?? '').trim(), // as the lab writes it
      value: cell('結果値'),
      unit: cell('単位'),
      range: cell('基準値'),
    });
    if (!parsed.success) {
      const columnOf: Record<string, string> = {
        collectedOn: '採取日',
        code: '項目コード',
        name: '項目名',
        value: '結果値',
        unit: '単位',
        range: '基準値',
      };
      for (const issue of parsed.error.issues) {
        const column = columnOf[String(issue.path[0])];
        // One message per cell: the first one says what to fix.
        if (column && !errors.some((e) => e.line === line && e.column === column)) {
          errors.push({ line, column, message: issue.message });
        }
      }
    } else if (collectedOn) {
      rows.push({ ...parsed.data, line, patientNumber });
    }
  });
  if (rows.length === 0 && errors.length === 0) {
    errors.push({ line: 2, column: '', message: 'データ行がありません' });
  }
  return { rows, errors };
}

/**
 * Decodes a lab file: UTF-8 (with or without BOM) or Shift_JIS (as exported by most lab systems).
 * A file that is not valid UTF-8 is read as Shift_JIS.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('shift_jis').decode(bytes);
  }
}

export type InfectionKind = 'HBs' | 'HCV' | 'HIV' | 'STS' | 'TP';
/**
 * Which infection a JLAC infection item reports (its CodeSystem parent code, e.g. HBs-AG-RESULT) and the
 * result it implies. HBs antibody is immunity, not infection: it does not change the status.
 */
export function infectionFromLab(
  item: string,
  value: { text: string; num: number | null },
  flag: LabFlag,
  range: RefRange,
): { kind: InfectionKind; result: 'positive' | 'negative' | 'unknown' } | null {
  const it = item.toUpperCase();
  const kind: InfectionKind | null = it.startsWith('HBS-AG')
    ? 'HBs'
    : it.startsWith('HCV')
      ? 'HCV'
      : it.startsWith('HIV')
        ? 'HIV'
        : it.startsWith('STS')
          ? 'STS'
          : it.startsWith('TP-')
            ? 'TP'
            : null;
  if (!kind) return null;
  const t = value.text.replace(/[()（）\s]/g, '').toUpperCase();
  if (/^(陽性|\+|[1-4]\+|POSITIVE|POS|反応あり)$/.test(t)) return { kind, result: 'positive' };
  if (/^(陰性|-|NEGATIVE|NEG|反応なし)$/.test(t)) return { kind, result: 'negative' };
  if (/^(判定保留|±|保留)$/.test(t)) return { kind, result: 'unknown' };
  if (value.num !== null && (range.low !== null || range.high !== null)) {
    return { kind, result: flag === 'H' ? 'positive' : 'negative' };
  }
  return null;
}
