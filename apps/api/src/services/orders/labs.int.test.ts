/** 検査結果: hand entry, CSV import (UTF-8/Shift_JIS, BOM, full width), all-or-nothing, duplicates, trend. */
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let clerk: TestClient;
let nurse: TestClient;
let doctor: TestClient;
let patientId: string;
let patientNumber: number;

const ALB = '3A015000002327101'; // JLAC10 ALB, serum (JP-CLINS core list)
const HBS = '5F016141002305151'; // JLAC10 HBs抗原(S/CO) (JP-CLINS infection list)
const b64 = (text: string) => Buffer.from(text).toString('base64');
const header = '患者番号,採取日,項目コード,結果値,単位,基準値,項目名';

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  nurse = await loginAs(app.url, 'nurse');
  doctor = await loginAs(app.url, 'doctor');
  const created = await clerk.reception.registerPatient.mutate({
    familyName: '検査',
    givenName: '花子',
    familyNameKana: 'ケンサ',
    givenNameKana: 'ハナコ',
    sex: 'female',
    birthDate: '1970-03-03',
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  patientId = created.patient.id;
  patientNumber = created.patient.patientNumber;
});
afterAll(() => app?.close());

describe('lab results', () => {
  it('imports a UTF-8 file with BOM and full-width digits, with H/L flags, after a preview', async () => {
    const file = `\uFEFF${header}\r\n${patientNumber},2026-10-01,${ALB},３．５,g/dL,3.8-5.2,\r\n${patientNumber},2026/10/01,L001,120,mg/dL,70-109,血糖（院内）\r\n`;
    const preview = await clerk.orders.previewLabImport.mutate({ fileName: 'oct.csv', base64: b64(file) });
    expect(preview.errors).toEqual([]);
    expect(preview.rows.map((r) => [r.code, r.codeSystem, r.name, r.value, r.flag])).toEqual([
      [ALB, 'jlac10', 'アルブミン', '3.5', 'L'],
      ['L001', 'local', '血糖（院内）', '120', 'H'],
    ]);
    // A clerk may check the file; filing it (it can change infection status) is for doctors and nurses.
    expect(
      await errorCodeOf(clerk.orders.importLabs.mutate({ fileName: 'oct.csv', base64: b64(file) })),
    ).toBe('FORBIDDEN');
    expect(await nurse.orders.importLabs.mutate({ fileName: 'oct.csv', base64: b64(file) })).toMatchObject({
      filed: 2,
    });
  });

  it('detects the same file imported twice and adds nothing', async () => {
    const file = `\uFEFF${header}\r\n${patientNumber},2026-10-01,${ALB},３．５,g/dL,3.8-5.2,\r\n${patientNumber},2026/10/01,L001,120,mg/dL,70-109,血糖（院内）\r\n`;
    const preview = await clerk.orders.previewLabImport.mutate({ fileName: 'again.csv', base64: b64(file) });
    expect(preview.duplicateOf?.fileName).toBe('oct.csv');
    expect(
      await errorCodeOf(nurse.orders.importLabs.mutate({ fileName: 'again.csv', base64: b64(file) })),
    ).toBe('CONFLICT');
    expect(await doctor.orders.labTrend.query({ patientId, code: ALB })).toHaveLength(1);
  });

  it('knows the same results in a file written differently: 和暦 and other date forms, row order, trailing newlines, no BOM', async () => {
    // oct.csv again, as another export would write it: the rows compare, not the bytes.
    const file = `${header}\n${patientNumber},R8.10.1,L001,120,mg/dL,70-109,血糖\n${patientNumber},20261001,${ALB},3.5,g/dL,3.8-5.2,\n\n\n`;
    const preview = await clerk.orders.previewLabImport.mutate({
      fileName: 'rewritten.csv',
      base64: b64(file),
    });
    expect(preview.errors).toEqual([]);
    expect(preview.duplicateOf?.fileName).toBe('oct.csv');
    expect(
      await errorCodeOf(nurse.orders.importLabs.mutate({ fileName: 'rewritten.csv', base64: b64(file) })),
    ).toBe('CONFLICT');
    expect(await doctor.orders.labTrend.query({ patientId, code: ALB })).toHaveLength(1);
  });

  it('imports a Shift_JIS file', async () => {
    const text = `${header}\n${patientNumber},R8.11.01,${ALB},4.0,g/dL,3.8～5.2,\n`;
    const sjis = iconv.encode(text, 'Shift_JIS');
    expect(Buffer.from(text).equals(sjis)).toBe(false);
    await nurse.orders.importLabs.mutate({ fileName: 'nov.csv', base64: sjis.toString('base64') });
    const trend = await doctor.orders.labTrend.query({ patientId, code: ALB });
    expect(trend.map((r) => [r.collectedOn, r.valueNum, r.flag])).toEqual([
      ['2026-10-01', 3.5, 'L'],
      ['2026-11-01', 4, ''],
    ]);
  });

  it('a file with one bad row imports nothing and names the row and column', async () => {
    const file = `${header}\n${patientNumber},2026-11-10,${ALB},4.1,g/dL,3.8-5.2,\n${patientNumber},2026-11-10,${ALB},,g/dL,3.8-5.2,\n99999,2026-11-10,${ALB},4.0,g/dL,,\n`;
    const preview = await clerk.orders.previewLabImport.mutate({ fileName: 'bad.csv', base64: b64(file) });
    expect(preview.errors).toEqual([
      { line: 3, column: '結果値', message: '結果値を入力してください' },
      { line: 4, column: '患者番号', message: '患者番号 99999 の患者がいません' },
    ]);
    const err = await nurse.orders.importLabs
      .mutate({ fileName: 'bad.csv', base64: b64(file) })
      .catch((e) => e);
    expect(err.data.code).toBe('BAD_REQUEST');
    expect(err.message).toContain('3行目「結果値」');
    expect(await doctor.orders.labTrend.query({ patientId, code: ALB })).toHaveLength(2);
  });

  it('hand entry: an HBs antigen result moves the infection status in the header', async () => {
    await doctor.orders.addLabResults.mutate({
      patientId,
      results: [{ collectedOn: '2026-11-20', code: HBS, name: '', value: '陽性', unit: '', range: '陰性' }],
    });
    const summary = await doctor.chart.summary.query({ patientId });
    expect(summary.infections).toContainEqual({ kind: 'HBs', result: 'positive', testedOn: '2026-11-20' });
    const err = await doctor.orders.addLabResults
      .mutate({
        patientId,
        results: [{ collectedOn: '2026-11-20', code: ALB, name: '', value: '4', unit: '', range: '5-3' }],
      })
      .catch((e) => e);
    expect(err.data.fieldErrors).toEqual({
      'results.0.range': '基準値は「下限-上限」の形で入力してください',
    });
  });

  it('shows a cumulative table by collection date, newest first', async () => {
    const table = await doctor.orders.labTable.query({ patientId, dates: 10 });
    expect(table.dates).toEqual(['2026-11-20', '2026-11-01', '2026-10-01']);
    expect(table.results.filter((r) => r.code === ALB).map((r) => r.collectedOn)).toEqual([
      '2026-11-01',
      '2026-10-01',
    ]);
  });

  it('filed results cannot be changed or removed, even by the application connection', async () => {
    const refused = async (q: ReturnType<typeof sql>) => {
      const err = await app.karte.db.execute(q).then(
        () => null,
        (e: Error) => e,
      );
      return String((err?.cause as Error | undefined)?.message ?? err?.message);
    };
    expect(await refused(sql`update lab_results set value = '9.9'`)).toMatch(/not allowed/);
    expect(await refused(sql`delete from lab_results`)).toMatch(/not allowed/);
    expect(await refused(sql`truncate lab_results cascade`)).toMatch(/not allowed/);
  });

  it('修正: a new result takes the place of the old one, with the reason; the old row stays; twice is a conflict', async () => {
    const [oct] = await doctor.orders.labTrend.query({ patientId, code: ALB });
    expect(oct).toMatchObject({ collectedOn: '2026-10-01', value: '3.5', correction: null });
    // The reason is required, beside the field; nothing is filed without it.
    const err = await doctor.orders.correctLabResult
      .mutate({
        resultId: oct!.id,
        correction: { value: '4.5', unit: 'g/dL', range: '3.8-5.2', reason: ' ' },
      })
      .catch((e) => e);
    expect(err.data.fieldErrors).toEqual({ 'correction.reason': '修正の理由を入力してください' });
    await doctor.orders.correctLabResult.mutate({
      resultId: oct!.id,
      correction: { value: '4.5', unit: 'g/dL', range: '3.8-5.2', reason: '転記誤り' },
    });
    const trend = await doctor.orders.labTrend.query({ patientId, code: ALB });
    expect(trend.map((r) => [r.collectedOn, r.value, r.flag])).toEqual([
      ['2026-10-01', '4.5', ''],
      ['2026-11-01', expect.any(String), expect.any(String)],
    ]);
    expect(trend[0]?.correction).toMatchObject({
      previousValue: '3.5',
      previousUnit: 'g/dL',
      reason: '転記誤り',
    });
    const table = await doctor.orders.labTable.query({ patientId, dates: 10 });
    expect(
      table.results.filter((r) => r.code === ALB && r.collectedOn === '2026-10-01').map((r) => r.value),
    ).toEqual(['4.5']);
    // The old row is still there, as filed.
    const old = await app.karte.db.execute(
      sql`select value, supersedes from lab_results where id = ${oct!.id}`,
    );
    const oldRows =
      (old as unknown as { rows?: { value: string }[] }).rows ?? (old as unknown as { value: string }[]);
    expect(oldRows[0]?.value).toBe('3.5');
    // Someone correcting the same (now replaced) result from a stale screen: a conflict, nothing filed.
    expect(
      await errorCodeOf(
        doctor.orders.correctLabResult.mutate({
          resultId: oct!.id,
          correction: { value: '4.0', unit: 'g/dL', range: '', reason: '再修正' },
        }),
      ),
    ).toBe('CONFLICT');
    expect((await doctor.orders.labTrend.query({ patientId, code: ALB }))[0]?.value).toBe('4.5');
    // The correction itself can be corrected: a chain, the latest wins.
    await doctor.orders.correctLabResult.mutate({
      resultId: trend[0]!.id,
      correction: { value: '4.4', unit: 'g/dL', range: '3.8-5.2', reason: '再検で確認' },
    });
    const again = await doctor.orders.labTrend.query({ patientId, code: ALB });
    expect(again[0]).toMatchObject({
      value: '4.4',
      correction: { previousValue: '4.5', reason: '再検で確認' },
    });
    // A correction without a reason cannot even be written directly.
    await expect(
      app.karte.db.execute(
        sql`insert into lab_results (facility_id, patient_id, collected_on, code, code_system, name, value, supersedes, entered_by)
            select facility_id, patient_id, collected_on, code, code_system, name, '1', id, entered_by
            from lab_results where id = ${again[0]!.id}`,
      ),
    ).rejects.toThrow();
  });

  it('修正 of an infection result moves the infection status', async () => {
    const [hbs] = await doctor.orders.labTrend.query({ patientId, code: HBS });
    expect(hbs?.value).toBe('陽性');
    await doctor.orders.correctLabResult.mutate({
      resultId: hbs!.id,
      correction: { value: '陰性', unit: '', range: '陰性', reason: '検体取り違え' },
    });
    const summary = await doctor.chart.summary.query({ patientId });
    expect(summary.infections).toContainEqual({ kind: 'HBs', result: 'negative', testedOn: '2026-11-20' });
    expect(summary.infections).not.toContainEqual({
      kind: 'HBs',
      result: 'positive',
      testedOn: '2026-11-20',
    });
  });
});
