import { normalizeForSearch } from '../kana';
import { classesOf, classNamed, type DoseLimit, type DrugClassEntry, doseFindings } from './drugKnowledge';
import { type DoseUnit, ingredientKeyOf, isDoseUnit, type PrescriptionContent } from './prescription';

/** What the checks know about a drug (from the 薬価基準 master). */
export interface DrugFacts {
  code: string;
  name: string;
  ingredient: string; // 成分名
  kind: string; // 内用薬 / 注射薬 / 外用薬
  spec?: string; // 規格 (６０ｍｇ１錠), for the dose check
}

/** A drug the patient is taking: from another confirmed prescription still within its days. */
export interface ActiveDrug extends DrugFacts {
  since: string; // the prescription's date
}

/** One row of the 併用禁忌 table: each side a 成分名 or a code prefix, optionally limited to 区分. */
export interface InteractionRule {
  aIngredient: string;
  aKinds: string[];
  bIngredient: string;
  bKinds: string[];
  level: string;
  reason: string;
  source: string;
}

export interface AllergyFacts {
  substance: string;
  drugCode: string | null;
  category: 'food' | 'environment' | 'drug' | 'other';
  /** The registered product's 成分名 (from the master), for the same-class warning. */
  ingredient?: string | null;
}

/** What the dose check needs beyond the drugs: the patient and the tables. */
export interface DoseContext {
  limits: DoseLimit[];
  /** 1日回数 of a 用法 code (from the usages table); null when the code does not fix it. */
  perDay: (usageCode: string) => number | null;
  ageYears: number | null;
  /** The latest recorded weight; null when none is recorded. */
  weightKg: number | null;
}

export type FindingType = 'duplicate' | 'interaction' | 'allergy' | 'classAllergy' | 'dose';
export interface Finding {
  /** Stable across re-checks, so an override given for it still applies. */
  key: string;
  type: FindingType;
  drugCode: string;
  message: string;
  source?: string;
}

export const findingLabels: Record<FindingType, string> = {
  duplicate: '重複投与',
  interaction: '併用禁忌',
  allergy: 'アレルギー・薬剤禁忌',
  classAllergy: '同系統薬アレルギー',
  dose: '用量超過',
};

/**
 * A 成分名 as comparable parts: NFKC, kana and width folded, a trailing 水和物 dropped, and a 配合剤
 * (トラマドール塩酸塩・アセトアミノフェン) split at ・ so each of its ingredients counts.
 */
export function ingredientParts(ingredient: string): string[] {
  return normalizeForSearch(ingredient)
    .split(/[・･]/u)
    .map((p) => p.replace(/水和物$/u, ''))
    .filter((p) => p.length >= 2);
}
const sharedIngredient = (a: DrugFacts, b: DrugFacts) => {
  const x = ingredientParts(b.ingredient);
  return (
    a.ingredient.split(/[・･]/u).find((p) => ingredientParts(p).some((q) => x.includes(q))) ?? a.ingredient
  );
};

/** A rule side is a 薬価基準 code prefix (digits first, e.g. 6290003) or a 成分名 contained in the drug's. */
const matchesSide = (drug: DrugFacts, ingredient: string, kinds: string[]) =>
  (/^[0-9]{4}[0-9A-Z]*$/.test(ingredient)
    ? drug.code.startsWith(ingredient)
    : normalizeForSearch(drug.ingredient).includes(normalizeForSearch(ingredient))) &&
  (kinds.length === 0 || kinds.includes(drug.kind));

/**
 * The entry checks: the same ingredient twice (within the prescription or with what is active), 併用禁忌
 * pairs from the table, and the patient's drug allergies and 薬剤禁忌. Pure: the caller gathers the facts.
 */
export function checkPrescription(input: {
  content: Pick<PrescriptionContent, 'rps'>;
  facts: Map<string, DrugFacts>;
  active: ActiveDrug[];
  allergies: AllergyFacts[];
  rules: InteractionRule[];
  /** 薬効分類 table for class allergies (drug-classes.csv); none = no class matching. */
  classes?: DrugClassEntry[];
  /** Dose limits and the patient's age and weight; absent = no dose check. */
  doses?: DoseContext;
}): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add = (f: Finding) => {
    if (!seen.has(f.key)) {
      seen.add(f.key);
      findings.push(f);
    }
  };
  const ordered = input.content.rps.flatMap((r) => r.drugs.map((d) => input.facts.get(d.code) ?? null));
  const drugs = ordered.filter((d): d is DrugFacts => d !== null);

  // 重複投与: the same first 7 characters twice in this prescription, or already active; or, across
  // dosage forms (坐剤 and 錠 have different codes), a shared normalised 成分名 from the master.
  const sameIngredient = (a: DrugFacts, b: DrugFacts) => {
    const x = ingredientParts(a.ingredient);
    return x.length > 0 && ingredientParts(b.ingredient).some((p) => x.includes(p));
  };
  const pairKey = (a: DrugFacts, b: DrugFacts) =>
    [ingredientKeyOf(a.code), ingredientKeyOf(b.code)].sort().join('+');
  drugs.forEach((drug, i) => {
    const key7 = ingredientKeyOf(drug.code);
    const before = drugs.slice(0, i);
    const twin = before.find((d) => ingredientKeyOf(d.code) === key7);
    if (twin) {
      add({
        key: `duplicate:${key7}:this`,
        type: 'duplicate',
        drugCode: drug.code,
        message: `${drug.name} と ${twin.name} は同じ成分（${drug.ingredient}）です`,
      });
    }
    for (const other of before.filter((d) => ingredientKeyOf(d.code) !== key7 && sameIngredient(d, drug))) {
      add({
        key: `duplicate:${pairKey(drug, other)}:this`,
        type: 'duplicate',
        drugCode: drug.code,
        message: `${drug.name} と ${other.name} は同じ成分（${sharedIngredient(drug, other)}）です（剤形違い）`,
      });
    }
    for (const a of input.active) {
      if (ingredientKeyOf(a.code) === key7) {
        add({
          key: `duplicate:${key7}:active`,
          type: 'duplicate',
          drugCode: drug.code,
          message: `${drug.name}: 同じ成分（${drug.ingredient}）の ${a.name} を服用中です（${a.since} 処方）`,
        });
      } else if (sameIngredient(a, drug)) {
        add({
          key: `duplicate:${pairKey(drug, a)}:active`,
          type: 'duplicate',
          drugCode: drug.code,
          message: `${drug.name}: 同じ成分（${sharedIngredient(drug, a)}）の ${a.name} を服用中です（${a.since} 処方、剤形違い）`,
        });
      }
    }
  });

  // 併用禁忌: each rule, both directions, among this prescription and the active drugs.
  const pool = [
    ...drugs.map((d) => ({ d, active: false })),
    ...input.active.map((d) => ({ d, active: true })),
  ];
  for (const rule of input.rules) {
    for (const [x, y] of [
      [rule.aIngredient, rule.bIngredient],
      [rule.bIngredient, rule.aIngredient],
    ] as const) {
      const xKinds = x === rule.aIngredient ? rule.aKinds : rule.bKinds;
      const yKinds = x === rule.aIngredient ? rule.bKinds : rule.aKinds;
      for (const left of drugs.filter((d) => matchesSide(d, x, xKinds))) {
        for (const right of pool.filter((p) => p.d.code !== left.code && matchesSide(p.d, y, yKinds))) {
          const pair = [ingredientKeyOf(left.code), ingredientKeyOf(right.d.code)].sort().join('+');
          add({
            key: `interaction:${pair}`,
            type: 'interaction',
            drugCode: left.code,
            message: `${rule.level}: ${left.name} と ${right.d.name}${right.active ? '（服用中）' : ''} — ${rule.reason}`,
            source: rule.source,
          });
        }
      }
    }
  }

  // アレルギー・薬剤禁忌: by the registered drug code (same ingredient) or by the substance's name; an
  // allergy registered as a class (ペニシリン系) matches every drug of that class.
  const classes = input.classes ?? [];
  for (const drug of drugs) {
    const drugClasses = classesOf(drug, classes);
    for (const a of input.allergies) {
      if (a.category !== 'drug' && a.category !== 'other') continue;
      const sub = normalizeForSearch(a.substance);
      const className = classNamed(a.substance, classes);
      if (className) {
        if (drugClasses.some((c) => c.className === className)) {
          add({
            key: `allergy:${ingredientKeyOf(drug.code)}:class:${normalizeForSearch(className)}`,
            type: 'allergy',
            drugCode: drug.code,
            message: `${drug.name}: 登録されたアレルギー（${className}）に該当します（${drug.ingredient}は${className}）`,
            source: drugClasses.find((c) => c.className === className)?.source,
          });
        }
        continue;
      }
      const byCode = a.drugCode !== null && ingredientKeyOf(a.drugCode) === ingredientKeyOf(drug.code);
      const byName =
        sub.length >= 2 &&
        (normalizeForSearch(drug.ingredient).includes(sub) ||
          normalizeForSearch(drug.name).includes(sub) ||
          sub.includes(normalizeForSearch(drug.ingredient)));
      if (byCode || byName) {
        add({
          key: `allergy:${ingredientKeyOf(drug.code)}:${sub || a.drugCode}`,
          type: 'allergy',
          drugCode: drug.code,
          message: `${drug.name}: 登録されたアレルギー・薬剤禁忌（${a.substance || a.drugCode}）に該当します`,
        });
        continue;
      }
      // 同系統: a product (or ingredient) allergy warns on other drugs of the same class — same class
      // only; cross-class rules (ペニシリン系→セフェム系) are not assumed.
      const allergen = { code: a.drugCode ?? '', ingredient: a.ingredient || a.substance };
      const shared = classesOf(allergen, classes).filter((c) =>
        drugClasses.some((d) => d.className === c.className),
      );
      for (const c of shared) {
        add({
          key: `classAllergy:${ingredientKeyOf(drug.code)}:${sub || a.drugCode}`,
          type: 'classAllergy',
          drugCode: drug.code,
          message: `${drug.name}: 登録されたアレルギー（${a.substance || a.drugCode}）と同じ${c.className}です（交差反応に注意）`,
          source: c.source,
        });
      }
    }
  }

  // 用量超過: each 内服 line's daily amount against the dose-limit table (adult, or the child's weight).
  if (input.doses) {
    const ctx = input.doses;
    for (const rp of input.content.rps) {
      if (rp.kind !== 'oral') continue;
      for (const line of rp.drugs) {
        const drug = input.facts.get(line.code);
        if (!drug || !isDoseUnit(line.unit)) continue;
        for (const f of doseFindings({
          drug: { ...drug, spec: drug.spec ?? '' },
          dose: line.dose,
          unit: line.unit as DoseUnit,
          perDay: ctx.perDay(rp.usageCode),
          limits: ctx.limits,
          ageYears: ctx.ageYears,
          weightKg: ctx.weightKg,
        })) {
          add({ key: f.key, type: 'dose', drugCode: drug.code, message: f.message, source: f.source });
        }
      }
    }
  }
  return findings;
}

/** Findings that have no override with a reason yet. */
export function unresolvedFindings(findings: Finding[], overrides: { key: string; reason: string }[]) {
  const given = new Set(overrides.filter((o) => o.reason.trim() !== '').map((o) => o.key));
  return findings.filter((f) => !given.has(f.key));
}
