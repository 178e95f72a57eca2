import type { Bundle, BundleEntry, Composition, CompositionEvent, Reference } from 'fhir/r4';
import {
  type BuiltBundle,
  bundleIdentifier,
  bundleShell,
  entryFor,
  identifierYear,
  type PatientWithCoverage,
  patientEntry,
  type Refusal,
} from '../bundles/common';
import type {
  AllergyRecord,
  FacilityRecord,
  LabResultRecord,
  PractitionerRecord,
  PrescriptionRecord,
  ProblemRecord,
} from '../records';
import { toAllergyEcs } from '../resources/allergy';
import { resourceIdentifier } from '../resources/common';
import { problemText, toConditionEcs } from '../resources/condition';
import { toLabResultEcs } from '../resources/labResult';
import { toMedicationRequestsEcs } from '../resources/medicationRequest';
import { organizationEcs, type PrintSection, practitionerEcs, SECTION_SYSTEM, section } from './common';

/** What a document is built from: the patient, the author, and the chart records picked for it. */
export interface DocumentSource extends PatientWithCoverage {
  facility: FacilityRecord;
  author: PractitionerRecord;
  entryId: string; // the document's chart entry: its Bundle identifier and Composition identifier
  version: number;
  issuedAt: Date; // first 確定 (the identifier's year)
  encounterDate: string;
  problems: ProblemRecord[];
  allergies: AllergyRecord[];
  labs: LabResultRecord[];
  prescriptions: PrescriptionRecord[];
}

export interface BuiltDocument {
  built?: BuiltBundle;
  sections: PrintSection[];
  /** Items left out of the structured part (still written in the narrative), or why no Bundle was made. */
  omitted: Refusal[];
}

export const documentIdentifier = (s: DocumentSource) =>
  bundleIdentifier(s.facility, identifierYear(s.issuedAt), `D-${s.entryId.replaceAll('-', '')}`);

/** Shared plumbing of the CLINS documents: the Patient, the author and the chart records as entries. */
export function documentParts(s: DocumentSource, now: Date) {
  const identifier = documentIdentifier(s);
  const pe = patientEntry(s, s.facility, identifier);
  if ('refusal' in pe) return { refusal: pe.refusal };
  const ctx = {
    institutionCode: s.facility.institutionCode,
    department: s.facility.department,
    subject: pe.subject,
  };
  const omitted: Refusal[] = [];
  const author = entryFor(
    identifier,
    `author-${s.author.id}`,
    practitionerEcs(s.author, s.facility.institutionCode, now),
  );
  // The clinic issuing the document (作成機関・紹介元) as an entry under `key`.
  const clinic = (key: string) =>
    entryFor(
      identifier,
      key,
      organizationEcs(
        {
          institutionCode: s.facility.institutionCode,
          name: s.facility.name,
          address: s.facility.address,
          phone: s.facility.phone,
        },
        now,
        s.facility,
      ),
    );
  const conditions = (list: ProblemRecord[]) =>
    list.flatMap((p) => {
      if (!p.diseaseCode) {
        omitted.push({
          item: `病名「${problemText(p)}」`,
          reason: '標準病名マスターのコードがないため本文のみに記載します',
        });
        return [];
      }
      return [entryFor(identifier, p.id, toConditionEcs({ ...p, diseaseCode: p.diseaseCode }, ctx))];
    });
  const allergies = (list: AllergyRecord[]) =>
    list.map((a) => entryFor(identifier, a.id, toAllergyEcs(a, ctx)));
  const labs = (list: LabResultRecord[]) =>
    list.map((l) => entryFor(identifier, l.id, toLabResultEcs(l, ctx)));
  const medications = (list: PrescriptionRecord[]) =>
    list.flatMap((p) =>
      toMedicationRequestsEcs(p, ctx).map((mr, i) =>
        entryFor(identifier, `${p.entryId}-${p.version}-${i}`, mr),
      ),
    );
  return { identifier, patient: pe, ctx, author, clinic, omitted, conditions, allergies, labs, medications };
}

export function composition(
  s: DocumentSource,
  now: Date,
  profile: string,
  fields: Omit<
    Composition,
    'resourceType' | 'meta' | 'status' | 'identifier' | 'extension' | 'subject' | 'date' | 'author'
  > & {
    author: Reference[];
  },
  subject: Reference,
): Composition {
  return {
    resourceType: 'Composition',
    meta: { lastUpdated: now.toISOString(), profile: [`${profile}|1`] },
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber',
        valueString: String(s.version),
      },
    ],
    identifier: resourceIdentifier(`${s.facility.institutionCode}-${s.entryId}`),
    status: 'final',
    language: 'ja',
    subject,
    date: now.toISOString(),
    ...fields,
  } as Composition;
}

/** A structured section (code, title, narrative lines, entries) under the "300 構造情報" section. */
export type StructuredSection = [code: string, title: string, lines: string[], entries: BundleEntry[]];

/** The "300 構造情報" section of a CLINS document, and its printed form. */
export const structuredSection = (structured: StructuredSection[]) => ({
  title: '構造情報',
  code: { coding: [{ system: SECTION_SYSTEM, code: '300', display: '構造情報セクション' }] },
  section: structured.map(([code, title, l, entries]) => section(code, title, l, entries)),
});
export const structuredPrint = (structured: StructuredSection[]): PrintSection => ({
  code: '300',
  title: '構造情報',
  lines: [],
  sub: structured.map(([code, title, l]) => ({ code, title, lines: l })),
});

/**
 * The Composition of a CLINS document (診療情報提供書, 退院時サマリー): its type and sub-type, the author as the
 * practitioner and the clinic, the clinic as custodian.
 */
export function clinsComposition(
  s: DocumentSource,
  now: Date,
  profile: string,
  doc: {
    type: [code: string, display: string];
    subtype: [code: string, display: string];
    encounter: BundleEntry;
    author: BundleEntry;
    clinic: BundleEntry;
    event: CompositionEvent[];
    section: Composition['section'];
    subject: Reference;
  },
): Composition {
  const [typeCode, typeDisplay] = doc.type;
  const [subCode, subDisplay] = doc.subtype;
  return composition(
    s,
    now,
    profile,
    {
      type: {
        coding: [
          {
            system: 'http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes',
            code: typeCode,
            display: typeDisplay,
          },
        ],
      },
      category: [
        {
          coding: [
            {
              system: 'http://jpfhir.jp/fhir/Common/CodeSystem/doc-subtypecodes',
              code: subCode,
              display: subDisplay,
            },
          ],
        },
      ],
      encounter: { reference: doc.encounter.fullUrl, type: 'Encounter' },
      author: [
        { reference: doc.author.fullUrl, type: 'Practitioner' },
        { reference: doc.clinic.fullUrl, type: 'Organization' },
      ],
      title: typeDisplay,
      custodian: { reference: doc.clinic.fullUrl, type: 'Organization' },
      event: doc.event,
      section: doc.section,
    },
    doc.subject,
  );
}

export function documentBundle(
  kind: BuiltBundle['kind'],
  profile: string,
  identifier: string,
  now: Date,
  entries: BundleEntry[],
): BuiltBundle {
  const bundle: Bundle = bundleShell(profile, 'document', identifier, now, entries);
  return { kind, identifier, bundle };
}

export const lines = (text: string) => (text.trim() ? [text.trim()] : []);
export const dateJa = (d: string) => {
  const [y, m, day] = d.split('-');
  return y && m && day ? `${y}年${Number(m)}月${Number(day)}日` : d;
};
export const labLine = (l: LabResultRecord) =>
  `${dateJa(l.collectedOn)} ${l.name} ${l.value}${l.unit ? ` ${l.unit}` : ''}${l.flag ? ` (${l.flag})` : ''}`;
