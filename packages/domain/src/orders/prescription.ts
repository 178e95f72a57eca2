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
/**
 * What a 16-digit 用法 code itself says (JAMI 処方・注射オーダ標準用法規格): digit 1 基本用法区分 (1 内服,
 * 2 外用, 3 注射, 4 注入), digit 3 タイミング区分 (5 = 頓用), digit 4 1日回数 (1–9; Z = 不定). 注射・注入
 * are not prescriptions here (null).
 */
export function usageFromCode(code: string): { kind: UsageKind; perDay: number | null } | null {
  if (!/^[0-9A-Z]{16}$/.test(code)) return null;
  const kind: UsageKind | null =
    code[0] === '1' ? (code[2] === '5' ? 'asNeeded' : 'oral') : code[0] === '2' ? 'external' : null;
  if (!kind) return null;
  return { kind, perDay: kind === 'oral' && /^[1-9]$/.test(code[3] ?? '') ? Number(code[3]) : null };
}

/** 1日回数 of a 用法 code: the shipped table's, else what the code's digits say. */
export const perDayOfUsage = (code: string): number | null =>
  usageCodes.find((u) => u.code === code)?.perDay ?? usageFromCode(code)?.perDay ?? null;

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
/** Own keys only: `'constructor' in doseUnits` is true, so `in` and plain indexing are not a lookup. */
export const isDoseUnit = (u: string): u is DoseUnit => Object.hasOwn(doseUnits, u);
export const doseUnitLabel = (u: string): string => (isDoseUnit(u) ? doseUnits[u] : u);

/** 一般名処方コード: the first 9 characters of the 薬価基準 code + ZZZ. */
export function genericCodeOf(code: string): string {
  return `${code.slice(0, 9)}ZZZ`;
}
export const isGenericCode = (code: string) => /^[0-9A-Z]{9}ZZZ$/.test(code);
/** Same ingredient and route: the first 7 characters of the 薬価基準 code. */
export const ingredientKeyOf = (code: string) => code.slice(0, 7);

const drugCode = line().regex(/^[0-9A-Z]{12}$/, '薬価基準コード（12桁）を選択してください');

export const rpDrug = z
  .strictObject({
    code: drugCode,
    /** 一般名処方 (code ends in ZZZ). */
    generic: z.boolean(),
    /** Shown while editing; the server replaces it with the master's name for the code. */
    name: line().trim().min(1).max(200),
    dose: z
      .number({ error: '数量を入力してください' })
      .gt(0, '数量は0より大きくしてください')
      .max(10_000, '数量が大きすぎます'),
    unit: line().refine((u) => Object.hasOwn(doseUnits, u), '単位が不明です'),
    /** 処方箋 様式第二号: 変更不可（医療上必要） and 患者希望 columns (not for 一般名処方). */
    noChange: z.boolean().optional(),
    patientWish: z.boolean().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.generic && d.noChange)
      ctx.addIssue({ code: 'custom', path: ['noChange'], message: '一般名処方は変更不可にできません' });
    if (d.generic && d.patientWish)
      ctx.addIssue({
        code: 'custom',
        path: ['patientWish'],
        message: '一般名処方に患者希望は付けられません',
      });
    if (d.noChange && d.patientWish)
      ctx.addIssue({
        code: 'custom',
        path: ['patientWish'],
        message: '変更不可（医療上必要）と患者希望はどちらか一方です',
      });
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
    // Whether the code is in the 用法 table (the shipped subset or the loaded official master) is checked
    // by the server against the table; here the code must at least be a 内服・頓用・外用 code.
    if (v.usageCode !== FREE_TEXT_USAGE && !usageFromCode(v.usageCode)) {
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

/** 保険医療機関において調剤する際に残薬を確認した場合の対応 (様式第二号 備考). */
export const residualLabels = {
  inquire: '保険医療機関へ疑義照会した上で調剤',
  inform: '保険医療機関へ情報提供',
} as const;
export type ResidualAction = keyof typeof residualLabels;

export const prescriptionFields = z
  .strictObject({
    place: z.enum(['outside', 'inside']), // 院外 / 院内
    rps: z.array(rp).min(1, 'RPを1つ以上入れてください').max(30),
    overrides: z.array(checkOverride).max(100),
    /**
     * The patient's current 公費 that apply to this prescription (public_subsidies ids), chosen by the
     * doctor; none by default. The server checks they are the patient's and current.
     */
    publicSubsidyIds: z.array(z.uuid('公費を選び直してください')).max(4, '公費は4つまでです').optional(),
    /** リフィル可 and its 回数 (総使用回数 2 or 3); null/absent = not a refill prescription. */
    refill: z
      .union([z.literal(2), z.literal(3)], { error: 'リフィルの回数は2回か3回です' })
      .nullable()
      .optional(),
    /** 残薬確認時の対応; null/absent = not marked. */
    residual: z
      .enum(['inquire', 'inform'], { error: '残薬確認時の対応を選び直してください' })
      .nullable()
      .optional(),
  })
  .superRefine((v, ctx) => {
    // リフィル is a 処方箋 (院外) feature; the doctor chooses it (NOT for 投薬量に限度のある医薬品 and 湿布薬).
    if (v.refill && v.place !== 'outside')
      ctx.addIssue({ code: 'custom', path: ['refill'], message: 'リフィルは院外処方だけです' });
    if (new Set(v.publicSubsidyIds ?? []).size !== (v.publicSubsidyIds ?? []).length)
      ctx.addIssue({ code: 'custom', path: ['publicSubsidyIds'], message: '同じ公費が2回選ばれています' });
  });
export type PrescriptionContent = z.infer<typeof prescriptionFields>;

export const placeLabels = { outside: '院外', inside: '院内' } as const;

export function emptyRp(): Rp {
  return { usageCode: '', usageText: '', kind: 'oral', days: null, times: null, drugs: [] };
}

/** The drug codes of every RP, in order (repeats kept). */
export const drugCodesOf = (c: Pick<PrescriptionContent, 'rps'>): string[] =>
  c.rps.flatMap((r) => r.drugs.map((d) => d.code));

/** The amount line as printed: 1回量, and the 1日量 or total where it applies. */
export function doseText(r: Pick<Rp, 'kind' | 'usageCode'>, d: Pick<RpDrug, 'dose' | 'unit'>): string {
  const unit = doseUnitLabel(d.unit);
  if (r.kind === 'external') return `${d.dose}${unit}`;
  const perDay = perDayOfUsage(r.usageCode);
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
