/** バイタル・問診: ranges as field errors, immutability, corrections, 問診 versions and conflicts, the SOAP prefill. */
import { insertVitalSigns, latestWeightKg, schema } from '@karte/db';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodeOf, loginAs, startTestApp, type TestApp, type TestClient } from '../../testing';

let app: TestApp;
let clerk: TestClient;
let nurse: TestClient;
let doctor: TestClient;
let admin: TestClient;
let patientId: string;
let visitId: string;

const none = {
  temperature: null,
  systolic: null,
  diastolic: null,
  pulse: null,
  spo2: null,
  heightCm: null,
  weightKg: null,
};
const intake = {
  chiefComplaint: '咳と発熱',
  course: '3日前から。昨夜38℃',
  medication: 'なし',
  allergy: 'yes' as const,
  allergyDetail: 'ペニシリン',
  pregnancy: 'na' as const,
};

async function register(familyName: string) {
  const created = await clerk.reception.registerPatient.mutate({
    familyName,
    givenName: '一郎',
    familyNameKana: 'バイタル',
    givenNameKana: 'イチロウ',
    sex: 'male',
    birthDate: '1960-05-05',
    postalCode: '',
    address: '',
    phone: '',
    confirmDuplicate: true,
  });
  if (created.status !== 'created') throw new Error('setup');
  return created.patient.id;
}

beforeAll(async () => {
  app = await startTestApp();
  clerk = await loginAs(app.url, 'clerk');
  nurse = await loginAs(app.url, 'nurse');
  doctor = await loginAs(app.url, 'doctor');
  admin = await loginAs(app.url, 'admin');
  patientId = await register('測定');
  visitId = (
    await clerk.reception.checkIn.mutate({ patientId, purpose: '再診', department: '内科', memo: '' })
  ).id;
});
afterAll(() => app?.close());

describe('vital signs', () => {
  it('a clerk at check-in and a nurse record any subset; today merges into the O line with BMI', async () => {
    await clerk.vitals.record.mutate({
      patientId,
      visitId,
      values: { ...none, heightCm: 170, weightKg: 65 },
    });
    await nurse.vitals.record.mutate({
      patientId,
      visitId,
      values: { ...none, temperature: 36.8, systolic: 128, diastolic: 76, pulse: 72, spo2: 98 },
    });
    const list = await doctor.vitals.list.query({ patientId });
    expect(list.rows).toHaveLength(2);
    expect(list.rows[1]?.enteredBy).not.toBe('');
    expect(list.today?.line).toBe('T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5');
    expect(list.today?.bmi).toBe(22.5);
  });

  it('accepts abnormal but possible values and flags them', async () => {
    const other = await register('発熱');
    await nurse.vitals.record.mutate({
      patientId: other,
      visitId: null,
      values: { ...none, temperature: 39.5, spo2: 90 },
    });
    const list = await nurse.vitals.list.query({ patientId: other });
    expect(list.rows[0]?.flags).toMatchObject({ temperature: 'H', spo2: 'L', pulse: '' });
  });

  it('refuses out-of-range values as BAD_REQUEST with field errors, never a 500, and files nothing', async () => {
    const cases: [Record<string, number | null>, Record<string, string>][] = [
      [{ temperature: 368 }, { 'values.temperature': '体温は30〜45℃の範囲で入力してください' }],
      [{ temperature: 29.9 }, { 'values.temperature': '体温は30〜45℃の範囲で入力してください' }],
      [
        { systolic: 1280, diastolic: 76 },
        { 'values.systolic': '血圧（収縮期）は40〜300mmHgの範囲で入力してください' },
      ],
      [
        { systolic: 70, diastolic: 80 },
        { 'values.diastolic': '拡張期血圧は収縮期血圧より低い値を入力してください' },
      ],
      [{ pulse: 300 }, { 'values.pulse': '脈拍は20〜250/分の範囲で入力してください' }],
      [{ spo2: 101 }, { 'values.spo2': 'SpO2は50〜100%の範囲で入力してください' }],
      [{ heightCm: 2500 }, { 'values.heightCm': '身長は20〜250cmの範囲で入力してください' }],
      [{ weightKg: 0 }, { 'values.weightKg': '体重は0.2〜300kgの範囲で入力してください' }],
      [{ weightKg: 1e300 }, { 'values.weightKg': '体重は0.2〜300kgの範囲で入力してください' }],
      [{}, { 'values.temperature': 'いずれかの値を入力してください' }],
    ];
    for (const [values, fieldErrors] of cases) {
      const err = await nurse.vitals.record
        .mutate({ patientId, visitId, values: { ...none, ...values } })
        .catch((e) => e);
      expect(err.data?.code, JSON.stringify(values)).toBe('BAD_REQUEST');
      expect(err.data?.httpStatus).toBe(400);
      expect(err.data?.fieldErrors).toEqual(fieldErrors);
    }
    expect((await doctor.vitals.list.query({ patientId })).rows).toHaveLength(2);
  });

  it('the database refuses what the contract refuses, should anything get past it', async () => {
    const err = await app.karte.db
      .execute(
        sql`insert into vital_signs (facility_id, patient_id, measured_at, temperature)
            select facility_id, id, now(), 50.0 from patients where id = ${patientId}`,
      )
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(String((err?.cause as Error | undefined)?.message ?? err?.message)).toMatch(/vital_signs_ranges/);
  });

  it('filed vitals and 問診 versions cannot be changed or removed, even by the application connection', async () => {
    const refused = async (q: ReturnType<typeof sql>) => {
      const err = await app.karte.db.execute(q).then(
        () => null,
        (e: Error) => e,
      );
      return String((err?.cause as Error | undefined)?.message ?? err?.message);
    };
    expect(await refused(sql`update vital_signs set pulse = 60`)).toMatch(/not allowed/);
    expect(await refused(sql`delete from vital_signs`)).toMatch(/not allowed/);
    expect(await refused(sql`truncate vital_signs cascade`)).toMatch(/not allowed/);
    await clerk.vitals.saveIntake.mutate({ visitId, baseVersion: 0, fields: intake });
    expect(await refused(sql`update intakes set chief_complaint = 'x'`)).toMatch(/not allowed/);
    expect(await refused(sql`delete from intakes`)).toMatch(/not allowed/);
  });

  it("修正: a new row takes the old one's place with a reason; the old row stays; a second correction of it conflicts", async () => {
    const before = await nurse.vitals.list.query({ patientId });
    const bp = before.rows.find((r) => r.values.systolic !== null);
    if (!bp) throw new Error('setup');
    const noReason = await nurse.vitals.correct
      .mutate({ vitalId: bp.id, correction: { values: bp.values, reason: '' } })
      .catch((e) => e);
    expect(noReason.data?.fieldErrors).toEqual({ 'correction.reason': '修正理由を入力してください' });
    await nurse.vitals.correct.mutate({
      vitalId: bp.id,
      correction: { values: { ...bp.values, pulse: 82 }, reason: '転記誤り' },
    });
    const after = await nurse.vitals.list.query({ patientId });
    expect(after.rows).toHaveLength(2);
    expect(after.rows.find((r) => r.corrected)).toMatchObject({
      correctionReason: '転記誤り',
      values: { pulse: 82, systolic: 128 },
    });
    expect(after.today?.line).toContain('P 82');
    const [{ n }] = (await app.karte.db
      .select({ n: count() })
      .from(schema.vitalSigns)
      .where(eq(schema.vitalSigns.patientId, patientId))) as [{ n: number }];
    expect(n).toBe(3);
    expect(
      await errorCodeOf(
        doctor.vitals.correct.mutate({
          vitalId: bp.id,
          correction: { values: { ...bp.values, pulse: 90 }, reason: '再修正' },
        }),
      ),
    ).toBe('CONFLICT');
  });

  it('roles: nurses, clerks and doctors enter; an admin reads only', async () => {
    expect(
      await errorCodeOf(admin.vitals.record.mutate({ patientId, visitId, values: { ...none, pulse: 70 } })),
    ).toBe('FORBIDDEN');
    expect((await admin.vitals.list.query({ patientId })).rows.length).toBeGreaterThan(0);
  });
});

describe('latestWeightKg', () => {
  it('is the newest current weight within 30 days of the date, else null', async () => {
    const child = await register('小児');
    const [{ facilityId }] = (await app.karte.db
      .select({ facilityId: schema.patients.facilityId })
      .from(schema.patients)
      .where(eq(schema.patients.id, child))) as [{ facilityId: string }];
    const db = app.karte.db;
    const at = (iso: string) => new Date(iso);
    expect(await latestWeightKg(db, facilityId, child, '2026-06-30')).toBeNull();
    await insertVitalSigns(db, facilityId, {
      patientId: child,
      visitId: null,
      measuredAt: at('2026-05-20T01:00:00Z'),
      values: { ...none, weightKg: 12.5 },
      enteredBy: null as unknown as string,
    });
    const june = await insertVitalSigns(db, facilityId, {
      patientId: child,
      visitId: null,
      measuredAt: at('2026-06-10T01:00:00Z'),
      values: { ...none, weightKg: 13.2, temperature: 37.0 },
      enteredBy: null as unknown as string,
    });
    // A later measurement without a weight does not hide the last weight.
    await insertVitalSigns(db, facilityId, {
      patientId: child,
      visitId: null,
      measuredAt: at('2026-06-20T01:00:00Z'),
      values: { ...none, temperature: 36.5 },
      enteredBy: null as unknown as string,
    });
    expect(await latestWeightKg(db, facilityId, child, '2026-06-30')).toBe(13.2);
    // The date itself counts (Japan's day: 2026-06-10 10:00 JST), days after it do not.
    expect(await latestWeightKg(db, facilityId, child, '2026-06-10')).toBe(13.2);
    expect(await latestWeightKg(db, facilityId, child, '2026-06-09')).toBe(12.5);
    // Older than 30 days: none.
    expect(await latestWeightKg(db, facilityId, child, '2026-07-11')).toBeNull();
    expect(await latestWeightKg(db, facilityId, child, '2026-07-10')).toBe(13.2);
    // A correction's value replaces the corrected one.
    await insertVitalSigns(db, facilityId, {
      patientId: child,
      visitId: null,
      measuredAt: june.measuredAt,
      values: { ...none, weightKg: 12.3 },
      enteredBy: null as unknown as string,
      supersedes: june.id,
      correctionReason: '単位の誤り',
    });
    expect(await latestWeightKg(db, facilityId, child, '2026-06-30')).toBe(12.3);
    // Another facility's id sees nothing.
    expect(await latestWeightKg(db, '00000000-0000-4000-8000-000000000000', child, '2026-06-30')).toBeNull();
  });
});

describe('問診', () => {
  it('each save is a new version; a save based on an older version is a CONFLICT', async () => {
    const p = await register('問診');
    const v = (
      await clerk.reception.checkIn.mutate({ patientId: p, purpose: '初診', department: '内科', memo: '' })
    ).id;
    expect((await nurse.vitals.intake.query({ visitId: v })).intake).toBeNull();
    expect(await clerk.vitals.saveIntake.mutate({ visitId: v, baseVersion: 0, fields: intake })).toEqual({
      version: 1,
    });
    expect(
      await nurse.vitals.saveIntake.mutate({
        visitId: v,
        baseVersion: 1,
        fields: { ...intake, medication: 'アムロジピン5mg' },
      }),
    ).toEqual({ version: 2 });
    // Someone still on version 1 saves: refused, nothing overwritten.
    expect(
      await errorCodeOf(
        clerk.vitals.saveIntake.mutate({ visitId: v, baseVersion: 1, fields: { ...intake, course: '古い' } }),
      ),
    ).toBe('CONFLICT');
    expect(
      await errorCodeOf(clerk.vitals.saveIntake.mutate({ visitId: v, baseVersion: 0, fields: intake })),
    ).toBe('CONFLICT');
    const got = await doctor.vitals.intake.query({ visitId: v });
    expect(got.intake).toMatchObject({ version: 2, fields: { medication: 'アムロジピン5mg' } });
    expect(got.intake?.text).toBe(
      '主訴: 咳と発熱\n経過: 3日前から。昨夜38℃\n服薬: アムロジピン5mg\nアレルギー: あり（ペニシリン）',
    );
    const [{ n }] = (await app.karte.db
      .select({ n: count() })
      .from(schema.intakes)
      .where(eq(schema.intakes.visitId, v))) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('field errors in Japanese beside the field', async () => {
    const err = await clerk.vitals.saveIntake
      .mutate({ visitId, baseVersion: 1, fields: { ...intake, chiefComplaint: ' ', allergyDetail: '' } })
      .catch((e) => e);
    expect(err.data?.code).toBe('BAD_REQUEST');
    expect(err.data?.fieldErrors).toEqual({
      'fields.chiefComplaint': '主訴を入力してください',
      'fields.allergyDetail': 'アレルギーの内容を入力してください',
    });
  });
});

describe('the SOAP draft from the 問診 and vitals', () => {
  it("a doctor opening the visit gets S from the 問診 and O from today's vitals as a draft", async () => {
    // visitId has vitals (corrected above) and a 問診 version 1.
    const enc = await doctor.chart.openEncounter.mutate({ patientId, visitId });
    const chart = await doctor.chart.chart.query({ patientId });
    const today = chart.encounters.find((e) => e.id === enc.id);
    expect(today?.entries).toHaveLength(1);
    expect(today?.entries[0]?.draft).toEqual({
      s: '主訴: 咳と発熱\n経過: 3日前から。昨夜38℃\n服薬: なし\nアレルギー: あり（ペニシリン）',
      o: 'T 36.8℃ BP 128/76 P 82 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
      a: '',
      p: '',
    });
    // Opening again changes nothing (the encounter exists).
    await doctor.chart.openEncounter.mutate({ patientId, visitId });
    expect((await doctor.chart.chart.query({ patientId })).encounters[0]?.entries).toHaveLength(1);
    // What the editor offers to take in when the draft already existed.
    expect(await nurse.vitals.draftSources.query({ encounterId: enc.id })).toEqual({
      intakeText: today?.entries[0]?.draft && (today.entries[0].draft as { s: string }).s,
      intakeVersion: 1,
      vitalsLine: 'T 36.8℃ BP 128/76 P 82 SpO2 98% 身長 170cm 体重 65kg BMI 22.5',
    });
  });

  it('a visit with neither gets no draft; a nurse opening gets none either', async () => {
    const p = await register('空');
    const v = (
      await clerk.reception.checkIn.mutate({ patientId: p, purpose: '再診', department: '内科', memo: '' })
    ).id;
    await doctor.chart.openEncounter.mutate({ patientId: p, visitId: v });
    expect((await doctor.chart.chart.query({ patientId: p })).encounters[0]?.entries).toEqual([]);
    const q = await register('看護');
    const w = (
      await clerk.reception.checkIn.mutate({ patientId: q, purpose: '再診', department: '内科', memo: '' })
    ).id;
    await clerk.vitals.saveIntake.mutate({ visitId: w, baseVersion: 0, fields: intake });
    await nurse.chart.openEncounter.mutate({ patientId: q, visitId: w });
    expect((await doctor.chart.chart.query({ patientId: q })).encounters[0]?.entries).toEqual([]);
  });
});
