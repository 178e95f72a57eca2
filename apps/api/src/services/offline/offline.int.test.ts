/**
 * The offline export end to end through the API: the administrator sets the passphrase, makes the day's file,
 * downloads it; decrypted with the same algorithm as the page, it holds today's and recent patients with their
 * allergies, prescriptions, notes and labs — and in clear text nothing personal. Every patient read is audited.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { insertVisit, searchAudit } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFacility,
  errorCodeOf,
  loginAs,
  startTestApp,
  type TestApp,
  type TestClient,
} from '../../testing';
import { decryptOffline, envelopeOfHtml, sha256Hex } from './crypto';
import { exportAllFacilities } from './export';
import type { OfflineDocument } from './html';

const PASSPHRASE = '雪の朝に窓口で開く-2026';
let app: TestApp;
let a: Awaited<ReturnType<typeof addFacility>>;
let b: Awaited<ReturnType<typeof addFacility>>;
let aAdmin: TestClient;
const today = todayInJapan();
const daysAgo = (n: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

const person = (familyName: string, familyNameKana: string, birthDate: string) => ({
  familyName,
  givenName: '花子',
  familyNameKana,
  givenNameKana: 'ハナコ',
  sex: 'female' as const,
  birthDate,
  postalCode: '',
  address: '東京都千代田区1-1',
  phone: '03-1234-5678',
});
const ids: Record<string, { id: string; patientNumber: number }> = {};

beforeAll(async () => {
  app = await startTestApp({ demo: false }, { seed: false });
  a = await addFacility(app.karte, '0110113719', 'a');
  b = await addFacility(app.karte, '1310123458', 'b');
  const clerk = await loginAs(app.url, 'a-clerk');
  for (const [key, name, kana, birth] of [
    ['today', '今日野', 'キョウノ', '1975-04-01'],
    ['recent', '先週田', 'センシュウダ', '1990-06-15'],
    ['old', '昔川', 'ムカシカワ', '1960-01-20'],
    ['never', '未来山', 'ミライヤマ', '2001-02-03'],
  ] as const) {
    const r = await clerk.reception.registerPatient.mutate(person(name, kana, birth));
    if (r.status !== 'created') throw new Error('setup');
    ids[key] = r.patient;
  }
  const p = ids.today as { id: string; patientNumber: number };
  await clerk.reception.saveCoverage.mutate({
    patientId: p.id,
    basedOn: null,
    coverage: {
      insurerNumber: '01130012',
      symbol: '１２３',
      number: '４５６',
      branch: '01',
      relationship: 'self',
      acquiredOn: '2020-04-01',
      validUntil: '',
      limitCategory: '',
      wariOverride: '',
    },
  });
  const visit = await clerk.reception.checkIn.mutate({
    patientId: p.id,
    purpose: '再診',
    department: '内科',
    memo: '',
  });
  const doctor = await loginAs(app.url, 'a-doctor');
  const encounterId = (await doctor.chart.openEncounter.mutate({ patientId: p.id, visitId: visit.id })).id;
  const note = await doctor.chart.saveDraft.mutate({
    encounterId,
    entryId: null,
    baseRev: 0,
    content: { s: '咳が3日続く', o: '咽頭発赤あり', a: '急性上気道炎', p: '経過観察' },
    doctorId: null,
  });
  if (note.status !== 'saved') throw new Error('setup');
  await doctor.chart.confirm.mutate({ entryId: note.entryId, baseRev: note.draftRev, reason: '' });
  await doctor.chart.addAllergy.mutate({
    patientId: p.id,
    allergy: {
      category: 'drug',
      drugCode: null,
      substance: 'ペニシリン系抗菌薬',
      criticality: 'high',
      reaction: '全身の蕁麻疹',
      onsetDate: '',
      status: 'active',
    },
  });
  await doctor.chart.addInfection.mutate({
    patientId: p.id,
    infection: { kind: 'HBs', result: 'positive', testedOn: daysAgo(30) },
  });
  const rx = await doctor.orders.saveDraft.mutate({
    encounterId,
    entryId: null,
    baseRev: 0,
    content: {
      place: 'outside',
      rps: [
        {
          usageCode: '1013044400000000',
          usageText: '１日３回朝昼夕食後　服用',
          kind: 'oral',
          days: 7,
          times: null,
          drugs: [
            { code: '1149019F1560', generic: false, name: 'ロキソニン錠６０ｍｇ', dose: 1, unit: 'TAB' },
          ],
        },
      ],
      overrides: [],
    },
    doctorId: null,
  });
  if (rx.status !== 'saved') throw new Error('setup');
  await doctor.orders.confirm.mutate({
    entryId: rx.entryId,
    baseRev: rx.draftRev,
    reason: '',
    overrides: [],
  });
  const csv = `患者番号,採取日,項目コード,結果値,単位,基準値\n${p.patientNumber},${daysAgo(2)},3A015000002327101,4.2,g/dL,3.8-5.2\n`;
  await doctor.orders.importLabs.mutate({ fileName: 'a.csv', base64: Buffer.from(csv).toString('base64') });
  // Seen 5 days ago (recent) and 40 days ago (too old to be listed).
  for (const [key, date] of [
    ['recent', daysAgo(5)],
    ['old', daysAgo(40)],
  ] as const)
    await insertVisit(app.karte.db, a.facility.id, a.users.clerk, {
      patientId: ids[key]?.id ?? '',
      visitDate: date,
      purpose: '再診',
      department: '内科',
      memo: '',
      coverageId: null,
      eligibilityConfirmed: 0,
    });
  // Another clinic's patient on today's board: never in A's file.
  const bClerk = await loginAs(app.url, 'b-clerk');
  const bp = await bClerk.reception.registerPatient.mutate(person('他院野', 'タインノ', '1970-07-07'));
  if (bp.status !== 'created') throw new Error('setup');
  await bClerk.reception.checkIn.mutate({
    patientId: bp.patient.id,
    purpose: '初診',
    department: '内科',
    memo: '',
  });
  aAdmin = await loginAs(app.url, 'a-admin');
});
afterAll(() => app?.close());

describe('offline export', () => {
  it('needs a passphrase first; a weak or mismatched one is refused beside its field', async () => {
    expect((await aAdmin.offline.status.query()).passphraseSet).toBe(false);
    expect(await errorCodeOf(aAdmin.offline.exportNow.mutate())).toBe('PRECONDITION_FAILED');
    for (const [input, field] of [
      [{ passphrase: 'short', confirm: 'short' }, 'passphrase'],
      [{ passphrase: 'aaaaaaaaaaaaaaaa', confirm: 'aaaaaaaaaaaaaaaa' }, 'passphrase'],
      [{ passphrase: PASSPHRASE, confirm: `${PASSPHRASE}x` }, 'confirm'],
    ] as const) {
      const error = await aAdmin.offline.setPassphrase.mutate(input).catch((e: unknown) => e);
      const data = (error as { data?: { code?: string; fieldErrors?: Record<string, string> } }).data;
      expect(data?.code).toBe('BAD_REQUEST');
      expect(data?.fieldErrors?.[field]).toMatch(/パスフレーズ/);
    }
  });

  it('makes a file that holds the expected and recent patients, decrypted with the passphrase only', async () => {
    await aAdmin.offline.setPassphrase.mutate({ passphrase: PASSPHRASE, confirm: PASSPHRASE });
    // The key file: outside the database, 0600, and not the passphrase.
    const keyPath = join(app.config.offline.keyDir, `${a.facility.id}.key`);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(keyPath, 'utf8')).not.toContain(PASSPHRASE);

    const meta = await aAdmin.offline.exportNow.mutate();
    expect(meta).toMatchObject({ date: today, patients: 2, expected: 1, recent: 1, trigger: 'manual' });
    const status = await aAdmin.offline.status.query();
    expect(status.files.map((f) => f.sha256)).toEqual([meta.sha256]);

    const { html, fileName } = await aAdmin.offline.download.query({ date: today });
    expect(fileName).toBe(`karte-offline-${today}.html`);
    // Nothing personal in clear text.
    for (const secret of [
      '今日野',
      'キョウノ',
      '先週田',
      'ペニシリン',
      'ロキソニン',
      '咳が3日続く',
      '1975-04-01',
      '03-1234-5678',
    ])
      expect(html).not.toContain(secret);
    const embedded = envelopeOfHtml(html);
    if (!embedded) throw new Error('no envelope');
    expect(sha256Hex(embedded.text)).toBe(meta.sha256);
    expect(html).toContain(meta.sha256);
    // Beside the file: the hash.
    const besideHash = await readFile(
      join(app.config.offline.dir, a.facility.id, `${today}.html.sha256`),
      'utf8',
    );
    expect(besideHash.startsWith(meta.sha256)).toBe(true);

    await expect(decryptOffline(embedded.envelope, 'まちがったパスフレーズです')).rejects.toThrow();
    const doc = JSON.parse(
      (await decryptOffline(embedded.envelope, PASSPHRASE)).plaintext,
    ) as OfflineDocument;
    expect(doc.patients.map((p) => [p.group, p.number])).toEqual([
      ['expected', ids.today?.patientNumber],
      ['recent', ids.recent?.patientNumber],
    ]);
    const p = doc.patients[0];
    expect(p?.name).toBe('今日野 花子');
    expect(p?.kana).toBe('キョウノ ハナコ');
    expect(p?.birth).toMatch(/^1975-04-01（昭和50年4月1日）\d+歳$/);
    expect(p?.insurance[0]).toContain('01130012');
    expect(p?.allergies[0]).toMatchObject({
      category: '薬剤',
      substance: 'ペニシリン系抗菌薬',
      criticality: '高',
    });
    expect(p?.infections[0]).toMatchObject({ kind: 'HBs抗原', result: '陽性' });
    expect(p?.notes[0]).toMatchObject({ s: '咳が3日続く', a: '急性上気道炎' });
    expect(p?.prescriptions[0]?.lines.join('\n')).toContain('ロキソニン錠６０ｍｇ 1錠');
    expect(p?.prescriptions[0]?.lines[0]).toContain('（服用中）');
    expect(p?.labs.rows[0]?.values).toContain('4.2');
    expect(JSON.stringify(doc)).not.toContain('他院野');
    expect(JSON.stringify(doc)).not.toContain('昔川');
  });

  it('audits every patient in the file as a read, and the download', async () => {
    for (const key of ['today', 'recent'] as const) {
      const events = await searchAudit(app.karte.db, a.facility.id, { patientId: ids[key]?.id, limit: 500 });
      expect(events.some((e) => e.action === 'offline-export' && e.procedure === 'offline.exportNow')).toBe(
        true,
      );
    }
    const old = await searchAudit(app.karte.db, a.facility.id, { patientId: ids.old?.id, limit: 500 });
    expect(old.some((e) => e.action === 'offline-export')).toBe(false);
    const all = await searchAudit(app.karte.db, a.facility.id, { limit: 500 });
    for (const action of ['offline-passphrase', 'offline-export-file', 'offline-download'])
      expect(
        all.some((e) => e.action === action),
        action,
      ).toBe(true);
  });

  it('the schedule makes the file of each facility with a passphrase, and skips the others', async () => {
    const made = await exportAllFacilities(app.karte.db, app.config.offline);
    expect(made.map((m) => m.facilityId)).toEqual([a.facility.id]);
    expect(made[0]?.meta.trigger).toBe('schedule');
    const events = await searchAudit(app.karte.db, a.facility.id, { patientId: ids.today?.id, limit: 500 });
    expect(events.some((e) => e.action === 'offline-export' && e.procedure === 'job.offlineExport')).toBe(
      true,
    );
    await expect((await loginAs(app.url, 'b-admin')).offline.status.query()).resolves.toMatchObject({
      passphraseSet: false,
      files: [],
    });
    await expect(stat(join(app.config.offline.dir, b.facility.id))).rejects.toThrow();
  });
});
