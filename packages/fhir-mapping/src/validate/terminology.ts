import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllergyIntolerance, Condition, Observation, Resource } from 'fhir/r4';
import type { ValidationIssue } from './issue';
import { definitionsDir } from './vendor';

export interface TerminologyOptions {
  /** Is this a 病名管理番号 of the standard disease master? Without it only the format is checked. */
  isMedisCode?: (code: string) => boolean;
}

/** system → the fixed display of a JLAC slice (ALB, U-TP-半定量 …) → the codes its required ValueSet holds. */
type SliceLists = Record<string, Record<string, string[]>>;
let lists: SliceLists | undefined;
export function jlacSlices(): SliceLists {
  lists ??= JSON.parse(readFileSync(join(definitionsDir, 'jlac.json'), 'utf8')) as SliceLists;
  return lists;
}

const CLINS_CS = 'http://jpfhir.jp/fhir/clins/CodeSystem/';
export const jlacSystems = {
  core10: `${CLINS_CS}JLAC10/JP_CLINS_ObsLabResult_CoreLabo_CS`,
  infection10: `${CLINS_CS}JLAC10/JP_CLINS_ObsLabResult_InfectionLabo_CS`,
  core11: `${CLINS_CS}JLAC11/JP_CLINS_ObsLabResult_CoreLabo_CS`,
  infection11: `${CLINS_CS}JLAC11/JP_CLINS_ObsLabResult_InfectionLabo_CS`,
} as const;

/** The JP-CLINS slice (system and display) a JLAC10 code belongs to, core (検査) or infection (感染症). */
export function jlacSliceOf(
  code: string,
): { system: string; display: string; group: 'core' | 'infection' } | undefined {
  for (const group of ['core', 'infection'] as const) {
    const system = jlacSystems[`${group}10`];
    for (const [display, codes] of Object.entries(jlacSlices()[system] ?? {}))
      if (codes.includes(code)) return { system, display, group };
  }
  return undefined;
}

export const MEDIS_DISEASE = 'http://medis.or.jp/CodeSystem/master-disease-keyNumber';
const ALLERGEN = /^(YCM[0-9A-Z]{12}|GCM[0-9A-Z]{12}|J9[FN][0-9A-Z]{9}|D9[MFN]000000000)$/;
const ALLERGEN_SYSTEM = /^http:\/\/jpfhir\.jp\/fhir\/core\/CodeSystem\/(YCM\/|GCM\/)?JP_Jfagy/;

/**
 * Bindings Medplum does not check (NOTES.md §6.1): the JLAC lists of JP-CLINS (code in the item's list,
 * display = the item), MEDIS 病名管理番号 (membership through the caller's master), JFAGY allergen code forms.
 */
export function checkTerminology(
  resource: Resource,
  path: string,
  options: TerminologyOptions,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const bad = (p: string, message: string, messageJa: string) =>
    issues.push({ severity: 'error', path: `${path}.${p}`, message, messageJa });
  if (resource.resourceType === 'Observation') {
    // A coding that matches a slice (system + fixed display) must carry a code of that slice's ValueSet;
    // other displays fall outside the slices (allowed: the slicing is open, the item is just not 5-info).
    (resource as Observation).code?.coding?.forEach((c, i) => {
      const codes = jlacSlices()[c.system ?? '']?.[c.display ?? ''];
      if (codes && !codes.includes(c.code ?? ''))
        bad(
          `code.coding[${i}]`,
          `${c.code} is not in the ValueSet of ${c.display}`,
          `JLACコード ${c.code} は共有サービスの検査項目「${c.display}」の一覧にありません`,
        );
    });
  }
  if (resource.resourceType === 'Condition') {
    (resource as Condition).code?.coding?.forEach((c, i) => {
      if (c.system !== MEDIS_DISEASE) return;
      if (!/^\d{8}$/.test(c.code ?? '') || (options.isMedisCode && !options.isMedisCode(c.code ?? '')))
        bad(
          `code.coding[${i}]`,
          `${c.code} is not a MEDIS disease record number`,
          `病名管理番号 ${c.code} は標準病名マスターにありません`,
        );
    });
  }
  if (resource.resourceType === 'AllergyIntolerance') {
    (resource as AllergyIntolerance).code?.coding?.forEach((c, i) => {
      if (ALLERGEN_SYSTEM.test(c.system ?? '') && !ALLERGEN.test(c.code ?? ''))
        bad(
          `code.coding[${i}]`,
          `${c.code} is not a JFAGY allergen code`,
          `アレルゲンコード ${c.code} の形式が正しくありません`,
        );
    });
  }
  return issues;
}
