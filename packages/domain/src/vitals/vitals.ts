import {
  ALLERGY_CHOICES,
  type IntakeFields,
  PREGNANCY_CHOICES,
  VITAL_FIELDS,
  type VitalField,
  type VitalFields,
} from '../contracts/vitals';

/** BMI = 体重 kg ÷ (身長 m)², one decimal; null without both. */
export function bmi(heightCm: number | null, weightKg: number | null): number | null {
  if (heightCm === null || weightKg === null || heightCm <= 0) return null;
  const m = heightCm / 100;
  return Math.round((weightKg / (m * m)) * 10) / 10;
}

export type VitalFlag = 'H' | 'L' | '';

/**
 * The usual adult ranges a value is flagged outside of (accepted, shown in red): 発熱 37.5℃ and over, 低体温
 * under 35.0℃; 血圧 140/90 and over (高血圧治療ガイドライン's 診察室血圧), 収縮期 under 90; 脈拍 over 100 or under
 * 50; SpO2 under 96%; BMI 25 and over (肥満, 日本肥満学会) or under 18.5.
 */
const USUAL: Partial<Record<VitalField | 'bmi', { low?: number; high?: number; highInclusive?: boolean }>> = {
  temperature: { low: 35, high: 37.5, highInclusive: true },
  systolic: { low: 90, high: 140, highInclusive: true },
  diastolic: { high: 90, highInclusive: true },
  pulse: { low: 50, high: 100 },
  spo2: { low: 96 },
  bmi: { low: 18.5, high: 25, highInclusive: true },
};

export function vitalFlag(field: VitalField | 'bmi', value: number | null): VitalFlag {
  const u = USUAL[field];
  if (!u || value === null) return '';
  if (u.low !== undefined && value < u.low) return 'L';
  if (u.high !== undefined && (u.highInclusive ? value >= u.high : value > u.high)) return 'H';
  return '';
}

/** Numbers as a clinician writes them: 65, 65.5, 3.25 — no trailing zeros. */
export const vitalNumber = (n: number) => String(Number(n.toFixed(2)));

/** A measurement's values merged into one: for each value the newest that has it (rows oldest first). */
export function mergeVitals(rows: VitalFields[]): VitalFields | null {
  if (rows.length === 0) return null;
  const merged = Object.fromEntries(VITAL_FIELDS.map((f) => [f, null])) as VitalFields;
  for (const row of rows) {
    if (row.systolic !== null) {
      merged.systolic = row.systolic;
      merged.diastolic = row.diastolic;
    }
    for (const f of VITAL_FIELDS) {
      if (f === 'systolic' || f === 'diastolic') continue;
      if (row[f] !== null) merged[f] = row[f];
    }
  }
  return merged;
}

/** The chart's O line: `T 36.8℃ BP 128/76 P 72 SpO2 98% 身長 170cm 体重 65kg BMI 22.5` (only what was measured). */
export function vitalsLine(v: VitalFields): string {
  const parts: string[] = [];
  if (v.temperature !== null) parts.push(`T ${v.temperature.toFixed(1)}℃`);
  if (v.systolic !== null && v.diastolic !== null) parts.push(`BP ${v.systolic}/${v.diastolic}`);
  if (v.pulse !== null) parts.push(`P ${v.pulse}`);
  if (v.spo2 !== null) parts.push(`SpO2 ${v.spo2}%`);
  if (v.heightCm !== null) parts.push(`身長 ${vitalNumber(v.heightCm)}cm`);
  if (v.weightKg !== null) parts.push(`体重 ${vitalNumber(v.weightKg)}kg`);
  const b = bmi(v.heightCm, v.weightKg);
  if (b !== null) parts.push(`BMI ${b.toFixed(1)}`);
  return parts.join(' ');
}

/** The 問診 as the S draft's text: one labelled line per item, empty items left out. */
export function intakeText(i: IntakeFields): string {
  const lines = [`主訴: ${i.chiefComplaint}`];
  if (i.course) lines.push(`経過: ${i.course}`);
  if (i.medication) lines.push(`服薬: ${i.medication}`);
  const allergy = ALLERGY_CHOICES[i.allergy];
  lines.push(`アレルギー: ${allergy}${i.allergyDetail ? `（${i.allergyDetail}）` : ''}`);
  if (i.pregnancy !== 'na') lines.push(`妊娠・授乳: ${PREGNANCY_CHOICES[i.pregnancy]}`);
  return lines.join('\n');
}
