import type { BundleEntry } from 'fhir/r4';
import type { AllergyRecord, FacilityRecord, LabResultRecord, ProblemRecord } from '../records';
import { toAllergyEcs } from '../resources/allergy';
import { problemText, toConditionEcs } from '../resources/condition';
import { toLabResultEcs } from '../resources/labResult';
import {
  type BuiltBundle,
  bundleIdentifier,
  bundleShell,
  entryFor,
  identifierYear,
  type PatientWithCoverage,
  patientEntry,
  type Refusal,
} from './common';

export const CLINS_BUNDLE = 'http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS';

/** The patient's 5-info records as the share service sees them (6情報 minus 処方, which goes in documents). */
export interface PatientChart extends PatientWithCoverage {
  problems: ProblemRecord[];
  allergies: AllergyRecord[];
  labs: LabResultRecord[];
}

const fiveYearsBefore = (now: Date) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - 5);
  return d.toISOString().slice(0, 10);
};

/** Conditions in the snapshot: still open, or ended within five years (報告単位, NOTES.md §2.1). */
export const inConditionSnapshot = (p: ProblemRecord, now: Date) =>
  p.endDate === null || p.endDate >= fiveYearsBefore(now);
/** Allergies: active, or ended (inactive / resolved) within five years of the change. */
export const inAllergySnapshot = (a: AllergyRecord, now: Date) =>
  a.status === 'active' || a.updatedAt.toISOString().slice(0, 10) >= fiveYearsBefore(now);

// Stable identifiers: one snapshot per patient and kind (a resend replaces it), one per lab report day.
export const clinsIdentifiers = {
  conditions: (f: FacilityRecord, p: PatientWithCoverage) =>
    bundleIdentifier(f, identifierYear(p.patient.registeredAt), `C-${p.patient.patientNumber}`),
  allergies: (f: FacilityRecord, p: PatientWithCoverage) =>
    bundleIdentifier(f, identifierYear(p.patient.registeredAt), `A-${p.patient.patientNumber}`),
  labs: (f: FacilityRecord, p: PatientWithCoverage, collectedOn: string) =>
    bundleIdentifier(
      f,
      identifierYear(collectedOn),
      `L-${p.patient.patientNumber}-${collectedOn.replaceAll('-', '')}`,
    ),
};

/**
 * The JP_Bundle_CLINS Bundles of one patient: the condition snapshot, the allergy snapshot and one lab
 * report per collection day, each with the Patient first and one resource type. What cannot be sent is
 * returned in `refused` with the reason, never emitted half-valid.
 */
export function buildClinsBundles(chart: PatientChart, f: FacilityRecord, now: Date) {
  const bundles: BuiltBundle[] = [];
  const refused: Refusal[] = [];
  const make = (kind: BuiltBundle['kind'], identifier: string, tag: string, entries: BundleEntry[]) => {
    const scope = identifier;
    const pe = patientEntry(chart, f, scope);
    if ('refusal' in pe) return pe;
    bundles.push({
      kind,
      identifier,
      bundle: bundleShell(CLINS_BUNDLE, 'collection', identifier, now, [pe.entry, ...entries], tag),
    });
    return pe;
  };
  const ctx = (identifier: string) => {
    const pe = patientEntry(chart, f, identifier);
    return 'refusal' in pe
      ? undefined
      : { subject: pe.subject, institutionCode: f.institutionCode, department: f.department };
  };

  const probe = patientEntry(chart, f, 'probe');
  if ('refusal' in probe) return { bundles, refused: [probe.refusal] };

  // 傷病名
  const cid = clinsIdentifiers.conditions(f, chart);
  const cctx = ctx(cid)!;
  const conditions: BundleEntry[] = [];
  for (const p of chart.problems.filter((p) => inConditionSnapshot(p, now))) {
    if (p.notShared) {
      refused.push({
        item: `病名「${problemText(p)}」`,
        reason: '未提供（共有しない）の指定があるため送りません',
      });
    } else if (!p.diseaseCode) {
      refused.push({
        item: `病名「${problemText(p)}」`,
        reason: '標準病名マスターのコードがない病名は共有できません（JP-CLINSは病名管理番号が必須）',
      });
    } else conditions.push(entryFor(cid, p.id, toConditionEcs({ ...p, diseaseCode: p.diseaseCode }, cctx)));
  }
  if (conditions.length) make('conditions', cid, 'Condition', conditions);

  // アレルギー・薬剤禁忌
  const aid = clinsIdentifiers.allergies(f, chart);
  const actx = ctx(aid)!;
  const allergies = chart.allergies
    .filter((a) => inAllergySnapshot(a, now))
    .map((a) => entryFor(aid, a.id, toAllergyEcs(a, actx)));
  if (allergies.length) make('allergies', aid, 'AllergyIntolerance', allergies);

  // 検査・感染症: one report (collection day) per Bundle
  const days = [...new Set(chart.labs.map((l) => l.collectedOn))].sort();
  for (const day of days) {
    const lid = clinsIdentifiers.labs(f, chart, day);
    const lctx = ctx(lid)!;
    const entries = chart.labs
      .filter((l) => l.collectedOn === day)
      .map((l) => entryFor(lid, l.id, toLabResultEcs(l, lctx)));
    make('labs', lid, 'Observation', entries);
  }
  return { bundles, refused };
}

/**
 * The Patient-only Bundle that deletes what was sent under `identifier` (NOTES.md §2.1). It keeps the
 * resource-type tag of what it deletes; the one invariant it cannot meet (an entry of that type,
 * mustHaveOneMoreResources…) is waived for deletions by validateBundle's `deletion` option.
 */
export function buildDeleteBundle(
  p: PatientWithCoverage,
  f: FacilityRecord,
  identifier: string,
  resourceType: 'Condition' | 'AllergyIntolerance' | 'Observation',
  now: Date,
) {
  const pe = patientEntry(p, f, identifier);
  if ('refusal' in pe) return { refusal: pe.refusal };
  const bundle: BuiltBundle = {
    kind: 'delete',
    identifier,
    bundle: bundleShell(CLINS_BUNDLE, 'collection', identifier, now, [pe.entry], resourceType),
  };
  return { bundle };
}
