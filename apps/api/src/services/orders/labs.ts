import { createHash } from 'node:crypto';
import {
  type Database,
  findLabImport,
  getLabResult,
  getPatient,
  insertInfection,
  insertLabImport,
  insertLabResults,
  isUniqueViolation,
  type LabCodeRow,
  type LabResultWithPrevious,
  labCodesFor,
  labTable,
  labTrend,
  type NewLabResult,
  patientsByNumber,
  sealRows,
  type Tx,
} from '@karte/db';
import {
  decodeText,
  infectionFromLab,
  type LabCorrectionFields,
  type LabCsvError,
  type LabCsvRow,
  type LabResultFields,
  labFlag,
  parseLabValue,
  parseRefRange,
  readLabCsv,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { parse } from 'csv-parse/sync';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, queueSubmissions } from '../sharing/outbox';

/** A result ready to file: coded, flagged, with the infection status it implies. */
function toRow(
  f: LabResultFields,
  patientId: string,
  master: Map<string, LabCodeRow>,
  userId: string,
  importId: string | null,
): NewLabResult & { infection: ReturnType<typeof infectionFromLab> } {
  const value = parseLabValue(f.value) ?? { text: f.value, num: null };
  const range = parseRefRange(f.range) ?? { low: null, high: null, text: f.range };
  const flag = labFlag(value.num, range);
  const jlac = master.get(f.code);
  return {
    patientId,
    collectedOn: f.collectedOn,
    code: f.code,
    codeSystem: jlac ? 'jlac10' : 'local',
    name: jlac ? jlac.name : f.name || f.code,
    value: value.text,
    valueNum: value.num === null ? null : String(value.num),
    unit: f.unit,
    refLow: range.low === null ? null : String(range.low),
    refHigh: range.high === null ? null : String(range.high),
    refText: range.text,
    flag,
    importId,
    enteredBy: userId,
    infection: jlac?.group === 'infection' ? infectionFromLab(jlac.item, value, flag, range) : null,
  };
}

/**
 * Files results and moves the infection status; one transaction with the caller's audit. Returns the rows'
 * ids with their patient, for the seals the audit events carry.
 */
async function file(tx: Tx, actor: Actor, rows: ReturnType<typeof toRow>[]) {
  const ids = await insertLabResults(
    tx,
    actor.facilityId,
    rows.map(({ infection: _, ...r }) => r),
  );
  for (const r of rows) {
    if (r.infection) {
      await insertInfection(tx, actor.facilityId, r.patientId, actor.userId, {
        kind: r.infection.kind,
        result: r.infection.result,
        testedOn: r.collectedOn,
      });
    }
  }
  return rows.map((r, i) => ({ id: ids[i] as string, patientId: r.patientId }));
}

/** The seals (hash of each stored row) of one patient's filed results, for the audit event's detail. */
const sealResults = (tx: Tx, actor: Actor, filed: { id: string; patientId: string }[], patientId: string) =>
  sealRows(
    tx,
    actor.facilityId,
    'lab_results',
    filed.filter((f) => f.patientId === patientId).map((f) => f.id),
  );

/** 手入力: results of one patient. */
export async function addLabResults(
  db: Database,
  actor: Actor,
  patientId: string,
  results: LabResultFields[],
) {
  return changeAndShare(db, async (tx) => {
    await mustExist(tx, actor, patientId);
    const master = await labCodesFor(
      tx,
      results.map((r) => r.code),
    );
    const rows = results.map((r) => toRow(r, patientId, master, actor.userId, null));
    const filed = await file(tx, actor, rows);
    await recordAccess(tx, actor, 'create', patientId, {
      what: 'lab-results',
      count: rows.length,
      sealed: await sealResults(tx, actor, filed, patientId),
    });
    await queueSubmissions(tx, actor.facilityId, patientId, {
      labDays: [...new Set(rows.map((r) => r.collectedOn))],
    });
    return { filed: rows.length, infections: rows.filter((r) => r.infection).length };
  });
}

const MAX_FILE_BYTES = 5 * 1024 * 1024;

interface ParsedFile {
  sha256: string;
  errors: LabCsvError[];
  rows: (ReturnType<typeof toRow> & { line: number; patientNumber: string; patientName: string })[];
  duplicateOf: { at: Date; fileName: string } | null;
}

/**
 * What makes two files the same results: their rows as read (患者番号 as a number, 採取日 as a date — so
 * 和暦 or a trailing newline change nothing — 項目コード, 結果値, 単位, 基準値), in any order. The 項目名 is
 * only the lab's label and does not count.
 */
export function resultsDigest(rows: LabCsvRow[]): string {
  const keys = rows
    .map((r) => JSON.stringify([Number(r.patientNumber), r.collectedOn, r.code, r.value, r.unit, r.range]))
    .sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}

/** Reads an uploaded file: decoding, cells, patients by 患者番号, codes — every problem by row and column. */
async function readFile(tx: Tx, actor: Actor, base64: string): Promise<ParsedFile> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new TRPCError({ code: 'BAD_REQUEST', message: 'ファイルが空です' });
  if (bytes.length > MAX_FILE_BYTES)
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'ファイルが大きすぎます（5MBまで）' });
  const text = decodeText(new Uint8Array(bytes)).replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return {
      sha256: createHash('sha256').update(text).digest('hex'),
      rows: [],
      duplicateOf: null,
      errors: [{ line, column: '', message: 'CSVとして読めません（引用符を確認してください）' }],
    };
  }
  const { rows, errors } = readLabCsv(records);
  const sha256 = resultsDigest(rows);
  const people = await patientsByNumber(
    tx,
    actor.facilityId,
    rows.map((r) => Number(r.patientNumber)),
  );
  const master = await labCodesFor(
    tx,
    rows.map((r) => r.code),
  );
  const filed: ParsedFile['rows'] = [];
  for (const r of rows) {
    const person = people.get(Number(r.patientNumber));
    if (!person) {
      errors.push({
        line: r.line,
        column: '患者番号',
        message: `患者番号 ${r.patientNumber} の患者がいません`,
      });
      continue;
    }
    filed.push({
      ...toRow(r, person.id, master, actor.userId, null),
      line: r.line,
      patientNumber: r.patientNumber,
      patientName: person.name,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  const previous = await findLabImport(tx, actor.facilityId, sha256);
  return {
    sha256,
    rows: filed,
    errors,
    duplicateOf: previous ? { at: previous.createdAt, fileName: previous.fileName } : null,
  };
}

/** 取込プレビュー: what the file would file, or why it cannot be imported. Nothing is written. */
export async function previewLabImport(
  db: Database,
  actor: Actor,
  input: { fileName: string; base64: string },
) {
  return db.transaction(async (tx) => {
    const parsed = await readFile(tx, actor, input.base64);
    const patientIds = [...new Set(parsed.rows.map((r) => r.patientId))];
    await recordAccess(tx, actor, 'read', patientIds.length === 1 ? (patientIds[0] ?? null) : null, {
      what: 'lab-import-preview',
      file: input.fileName,
      rows: parsed.rows.length,
      errors: parsed.errors.length,
      patients: patientIds,
    });
    return {
      errors: parsed.errors,
      duplicateOf: parsed.duplicateOf,
      rows: parsed.rows.map((r) => ({
        line: r.line,
        patientNumber: r.patientNumber,
        patientName: r.patientName,
        collectedOn: r.collectedOn,
        code: r.code,
        codeSystem: r.codeSystem,
        name: r.name,
        value: r.value,
        unit: r.unit ?? '',
        range: r.refText ?? '',
        flag: r.flag ?? '',
        infection: r.infection,
      })),
    };
  });
}

/** 取込: all rows or none; the same file twice adds nothing. */
export async function importLabFile(db: Database, actor: Actor, input: { fileName: string; base64: string }) {
  return changeAndShare(db, async (tx) => {
    const parsed = await readFile(tx, actor, input.base64);
    if (parsed.errors.length > 0) {
      const first = parsed.errors[0];
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `取り込めません（${parsed.errors.length}件の誤り）: ${first?.line}行目「${first?.column}」${first?.message}`,
      });
    }
    const record = await insertLabImport(tx, actor.facilityId, {
      sha256: parsed.sha256,
      fileName: input.fileName,
      rows: parsed.rows.length,
      importedBy: actor.userId,
    });
    if (!record) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'このファイルはすでに取り込まれています（追加はしていません）',
      });
    }
    const filed = await file(
      tx,
      actor,
      parsed.rows.map(({ line: _l, patientNumber: _n, patientName: _p, ...r }) => ({
        ...r,
        importId: record.id,
      })),
    );
    const byPatient = new Map<string, number>();
    for (const r of parsed.rows) byPatient.set(r.patientId, (byPatient.get(r.patientId) ?? 0) + 1);
    for (const [patientId, count] of byPatient) {
      await recordAccess(tx, actor, 'create', patientId, {
        what: 'lab-import',
        importId: record.id,
        count,
        sealed: await sealResults(tx, actor, filed, patientId),
      });
      // Filed results go to the share service: one report per collection day.
      const days = [
        ...new Set(parsed.rows.filter((r) => r.patientId === patientId).map((r) => r.collectedOn)),
      ];
      await queueSubmissions(tx, actor.facilityId, patientId, { labDays: days });
    }
    return { importId: record.id, filed: parsed.rows.length, patients: byPatient.size };
  });
}

const toResult = ({ result: r, previousValue, previousUnit }: LabResultWithPrevious) => ({
  id: r.id,
  collectedOn: r.collectedOn,
  code: r.code,
  codeSystem: r.codeSystem,
  name: r.name,
  value: r.value,
  valueNum: r.valueNum === null ? null : Number(r.valueNum),
  unit: r.unit,
  refLow: r.refLow === null ? null : Number(r.refLow),
  refHigh: r.refHigh === null ? null : Number(r.refHigh),
  refText: r.refText,
  flag: r.flag,
  /** 修正: this result took the place of another — what it said, why, when. */
  correction: r.supersedes
    ? {
        previousValue: previousValue ?? '',
        previousUnit: previousUnit ?? '',
        reason: r.correctionReason,
        at: r.createdAt.toISOString(), // text, like the chart's times: the response stays plain JSON
      }
    : null,
});

/**
 * 修正: files a new result of the same item and day in place of `resultId`, with the reason; the old row stays as
 * filed (the database refuses to change it). A result already corrected by someone else is a conflict. The
 * infection status follows the new value, and the lab report goes to the share service again.
 */
export async function correctLabResult(
  db: Database,
  actor: Actor,
  resultId: string,
  fields: LabCorrectionFields,
) {
  return changeAndShare(db, async (tx) => {
    const old = await getLabResult(tx, actor.facilityId, resultId);
    if (!old) throw new TRPCError({ code: 'NOT_FOUND', message: '検査結果が見つかりません' });
    const master = await labCodesFor(tx, [old.code]);
    const row = toRow(
      { collectedOn: old.collectedOn, code: old.code, name: old.name, ...fields },
      old.patientId,
      master,
      actor.userId,
      null,
    );
    let filed: { id: string; patientId: string }[];
    try {
      filed = await file(tx, actor, [
        { ...row, name: old.name, supersedes: old.id, correctionReason: fields.reason },
      ]);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'この検査結果は他の端末で既に修正されています。画面を更新して最新の値を確認してください',
        });
      throw error;
    }
    await recordAccess(tx, actor, 'update', old.patientId, {
      what: 'lab-result-correction',
      resultId: old.id,
      code: old.code,
      collectedOn: old.collectedOn,
      from: `${old.value} ${old.unit}`.trim(),
      to: `${row.value} ${row.unit}`.trim(),
      reason: fields.reason,
      sealed: await sealResults(tx, actor, filed, old.patientId),
    });
    await queueSubmissions(tx, actor.facilityId, old.patientId, { labDays: [old.collectedOn] });
    return { corrected: old.id };
  });
}

async function mustExist(tx: Tx, actor: Actor, patientId: string) {
  if (!(await getPatient(tx, actor.facilityId, patientId)))
    throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
}

/** 累積表: the last collection dates, items as rows. */
export async function labCumulative(
  db: Database,
  actor: Actor,
  input: { patientId: string; dates: number; before?: string },
) {
  return db.transaction(async (tx) => {
    await mustExist(tx, actor, input.patientId);
    const t = await labTable(tx, actor.facilityId, input.patientId, input.dates, input.before);
    await recordAccess(tx, actor, 'read', input.patientId, { what: 'lab-table', dates: t.dates.length });
    return { dates: t.dates, results: t.rows.map(toResult) };
  });
}

/** 推移: one item over time. */
export async function labItemTrend(db: Database, actor: Actor, input: { patientId: string; code: string }) {
  return db.transaction(async (tx) => {
    await mustExist(tx, actor, input.patientId);
    const rows = await labTrend(tx, actor.facilityId, input.patientId, input.code);
    await recordAccess(tx, actor, 'read', input.patientId, {
      what: 'lab-trend',
      code: input.code,
      count: rows.length,
    });
    return rows.map(toResult);
  });
}
