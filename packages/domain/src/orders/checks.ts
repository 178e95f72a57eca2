import { normalizeForSearch } from '../kana';
import { ingredientKeyOf, type PrescriptionContent } from './prescription';

/** What the checks know about a drug (from the 薬価基準 master). */
export interface DrugFacts {
  code: string;
  name: string;
  ingredient: string; // 成分名
  kind: string; // 内用薬 / 注射薬 / 外用薬
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
}

export type FindingType = 'duplicate' | 'interaction' | 'allergy';
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

  // アレルギー・薬剤禁忌: by the registered drug code (same ingredient) or by the substance's name.
  for (const drug of drugs) {
    for (const a of input.allergies) {
      if (a.category !== 'drug' && a.category !== 'other') continue;
      const sub = normalizeForSearch(a.substance);
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
