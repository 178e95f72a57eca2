import type { Bundle, BundleEntry, FhirResource, Patient, Reference } from 'fhir/r4';
import type { PatientRecord } from '../patient';
import type { CoverageRecord, Department, FacilityRecord } from '../records';
import { jstDateTime, uuidFor } from '../resources/common';
import { insuredPersonId } from '../resources/insured';
import { toPatientEcs } from '../resources/patient';

export const BUNDLE_IDENTIFIER = 'http://jpfhir.jp/fhir/clins/bundle-identifier';

/** What a Bundle builder needs of the patient: the registry row and the current insurance. */
export interface PatientWithCoverage {
  patient: PatientRecord & { id: string; registeredAt: Date };
  coverage: CoverageRecord | null;
}

/** A Bundle and what it is, for the export file name and the share service's queue. */
export interface BuiltBundle {
  kind: 'conditions' | 'allergies' | 'labs' | 'delete' | 'referral' | 'discharge' | 'checkup';
  /** Bundle.identifier.value: <医療機関コード>^<year>^<id>, stable for the same logical submission. */
  identifier: string;
  bundle: Bundle;
}

/** Something that could not go into a Bundle, and exactly why. */
export interface Refusal {
  item: string;
  reason: string;
}

/** Years the identifier rule accepts (R2152: 20[2-3]x). */
export const identifierYear = (d: Date | string) => {
  const y = typeof d === 'string' ? Number(d.slice(0, 4)) : d.getUTCFullYear();
  return Math.min(2039, Math.max(2020, y));
};
export const bundleIdentifier = (f: FacilityRecord, year: number, id: string) =>
  `${f.institutionCode}^${year}^${id}`;

/** The Patient entry every CLINS Bundle starts with, or the reason it cannot be made. */
export function patientEntry(
  p: PatientWithCoverage,
  f: FacilityRecord,
  scope: string,
): { entry: BundleEntry; subject: Reference } | { refusal: Refusal } {
  const id = insuredPersonId(p.coverage);
  if (!id.ok) return { refusal: { item: `患者 ${p.patient.patientNumber}`, reason: id.reason } };
  const fullUrl = uuidFor(`${scope}/Patient/${p.patient.id}`);
  const resource: Patient = toPatientEcs(p.patient, f.institutionCode, id.value);
  return { entry: { fullUrl, resource }, subject: { reference: fullUrl } };
}

export const entryFor = (scope: string, key: string, resource: FhirResource): BundleEntry => ({
  fullUrl: uuidFor(`${scope}/${resource.resourceType}/${key}`),
  resource,
});

export function bundleShell(
  profile: string,
  type: 'collection' | 'document',
  identifier: string,
  now: Date,
  entry: BundleEntry[],
  tag?: string,
): Bundle {
  return {
    resourceType: 'Bundle',
    meta: {
      lastUpdated: now.toISOString(),
      profile: [`${profile}|1`],
      ...(tag
        ? { tag: [{ system: 'http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS', code: tag }] }
        : {}),
    },
    language: 'ja',
    identifier: { system: BUNDLE_IDENTIFIER, value: identifier },
    type,
    timestamp: jstDateTime(now),
    entry,
  };
}

export const DEFAULT_DEPARTMENT: Department = { code: '01', name: '内科' };
