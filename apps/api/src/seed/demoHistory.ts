import { appendAudit, type Database, labCodesFor, type Seal, schema, sealRows, type Tx } from '@karte/db';
import {
  type EntryContent,
  labFlag,
  type PrescriptionContent,
  parseLabValue,
  parseRefRange,
  type RpDrug,
  todayInJapan,
} from '@karte/domain';
import { and, asc, eq, sql } from 'drizzle-orm';
import { changeAndShare, queueSubmissions } from '../services/sharing/outbox';
import { demoReferenceRange } from './demoChart';
import { prng } from './names';

// デモクリニックの履歴: months of past use for the demo patients, so Do from an earlier day, the lab trends and
// the calendar show real use on first start. Written in bulk (a handful of statements, not one service call per
// record): past visits 完了, their encounters, confirmed 2号用紙 (SOAP) and prescriptions, and lab results of
// chronic patients. Dates are fixed offsets from today (in Japan); the wording varies by visit from a PRNG seeded
// with the patient number, so every first boot seeds the same history. Confirmed rows are sealed in the audit
// chain as 確定 seals them (one event per patient, `sealed` listing its entry versions and lab results).
//
// Whose: patient 1 (the demo chart's: 糖尿病 on metformin, 高血圧 under 生活指導 until today's アムロジピン) and
// patients 7–36 (chronic and acute). Patients 2–6 keep the visits the other demo seeds give them (会計 counts on
// them). Patients 7–36 have no 保険 registered, so nothing of theirs goes to the share service (the export lists
// them as not sent, with that reason). Patient 1's past lab reports are queued as filed results are (one Bundle
// per collection day), so the share service holds them too.

const DAY = 86_400_000;

/** The date `n` days before `today` (YYYY-MM-DD), moved to the Saturday before when it falls on a Sunday (休診). */
export function clinicDayBefore(today: string, n: number): string {
  const d = new Date(Date.parse(`${today}T00:00:00Z`) - n * DAY);
  if (d.getUTCDay() === 0) d.setTime(d.getTime() - DAY);
  return d.toISOString().slice(0, 10);
}

const at = (date: string, minutes: number) =>
  new Date(Date.parse(`${date}T09:00:00+09:00`) + minutes * 60_000);

interface Drug {
  code: string;
  name: string;
}
// From the bundled 薬価基準 master (packages/db/masters/drugs-mhlw-price-*.csv): code and 品名 as listed.
const D = {
  amlodipine25: { code: '2171022F1029', name: 'ノルバスク錠２．５ｍｇ' },
  amlodipine5: { code: '2171022F2025', name: 'ノルバスク錠５ｍｇ' },
  olmesartan20: { code: '2149044F2039', name: 'オルメサルタン錠２０ｍｇ「ＪＧ」' },
  metformin250: { code: '3962002F2027', name: 'メトグルコ錠２５０ｍｇ' },
  metformin500: { code: '3962002F3023', name: 'メトグルコ錠５００ｍｇ' },
  atorvastatin10: { code: '2189015F2020', name: 'リピトール錠１０ｍｇ' },
  rosuvastatin25: { code: '2189017F1022', name: 'クレストール錠２．５ｍｇ' },
  acetaminophen200: { code: '1141007F1063', name: 'カロナール錠２００' },
  dextromethorphan: { code: '2223001F2099', name: 'メジコン錠１５ｍｇ' },
  carbocisteine: { code: '2233002F2022', name: 'ムコダイン錠５００ｍｇ' },
  tranexamic: { code: '3327002F2041', name: 'トランサミン錠５００ｍｇ' },
} satisfies Record<string, Drug>;

// 電子処方箋用法コード as shipped (packages/domain/src/orders/usageCodes.json).
const U = {
  morning: { usageCode: '1011000400000000', usageText: '１日１回朝食後　服用' },
  twice: { usageCode: '1012040400000000', usageText: '１日２回朝夕食後　服用' },
  thrice: { usageCode: '1013044400000000', usageText: '１日３回朝昼夕食後　服用' },
  fever: { usageCode: '1050710000000000', usageText: '発熱時　服用' },
};

const rp = (usage: (typeof U)[keyof typeof U], days: number, drugs: [Drug, number][]) => ({
  ...usage,
  kind: usage === U.fever ? ('asNeeded' as const) : ('oral' as const),
  days: usage === U.fever ? null : days,
  times: usage === U.fever ? 5 : null,
  drugs: drugs.map(
    ([d, dose]): RpDrug => ({ code: d.code, generic: false, name: d.name, dose, unit: 'TAB' }),
  ),
});
const prescription = (rps: ReturnType<typeof rp>[]): PrescriptionContent => ({
  place: 'outside',
  overrides: [],
  rps,
});

// JLAC10 codes as the demo chart uses them (the bundled JP-CLINS core lab CodeSystem).
const LAB = {
  hba1c: { code: '3D046000001906202', unit: '%' },
  ldl: { code: '3F077000002327101', unit: 'mg/dL' },
  tg: { code: '3F015000002327101', unit: 'mg/dL' },
  hdl: { code: '3F070000002327101', unit: 'mg/dL' },
  cre: { code: '3C015000002327101', unit: 'mg/dL' },
};
const labRange: Record<string, string> = {
  [LAB.tg.code]: '30-149',
  [LAB.hdl.code]: '40-90',
};

type Kind = 'htn' | 'dm' | 'htn-dl' | 'dm-htn' | 'dl' | 'cold' | 'pharyngitis';

interface Visit {
  daysAgo: number;
  soap: { s: string; o: string; a: string; p: string };
  rx: PrescriptionContent | null;
  labs: { code: string; unit: string; value: string }[];
}

interface Plan {
  problems: { code: string; name: string; onset: string; cured?: string; main?: boolean }[];
  visits: Visit[];
}

const bp = (sys: number, dia: number, pulse: number) => `BP ${sys}/${dia} mmHg、P ${pulse} 整`;
const one = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

const calm = ['特に変わりなし', '変わりなく過ごしている', '体調は良い', '仕事が忙しいが体調は問題ない'];
const homeBp = (rnd: () => number, sys: number) =>
  one(rnd, [
    `家庭血圧 朝 ${sys - 4}前後`,
    `家庭血圧は朝${sys - 2}/${Math.round(sys * 0.6)}程度`,
    '家庭血圧は測れていない日もある',
  ]);
const diet = [
  '間食を控えている',
  '夕食の炭水化物を減らした',
  '週末に外食が多かった',
  '散歩を1日30分続けている',
];

/** A chronic patient's monthly visits: `n` visits 28 days apart (the last `last` days ago), labs every other one. */
function chronicPlan(kind: Kind, rnd: () => number, today: string, last: number, n: number): Plan {
  const visits: Visit[] = [];
  const onset = clinicDayBefore(today, last + 28 * n + Math.floor(rnd() * 400) + 60);
  for (let i = 0; i < n; i++) {
    const daysAgo = last + 28 * (n - 1 - i);
    const step = i / Math.max(1, n - 1); // 0 → 1 over the months: treatment takes effect
    const sys = Math.round(150 - 18 * step + rnd() * 6);
    const dia = Math.round(94 - 10 * step + rnd() * 4);
    const pulse = 64 + Math.floor(rnd() * 16);
    const a1c = (7.8 - 0.9 * step + rnd() * 0.2).toFixed(1);
    const ldl = String(Math.round(168 - 50 * step + rnd() * 8));
    const first = i === 0;
    const labDay = i % 2 === 1 || i === n - 1;
    const s = first ? '' : `${one(rnd, calm)}。${one(rnd, diet)}。`;
    let soap: Visit['soap'];
    let rx: PrescriptionContent | null = null;
    const labs: Visit['labs'] = [];
    switch (kind) {
      case 'htn': {
        const dose = i < 2 ? D.amlodipine25 : D.amlodipine5;
        soap = {
          s: first ? '健診で血圧高値を指摘され受診。頭痛・動悸なし' : `${s}${homeBp(rnd, sys)}`,
          o: bp(sys, dia, pulse),
          a: first ? '本態性高血圧症（Ⅰ度）' : sys >= 145 ? '高血圧症 降圧不十分' : '高血圧症 概ね安定',
          p:
            i === 2
              ? 'アムロジピンを5mgに増量。減塩指導'
              : first
                ? 'アムロジピン2.5mgで開始。家庭血圧の記録を依頼'
                : sys >= 145
                  ? '同処方継続。減塩を再指導'
                  : '同処方継続。4週後再診',
        };
        rx = prescription([rp(U.morning, 28, [[dose, 1]])]);
        if (labDay) labs.push({ ...LAB.cre, value: (0.7 + rnd() * 0.2).toFixed(2) });
        break;
      }
      case 'dm': {
        // 1回量: 250 mg × 2 回 (500 mg/日), then 500 mg × 2 回 (1000 mg/日).
        const met = i < 2 ? ([D.metformin250, 1] as [Drug, number]) : ([D.metformin500, 1] as [Drug, number]);
        soap = {
          s: first ? '口渇あり。健診でHbA1c高値' : `${s}低血糖症状なし`,
          o: `体重 ${(72 - step * 2.4).toFixed(1)} kg`,
          a: first ? '２型糖尿病' : `２型糖尿病 HbA1c ${a1c}%`,
          p:
            i === 2
              ? 'メトホルミンを1000mg/日に増量。食事療法継続'
              : first
                ? 'メトホルミン500mg/日で開始。栄養指導'
                : '同処方継続',
        };
        rx = prescription([rp(U.twice, 28, [met])]);
        if (labDay)
          labs.push({ ...LAB.hba1c, value: a1c }, { ...LAB.cre, value: (0.7 + rnd() * 0.2).toFixed(2) });
        break;
      }
      case 'htn-dl': {
        soap = {
          s: first ? '血圧とコレステロールの治療目的で受診' : `${s}筋肉痛なし`,
          o: bp(sys, dia, pulse),
          a: first ? '高血圧症、脂質異常症' : `高血圧症・脂質異常症 LDL ${ldl}`,
          p: first ? 'アムロジピン5mg、アトルバスタチン10mgで開始' : '同処方継続。次回採血',
        };
        rx = prescription([
          rp(U.morning, 28, [
            [D.amlodipine5, 1],
            [D.atorvastatin10, 1],
          ]),
        ]);
        if (labDay)
          labs.push(
            { ...LAB.ldl, value: ldl },
            { ...LAB.tg, value: String(Math.round(140 - 30 * step + rnd() * 20)) },
            { ...LAB.hdl, value: String(Math.round(46 + rnd() * 8)) },
          );
        break;
      }
      case 'dm-htn': {
        soap = {
          s: first ? '前医から転医。糖尿病と高血圧で通院中' : `${s}${homeBp(rnd, sys)}`,
          o: `${bp(sys, dia, pulse)}、体重 ${(78 - step * 1.8).toFixed(1)} kg`,
          a: `２型糖尿病、高血圧症${first ? '' : ` HbA1c ${a1c}%`}`,
          p: first ? '前医処方を継続' : i === n - 2 ? 'オルメサルタン継続、メトホルミン同量' : '同処方継続',
        };
        rx = prescription([rp(U.morning, 28, [[D.olmesartan20, 1]]), rp(U.twice, 28, [[D.metformin500, 1]])]);
        if (labDay)
          labs.push({ ...LAB.hba1c, value: a1c }, { ...LAB.cre, value: (0.8 + rnd() * 0.25).toFixed(2) });
        break;
      }
      default: {
        // 'dl'
        soap = {
          s: first ? '健診でLDL高値。家族歴に心筋梗塞あり' : `${s}服薬はできている`,
          o: `腹囲 ${84 + Math.floor(rnd() * 8)} cm`,
          a: first ? '脂質異常症' : `脂質異常症 LDL ${ldl}`,
          p: first ? 'ロスバスタチン2.5mgで開始。食事指導' : '同処方継続',
        };
        rx = prescription([rp(U.morning, 28, [[D.rosuvastatin25, 1]])]);
        if (labDay)
          labs.push({ ...LAB.ldl, value: ldl }, { ...LAB.tg, value: String(Math.round(120 + rnd() * 40)) });
      }
    }
    visits.push({ daysAgo, soap, rx, labs });
  }
  const problems: Plan['problems'] = [];
  if (kind === 'htn' || kind === 'htn-dl' || kind === 'dm-htn')
    problems.push({ code: '20076157', name: '本態性高血圧症', onset, main: true });
  if (kind === 'dm' || kind === 'dm-htn')
    problems.push({ code: '20050020', name: '２型糖尿病', onset, main: kind === 'dm' });
  if (kind === 'htn-dl' || kind === 'dl')
    problems.push({ code: '20091221', name: '脂質異常症', onset, main: kind === 'dl' });
  return { problems, visits };
}

/** An acute patient: a cold (and for some a sore throat a few days later), each cured. */
function acutePlan(kind: Kind, rnd: () => number, today: string, daysAgo: number): Plan {
  const temp = (37.4 + rnd() * 1.2).toFixed(1);
  const cold: Visit = {
    daysAgo,
    soap: {
      s: `${1 + Math.floor(rnd() * 3)}日前から${one(rnd, ['咽頭痛、鼻汁', '咳、鼻汁', '発熱、咽頭痛、咳'])}。食事は摂れている`,
      o: `体温 ${temp}℃、咽頭発赤軽度、肺音清`,
      a: '急性上気道炎',
      p: '対症療法。3日以上の発熱持続や呼吸苦があれば再診',
    },
    rx: prescription([
      rp(U.thrice, 5, [
        [D.dextromethorphan, 1],
        [D.carbocisteine, 1],
      ]),
      rp(U.fever, 0, [[D.acetaminophen200, 2]]),
    ]),
    labs: [],
  };
  const problems: Plan['problems'] = [
    {
      code: '20058435',
      name: '急性上気道炎',
      onset: clinicDayBefore(today, daysAgo + 2),
      cured: clinicDayBefore(today, daysAgo - 7),
    },
  ];
  if (kind !== 'pharyngitis') return { problems, visits: [cold] };
  problems.push({
    code: '20058220',
    name: '急性咽頭炎',
    onset: clinicDayBefore(today, daysAgo - 4),
    cured: clinicDayBefore(today, daysAgo - 12),
  });
  return {
    problems,
    visits: [
      cold,
      {
        daysAgo: daysAgo - 4,
        soap: {
          s: '咳は軽快。咽頭痛が残る',
          o: `体温 36.${6 + Math.floor(rnd() * 3)}℃、咽頭発赤あり、扁桃腫大なし`,
          a: '急性咽頭炎',
          p: 'トラネキサム酸を追加。改善なければ再診',
        },
        rx: prescription([rp(U.thrice, 5, [[D.tranexamic, 1]])]),
        labs: [],
      },
    ],
  };
}

/** Patient 1: 糖尿病 on metformin and 高血圧 under 生活指導, HbA1c and BP creeping up to today's visit. */
function firstPatientPlan(rnd: () => number): Plan {
  const visits: Visit[] = [];
  const n = 6;
  for (let i = 0; i < n; i++) {
    const daysAgo = 7 + 28 * (n - i) - 28; // the last one 7 days ago (the lab results the demo chart files)
    const sys = 134 + i * 2 + Math.floor(rnd() * 3);
    const dia = 82 + i + Math.floor(rnd() * 2);
    const a1c = (6.5 + i * 0.12).toFixed(1);
    const lastVisit = i === n - 1;
    visits.push({
      daysAgo,
      soap: {
        s: i === 0 ? '糖尿病で定期通院。特に症状なし' : `${one(rnd, calm)}。${one(rnd, diet)}`,
        o: bp(sys, dia, 70 + Math.floor(rnd() * 10)),
        a: lastVisit
          ? '２型糖尿病、血圧高め。本日採血（HbA1c・血糖・Cre）'
          : `２型糖尿病 HbA1c ${a1c}%、血圧やや高め`,
        p:
          i === 2
            ? 'メトホルミンを1000mg/日に増量。家庭血圧の記録を継続'
            : i >= 4
              ? '減塩を再指導。血圧高値が続けば降圧薬を検討'
              : 'メトホルミン継続。家庭血圧の記録を継続',
      },
      // 1回量 250 mg × 2 回 (500 mg/日), from the third visit 500 mg × 2 回 (1000 mg/日).
      rx: prescription([rp(U.twice, 28, [[D.metformin250, i < 2 ? 1 : 2]])]),
      // HbA1c every other month; the newest (7 days ago) is the demo chart's own.
      labs: i % 2 === 0 ? [{ ...LAB.hba1c, value: a1c }] : [],
    });
  }
  return { problems: [], visits };
}

const kinds: Kind[] = [
  'htn',
  'dm',
  'htn-dl',
  'cold',
  'dm-htn',
  'dl',
  'htn',
  'pharyngitis',
  'dm',
  'htn-dl',
  'cold',
  'dm-htn',
  'htn',
  'cold',
  'dl',
];

/** The history of one patient by position (0 = patient 1; 6… = patients 7…); null for none. */
export function demoHistoryPlan(index: number, patientNumber: number, today: string): Plan | null {
  const rnd = prng(20261201 + patientNumber);
  if (index === 0) return firstPatientPlan(rnd);
  if (index < 6) return null;
  const kind = kinds[(index - 6) % kinds.length] as Kind;
  if (kind === 'cold' || kind === 'pharyngitis')
    return acutePlan(kind, rnd, today, 10 + ((index * 37) % 150));
  // 3–6 months of monthly visits, the last 3–27 days ago (spread over the weeks so each day has some).
  const months = 3 + (index % 4);
  return chronicPlan(kind, rnd, today, 3 + ((index * 5) % 25), months + 1);
}

/** How many patients (by patient number order) get a history: patient 1 and patients 7–36. */
export const DEMO_HISTORY_PATIENTS = 36;

/** Seeds the history; returns what it wrote (for the boot log). */
export async function seedDemoHistory(db: Database, facilityId: string, doctorId: string, clerkId: string) {
  const today = todayInJapan();
  const people = await db
    .select({ id: schema.patients.id, number: schema.patients.patientNumber, sex: schema.patients.sex })
    .from(schema.patients)
    .where(and(eq(schema.patients.facilityId, facilityId)))
    .orderBy(asc(schema.patients.patientNumber))
    .limit(DEMO_HISTORY_PATIENTS);
  return changeAndShare(db, async (tx) => {
    const master = await labCodesFor(
      tx,
      Object.values(LAB).map((l) => l.code),
    );
    const visitRows: (typeof schema.visits.$inferInsert)[] = [];
    const encounterRows: (typeof schema.encounters.$inferInsert)[] = [];
    const entryRows: (typeof schema.entries.$inferInsert)[] = [];
    const versionRows: (typeof schema.entryVersions.$inferInsert)[] = [];
    const labRows: (typeof schema.labResults.$inferInsert)[] = [];
    const problemRows: (typeof schema.problems.$inferInsert)[] = [];
    const perPatient = new Map<
      string,
      { entries: string[]; labs: string[]; labDays: Set<string>; visits: number }
    >();
    // 受付番号 continue after any visit already on a day.
    const counters = new Map(
      (
        await tx
          .select({ date: schema.visitCounters.visitDate, n: schema.visitCounters.lastNumber })
          .from(schema.visitCounters)
          .where(eq(schema.visitCounters.facilityId, facilityId))
      ).map((r) => [r.date, r.n]),
    );
    for (const [index, person] of people.entries()) {
      const plan = demoHistoryPlan(index, person.number, today);
      if (!plan) continue;
      const mine = {
        entries: [] as string[],
        labs: [] as string[],
        labDays: new Set<string>(),
        visits: plan.visits.length,
      };
      perPatient.set(person.id, mine);
      for (const p of plan.problems) {
        problemRows.push({
          facilityId,
          patientId: person.id,
          diseaseCode: p.code,
          name: p.name,
          main: p.main ? 1 : 0,
          onsetDate: p.onset,
          outcome: p.cured ? 'cured' : '',
          endDate: p.cured ?? null,
          createdBy: doctorId,
          updatedBy: doctorId,
          createdAt: at(p.onset, 30),
          updatedAt: at(p.cured ?? p.onset, 30),
        });
      }
      for (const [i, v] of plan.visits.entries()) {
        const date = clinicDayBefore(today, v.daysAgo);
        const number = (counters.get(date) ?? 0) + 1;
        counters.set(date, number);
        const minute = number * 12; // 受付 every 12 minutes from 9:00
        const visitId = crypto.randomUUID();
        const encounterId = crypto.randomUUID();
        visitRows.push({
          id: visitId,
          facilityId,
          patientId: person.id,
          visitDate: date,
          receptionNumber: number,
          state: 'done',
          purpose: i === 0 && index !== 0 ? '初診' : '再診',
          department: '内科',
          createdBy: clerkId,
          updatedBy: clerkId,
          createdAt: at(date, minute),
          updatedAt: at(date, minute + 40),
        });
        encounterRows.push({
          id: encounterId,
          facilityId,
          patientId: person.id,
          visitId,
          encounterDate: date,
          doctorId,
          createdBy: doctorId,
          createdAt: at(date, minute + 10),
        });
        const contents: ['soap' | 'prescription', EntryContent][] = [['soap', v.soap]];
        if (v.rx) contents.push(['prescription', v.rx]);
        for (const [k, [kind, content]] of contents.entries()) {
          const entryId = crypto.randomUUID();
          const when = at(date, minute + 20 + k * 3);
          entryRows.push({
            id: entryId,
            facilityId,
            patientId: person.id,
            encounterId,
            kind,
            currentVersion: 1,
            draft: null,
            draftRev: 1,
            draftBy: doctorId,
            draftAt: when,
            responsibleDoctor: doctorId,
            createdBy: doctorId,
            createdAt: when,
          });
          versionRows.push({
            entryId,
            version: 1,
            facilityId,
            content,
            enteredBy: doctorId,
            responsibleDoctor: doctorId,
            approvedBy: doctorId,
            approvedAt: when,
            reason: '',
            createdAt: when,
          });
          mine.entries.push(`${entryId}:1`);
        }
        for (const l of v.labs) {
          const id = crypto.randomUUID();
          const value = parseLabValue(l.value) ?? { text: l.value, num: null };
          const rangeText = labRange[l.code] ?? demoReferenceRange(l.code, person.sex);
          const range = parseRefRange(rangeText) ?? { low: null, high: null, text: rangeText };
          const jlac = master.get(l.code);
          labRows.push({
            id,
            facilityId,
            patientId: person.id,
            // Drawn at the visit; results filed two days later.
            collectedOn: date,
            code: l.code,
            codeSystem: jlac ? 'jlac10' : 'local',
            name: jlac?.name ?? l.code,
            value: value.text,
            valueNum: value.num === null ? null : String(value.num),
            unit: l.unit,
            refLow: range.low === null ? null : String(range.low),
            refHigh: range.high === null ? null : String(range.high),
            refText: range.text,
            flag: labFlag(value.num, range),
            enteredBy: doctorId,
            createdAt: new Date(at(date, minute).getTime() + 2 * DAY),
          });
          mine.labs.push(id);
          mine.labDays.add(date);
        }
      }
    }
    await insertAll(tx, schema.problems, problemRows);
    await insertAll(tx, schema.visits, visitRows);
    // The day's 受付番号 continue after the history's (another seed may check a patient in on such a day).
    if (counters.size > 0)
      await tx
        .insert(schema.visitCounters)
        .values([...counters].map(([visitDate, lastNumber]) => ({ facilityId, visitDate, lastNumber })))
        .onConflictDoUpdate({
          target: [schema.visitCounters.facilityId, schema.visitCounters.visitDate],
          set: { lastNumber: sql`greatest(${schema.visitCounters.lastNumber}, excluded.last_number)` },
        });
    await insertAll(tx, schema.encounters, encounterRows);
    await insertAll(tx, schema.entries, entryRows);
    await insertAll(tx, schema.entryVersions, versionRows);
    await insertAll(tx, schema.labResults, labRows);
    // Each confirmed row sealed in the chain, as 確定 and lab filing do: one event per patient.
    for (const [patientId, mine] of perPatient) {
      const sealed: Seal[] = [
        ...(await sealRows(tx, facilityId, 'entry_versions', mine.entries)),
        ...(mine.labs.length ? await sealRows(tx, facilityId, 'lab_results', mine.labs) : []),
      ];
      await appendAudit(tx, {
        facilityId,
        userId: null,
        patientId,
        action: 'create',
        procedure: 'system.seed',
        outcome: 'ok',
        detail: { what: 'demo-history', visits: mine.visits, sealed },
      });
      // The lab reports go to the share service as filed results do (only a patient with 保険 can be sent:
      // patient 1; for the others the outbox refuses at once, before building anything).
      if (mine.labDays.size > 0)
        await queueSubmissions(tx, facilityId, patientId, { labDays: [...mine.labDays] });
    }
    return {
      patients: perPatient.size,
      visits: visitRows.length,
      entries: versionRows.length,
      labResults: labRows.length,
    };
  });
}

/** Inserts rows in chunks (bind parameters stay well below the protocol's 65,535). */
async function insertAll<T extends Parameters<Tx['insert']>[0]>(tx: Tx, table: T, rows: T['$inferInsert'][]) {
  for (let i = 0; i < rows.length; i += 500) await tx.insert(table).values(rows.slice(i, i + 500));
}
