import { normalizeForSearch } from '../kana';
import type { DoseUnit } from './prescription';

/** One row of dose-limits.csv: limits per 成分名 (contained in the drug's), optionally per 区分. */
export interface DoseLimit {
  ingredient: string;
  kinds: string[];
  /** 成人 1日最大量 (mg). */
  adultMaxMgPerDay: number | null;
  /** 小児 mg/kg/日 (the 添付文書's limit or usual daily amount per kg). */
  childMgPerKgPerDay: number | null;
  /** 小児 1日最大量 (mg), whatever the weight. */
  childMaxMgPerDay: number | null;
  note: string;
  source: string;
}

/** One row of drug-classes.csv: a 成分名 (or a 薬価基準 code prefix, digits first) in a class. */
export interface DrugClassEntry {
  className: string;
  ingredient: string;
  source: string;
}

/** 小児 for the dose check: under 15 (the 添付文書's 成人 is 15 and over). */
export const CHILD_UNDER_YEARS = 15;

/**
 * The ingredient's mg in one dose unit, read from the master's 規格 (full-width as the master has it):
 * 「６０ｍｇ１錠」→ 60 per 錠, 「１００ｍｇ１ｇ」→ 100 per g, 「１０％１ｇ」→ 100 per g, 「５％１ｍＬ」→ 50 per mL
 * (w/v), 「０．５ｇ１包」→ 500 per 包. A dose given in mg is the ingredient's mg itself. null when the 規格
 * does not say (配合剤 「１錠」, units the 規格 does not use): the check then says nothing rather than guess.
 */
export function mgPerUnit(spec: string, unit: DoseUnit): number | null {
  if (unit === 'MG') return 1;
  const s = spec
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\(.*?\)|（.*?）/g, '');
  const per: Record<string, string[]> = {
    TAB: ['錠'],
    CAP: ['カプセル'],
    HO: ['包'],
    G: ['g'],
    ML: ['mL', 'ml'],
  };
  const units = per[unit];
  if (!units) return null;
  const m = /^([0-9.]+)(mg|g|μg|%)1(.+)$/u.exec(s);
  if (!m) return null;
  const amount = Number(m[1]);
  const of = m[3] ?? '';
  if (!Number.isFinite(amount) || !units.includes(of)) return null;
  if (m[2] === '%') return of === 'g' || of === 'mL' || of === 'ml' ? amount * 10 : null;
  const factor = m[2] === 'g' ? 1000 : m[2] === 'μg' ? 0.001 : 1;
  return amount * factor;
}

const contains = (drugIngredient: string, ingredient: string) =>
  normalizeForSearch(drugIngredient).includes(normalizeForSearch(ingredient));

/** The limits that apply to a drug: its 成分名 contains the row's, and the 区分 fits. */
export function limitsFor(drug: { ingredient: string; kind: string }, limits: DoseLimit[]): DoseLimit[] {
  return limits.filter(
    (l) =>
      normalizeForSearch(l.ingredient).length >= 2 &&
      contains(drug.ingredient, l.ingredient) &&
      (l.kinds.length === 0 || l.kinds.includes(drug.kind)),
  );
}

/** The classes a drug belongs to: by 成分名 (kana/width folded) or by a 薬価基準 code prefix. */
export function classesOf(drug: { code: string; ingredient: string }, classes: DrugClassEntry[]) {
  const found = new Map<string, DrugClassEntry>();
  for (const c of classes) {
    const byPrefix = /^[0-9]{3,}[0-9A-Z]*$/.test(c.ingredient) && drug.code.startsWith(c.ingredient);
    const byName =
      !/^[0-9]/.test(c.ingredient) &&
      normalizeForSearch(c.ingredient).length >= 2 &&
      contains(drug.ingredient, c.ingredient);
    if ((byPrefix || byName) && !found.has(c.className)) found.set(c.className, c);
  }
  return [...found.values()];
}

/** The class names of the table (for the allergy form's choices), in table order. */
export function classNames(classes: DrugClassEntry[]): string[] {
  return [...new Set(classes.map((c) => c.className))];
}

/** Is a registered substance a class name of the table (ペニシリン系, ﾍﾟﾆｼﾘﾝ系, NSAIDs …)? */
export function classNamed(substance: string, classes: DrugClassEntry[]): string | null {
  const s = normalizeForSearch(substance);
  if (!s) return null;
  return classNames(classes).find((n) => normalizeForSearch(n) === s) ?? null;
}

const fmt = (mg: number) => `${+mg.toFixed(1)}mg`;

/**
 * 用量超過 for one drug line: the daily amount in mg (1回量 × 回数 from the 用法) against the adult limit,
 * or for a child against weight × mg/kg/日 (and the child's absolute limit). A child whose weight is not
 * known gets a finding asking for it, never a silent pass. Returns [] when nothing applies or the amount
 * can't be read in mg.
 */
export function doseFindings(input: {
  drug: { code: string; name: string; ingredient: string; kind: string; spec: string };
  dose: number;
  unit: DoseUnit;
  perDay: number | null;
  limits: DoseLimit[];
  ageYears: number | null;
  weightKg: number | null;
}): { key: string; message: string; source: string }[] {
  const { drug } = input;
  const rows = limitsFor(drug, input.limits);
  if (rows.length === 0 || input.perDay === null) return [];
  const perUnit = mgPerUnit(drug.spec, input.unit);
  if (perUnit === null) return [];
  const daily = input.dose * perUnit * input.perDay;
  const child = input.ageYears !== null && input.ageYears < CHILD_UNDER_YEARS;
  const key = `dose:${drug.code.slice(0, 7)}`;
  const out: { key: string; message: string; source: string }[] = [];
  for (const l of rows) {
    if (child && (l.childMgPerKgPerDay !== null || l.childMaxMgPerDay !== null)) {
      if (l.childMgPerKgPerDay !== null && input.weightKg === null) {
        out.push({
          key: `${key}:weight`,
          message: `${drug.name}: 小児（${input.ageYears}歳）の用量を確かめる体重が未登録です。体重を記録してください（1日${fmt(daily)}、上限${l.childMgPerKgPerDay}mg/kg/日）`,
          source: l.source,
        });
        continue;
      }
      const byWeight =
        l.childMgPerKgPerDay !== null && input.weightKg !== null
          ? l.childMgPerKgPerDay * input.weightKg
          : Number.POSITIVE_INFINITY;
      const max = Math.min(
        byWeight,
        l.childMaxMgPerDay ?? Number.POSITIVE_INFINITY,
        l.adultMaxMgPerDay ?? Number.POSITIVE_INFINITY,
      );
      if (daily > max + 1e-9) {
        const basis =
          max === byWeight
            ? `${l.childMgPerKgPerDay}mg/kg/日 × ${input.weightKg}kg = ${fmt(max)}`
            : `1日最大${fmt(max)}`;
        out.push({
          key: `${key}:child`,
          message: `${drug.name}: 1日${fmt(daily)}は小児の上限（${basis}）を超えています`,
          source: l.source,
        });
      }
    } else if (l.adultMaxMgPerDay !== null && daily > l.adultMaxMgPerDay + 1e-9) {
      out.push({
        key: `${key}:adult`,
        message: `${drug.name}: 1日${fmt(daily)}は1日最大量${fmt(l.adultMaxMgPerDay)}を超えています`,
        source: l.source,
      });
    }
  }
  return out;
}

/** Readings of the words 用法名称 are made of, so a 用法 can be found by kana (あさ, しょくご, てんがん). */
const usageReadings: [string, string][] = [
  ['就寝前', 'シュウシンマエ'],
  ['起床時', 'キショウジ'],
  ['必要時', 'ヒツヨウジ'],
  ['疼痛時', 'トウツウジ'],
  ['発熱時', 'ハツネツジ'],
  ['食事中', 'ショクジチュウ'],
  ['食直前', 'ショクチョクゼン'],
  ['食直後', 'ショクチョクゴ'],
  ['食前', 'ショクゼン'],
  ['食後', 'ショクゴ'],
  ['食間', 'ショッカン'],
  ['服用', 'フクヨウ'],
  ['点眼', 'テンガン'],
  ['点鼻', 'テンビ'],
  ['点耳', 'テンジ'],
  ['塗布', 'トフ'],
  ['貼付', 'チョウフ'],
  ['吸入', 'キュウニュウ'],
  ['挿入', 'ソウニュウ'],
  ['頓用', 'トンヨウ'],
  ['朝', 'アサ'],
  ['昼', 'ヒル'],
  ['夕', 'ユウ'],
  ['毎', 'マイ'],
  ['回', 'カイ'],
  ['日', 'ニチ'],
  ['時', 'ジ'],
];

/**
 * The 用法 table's search text: the 用法名称 folded as for any search, then its kana reading (the master
 * has no reading column), so 「あさ」「しょくご」 find 朝食後 and 「１日３回」 finds itself.
 */
export function usageSearchText(text: string): string {
  const norm = normalizeForSearch(text);
  let kana = norm;
  for (const [word, reading] of usageReadings) kana = kana.split(word).join(reading);
  return kana === norm ? norm : `${norm}|${kana}`;
}
