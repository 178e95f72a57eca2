import { z } from 'zod';
import { line } from '../contracts/input';
import usageTable from './usageCodes.json';

/** 電子処方箋用法コード (16 characters), shipped as data in usageCodes.json. */
export type UsageKind = 'oral' | 'asNeeded' | 'external'; // 内服 / 頓用 / 外用
export interface UsageCode {
  code: string;
  text: string;
  kind: UsageKind;
  perDay: number | null;
  source: string;
}
export const usageCodes: readonly UsageCode[] = usageTable.codes as UsageCode[];
/** The IG's dummy 用法 code, carried with free text (JP_CLINS_MedicationUsage_Uncoded_CS). */
export const FREE_TEXT_USAGE = '0X0XXXXXXXXX0000';
export const usageKindLabels: Record<UsageKind, string> = {
  oral: '内服',
  asNeeded: '頓用',
  external: '外用',
};

/** MERIT-9 units (MedicationUnitMERIT9Code) for doses; others are refused. */
export const doseUnits = {
  TAB: '錠',
  CAP: 'カプセル',
  HO: '包',
  G: 'g',
  MG: 'mg',
  ML: 'mL',
  KO: '個',
  HON: '本',
  MAI: '枚',
} as const;
export type DoseUnit = keyof typeof doseUnits;

/** 一般名処方コード: the first 9 characters of the 薬価基準 code + ZZZ. */
export function genericCodeOf(code: string): string {
  return `${code.slice(0, 9)}ZZZ`;
}
export const isGenericCode = (code: string) => /^[0-9A-Z]{9}ZZZ$/.test(code);
/** Same ingredient and route: the first 7 characters of the 薬価基準 code. */
export const ingredientKeyOf = (code: string) => code.slice(0, 7);

const drugCode = line().regex(/^[0-9A-Z]{12}$/, '薬価基準コード（12桁）を選択してください');

export const rpDrug = z.strictObject({
  code: drugCode,
  /** 一般名処方 (code ends in ZZZ). */
  generic: z.boolean(),
  name: line().trim().min(1).max(200),
  dose: z
    .number({ error: '数量を入力してください' })
    .gt(0, '数量は0より大きくしてください')
    .max(10_000, '数量が大きすぎます'),
  unit: line().refine((u) => u in doseUnits, '単位が不明です'),
});
export type RpDrug = z.infer<typeof rpDrug>;

/** RP: drugs that share one 用法. */
export const rp = z
  .strictObject({
    usageCode: line().regex(/^[0-9A-Z]{16}$/, '用法を選択してください'),
    usageText: line().trim().min(1, '用法を入力してください').max(200, '用法が長すぎます'),
    kind: z.enum(['oral', 'asNeeded', 'external']),
    /** 日数 (内服). */
    days: z
      .number()
      .int('日数は整数です')
      .min(1, '日数は1日以上です')
      .max(365, '日数は365日以内です')
      .nullable(),
    /** 回数 (頓用). */
    times: z
      .number()
      .int('回数は整数です')
      .min(1, '回数は1回以上です')
      .max(99, '回数は99回以内です')
      .nullable(),
    drugs: z.array(rpDrug).min(1, '薬剤を1つ以上入れてください').max(20),
  })
  .superRefine((v, ctx) => {
    if (v.usageCode !== FREE_TEXT_USAGE && !usageCodes.some((u) => u.code === v.usageCode)) {
      ctx.addIssue({ code: 'custom', path: ['usageCode'], message: '用法コードが用法表にありません' });
    }
    if (v.kind === 'oral' && v.days === null) {
      ctx.addIssue({ code: 'custom', path: ['days'], message: '日数を入力してください' });
    }
    if (v.kind === 'asNeeded' && v.times === null) {
      ctx.addIssue({ code: 'custom', path: ['times'], message: '回数を入力してください' });
    }
  });
export type Rp = z.infer<typeof rp>;

/** An override of a check finding, with the doctor's reason (kept in the confirmed version). */
export const checkOverride = z.strictObject({
  key: line().max(200),
  reason: line().trim().min(1, '理由を入力してください').max(200, '理由は200文字以内です'),
});
export type CheckOverride = z.infer<typeof checkOverride>;

export const prescriptionFields = z.strictObject({
  place: z.enum(['outside', 'inside']), // 院外 / 院内
  rps: z.array(rp).min(1, 'RPを1つ以上入れてください').max(30),
  overrides: z.array(checkOverride).max(100),
});
export type PrescriptionContent = z.infer<typeof prescriptionFields>;

export const placeLabels = { outside: '院外', inside: '院内' } as const;

export function emptyRp(): Rp {
  return { usageCode: '', usageText: '', kind: 'oral', days: null, times: null, drugs: [] };
}

/** The amount line as printed: 1回量, and the 1日量 or total where it applies. */
export function doseText(r: Pick<Rp, 'kind' | 'usageCode'>, d: Pick<RpDrug, 'dose' | 'unit'>): string {
  const unit = doseUnits[d.unit as DoseUnit] ?? d.unit;
  if (r.kind === 'external') return `${d.dose}${unit}`;
  const perDay = usageCodes.find((u) => u.code === r.usageCode)?.perDay;
  const once = `1回${d.dose}${unit}`;
  return r.kind === 'oral' && perDay ? `${once}（1日${+(d.dose * perDay).toFixed(3)}${unit}）` : once;
}

export function durationText(r: Pick<Rp, 'kind' | 'days' | 'times'>): string {
  if (r.kind === 'oral' && r.days) return `${r.days}日分`;
  if (r.kind === 'asNeeded' && r.times) return `${r.times}回分`;
  return '';
}

/** How long an RP counts as being taken, for the duplicate and interaction checks. */
export const AS_NEEDED_ACTIVE_DAYS = 30;
export function activeUntil(r: Pick<Rp, 'kind' | 'days'>, prescribedOn: string): string {
  const days = r.kind === 'oral' && r.days ? r.days : AS_NEEDED_ACTIVE_DAYS;
  const d = new Date(`${prescribedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
