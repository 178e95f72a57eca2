import { type Database, insertIntake, insertVitalSigns, schema } from '@karte/db';
import { todayInJapan } from '@karte/domain';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../services/audit';
import { checkIn } from '../services/reception/visits';

// The demo clinic's バイタル: the first 20 patients measured every 2–4 weeks for six months (so the chart's
// trend shows real use), and one patient checked in today with vitals and a 問診 waiting for the doctor.

/** A small deterministic generator: the same demo clinic on every first start. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const DAY = 86_400_000;

export async function seedDemoVitals(db: Database, facilityId: string, clerkId: string, nurseId: string) {
  const people = await db
    .select({ id: schema.patients.id })
    .from(schema.patients)
    .where(eq(schema.patients.facilityId, facilityId))
    .orderBy(asc(schema.patients.patientNumber))
    .limit(20);
  const rand = random(15);
  const todayStart = Date.parse(`${todayInJapan()}T00:00:00+09:00`);
  const rows: (typeof schema.vitalSigns.$inferInsert)[] = [];
  for (const person of people) {
    const height = round(150 + rand() * 30, 1);
    // BMI 19–28: a plausible weight for the height.
    let weight = round((19 + rand() * 9) * (height / 100) ** 2, 1);
    const systolic = 108 + Math.floor(rand() * 36);
    // From about six months ago up to last week, a measurement every 14–28 days at 9:00–12:00.
    for (let day = 180 - Math.floor(rand() * 10); day >= 7; day -= 14 + Math.floor(rand() * 15)) {
      weight = round(weight + (rand() - 0.5) * 1.2, 1);
      const sys = systolic + Math.round((rand() - 0.5) * 16);
      rows.push({
        facilityId,
        patientId: person.id,
        visitId: null,
        measuredAt: new Date(todayStart - day * DAY + (9 + rand() * 3) * 3_600_000),
        temperature: String(round(36.2 + rand() * 0.9, 1)),
        systolic: sys,
        diastolic: Math.min(sys - 20, 65 + Math.round(rand() * 20)),
        pulse: 60 + Math.floor(rand() * 30),
        spo2: 96 + Math.floor(rand() * 4),
        heightCm: String(height),
        weightKg: String(weight),
        enteredBy: nurseId,
      });
    }
  }
  // One bulk insert per 500 rows.
  for (let i = 0; i < rows.length; i += 500)
    await db.insert(schema.vitalSigns).values(rows.slice(i, i + 500));

  // Patient 7 (after the chart's 1–2 and 会計's 3–6): checked in today with a fever, vitals and a 問診.
  const [, , , , , , seventh] = people;
  if (!seventh) return { rows: rows.length };
  const clerk: Actor = { facilityId, userId: clerkId, procedure: 'system.seed' };
  const visit = await checkIn(db, clerk, {
    patientId: seventh.id,
    purpose: '発熱',
    department: '内科',
    memo: '問診・バイタル入力済み',
  });
  await db.transaction(async (tx) => {
    await insertVitalSigns(tx, facilityId, {
      patientId: seventh.id,
      visitId: visit.id,
      measuredAt: new Date(),
      values: {
        temperature: 38.4,
        systolic: 132,
        diastolic: 84,
        pulse: 96,
        spo2: 96,
        heightCm: null,
        weightKg: null,
      },
      enteredBy: nurseId,
    });
    await insertIntake(tx, facilityId, {
      patientId: seventh.id,
      visitId: visit.id,
      version: 1,
      fields: {
        chiefComplaint: '発熱と咳',
        course: '2日前から38℃台の発熱。咳と咽頭痛あり。家族に同様の症状なし',
        medication: 'アムロジピン錠5mg 1日1回',
        allergy: 'yes',
        allergyDetail: 'ペニシリン（発疹）',
        pregnancy: 'na',
      },
      enteredBy: clerkId,
    });
  });
  return { rows: rows.length };
}
