import type {
  BundleEntry,
  CompositionSection,
  Encounter,
  Organization,
  Practitioner,
  Reference,
} from 'fhir/r4';
import type { FacilityRecord, PractitionerRecord } from '../records';
import {
  departmentExtension,
  INSTITUTION_NO,
  practitionerIdSystem,
  resourceIdentifier,
  SD,
} from '../resources/common';

export const SECTION_SYSTEM = 'http://jpfhir.jp/fhir/clins/CodeSystem/document-section';
const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';

/** A section as printed and as narrated: title, lines of text, and the entries it points at. */
export interface PrintSection {
  code: string;
  title: string;
  lines: string[];
  sub?: PrintSection[];
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XHTML narrative (section.text.div) of the lines; an empty section says so rather than staying blank. */
export const narrative = (lines: string[]) =>
  `<div xmlns="http://www.w3.org/1999/xhtml">${(lines.length ? lines : ['記載なし'])
    .flatMap((l) => l.split('\n'))
    .map((l) => `<p>${escapeXml(l)}</p>`)
    .join('')}</div>`;

export function section(
  code: string,
  title: string,
  lines: string[],
  entries: BundleEntry[] = [],
  opts: { system?: string; display?: string; status?: 'additional' | 'generated' } = {},
): CompositionSection {
  return {
    title,
    code: {
      coding: [
        { system: opts.system ?? SECTION_SYSTEM, code, display: opts.display ?? `${title}セクション` },
      ],
    },
    text: { status: opts.status ?? 'additional', div: narrative(lines) },
    ...(entries.length
      ? {
          entry: entries.map((e): Reference => ({ reference: e.fullUrl, type: e.resource?.resourceType })),
        }
      : {}),
  };
}

/** A name "姓 名" as JP Core wants it: text plus family and given when the space tells them apart. */
export function humanName(name: string) {
  const [family, ...rest] = name.trim().split(/[\s　]+/);
  return {
    extension: [{ url: EN_REPRESENTATION, valueCode: 'IDE' }],
    use: 'official' as const,
    text: [family, ...rest].join(' '),
    ...(family ? { family } : {}),
    ...(rest.length ? { given: [rest.join(' ')] } : {}),
  };
}

export function practitionerEcs(
  p: PractitionerRecord,
  institutionCode: string | null,
  now: Date,
): Practitioner {
  return {
    resourceType: 'Practitioner',
    meta: { lastUpdated: now.toISOString(), profile: [`${SD}JP_Practitioner_eCS`] },
    ...(institutionCode
      ? { identifier: [{ system: practitionerIdSystem(institutionCode), value: p.id }] }
      : {}),
    name: [humanName(p.name)],
  };
}

/** An institution (JP_Organization_eCS): 医療機関コード, name, prefecture, department. */
export function organizationEcs(
  o: { institutionCode: string; name: string; address?: string; phone?: string; department?: string },
  now: Date,
  facility?: FacilityRecord,
): Organization {
  return {
    resourceType: 'Organization',
    meta: { lastUpdated: now.toISOString(), profile: [`${SD}JP_Organization_eCS`] },
    extension: [
      {
        url: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_PrefectureNo',
        valueCoding: {
          system: 'http://jpfhir.jp/fhir/core/mhlw/CodeSystem/PrefectureNo-2digits',
          code: o.institutionCode.slice(0, 2),
        },
      },
      {
        url: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_InsuranceOrganizationCategory',
        valueCoding: {
          system: 'http://jpfhir.jp/fhir/core/mhlw/CodeSystem/MedicationFeeScoreType',
          code: o.institutionCode.slice(2, 3),
        },
      },
      {
        url: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Organization_InsuranceOrganizationNo',
        valueIdentifier: {
          system: 'http://jpfhir.jp/fhir/core/mhlw/IdSystem/MedicalOrganizationID',
          value: o.institutionCode.slice(3),
        },
      },
      ...(facility ? [departmentExtension(facility.department)] : []),
      ...(o.department && !facility
        ? [
            {
              url: 'http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department',
              valueCodeableConcept: { text: o.department },
            },
          ]
        : []),
    ],
    identifier: [{ system: INSTITUTION_NO, value: o.institutionCode }],
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] }],
    name: o.name,
    ...(o.phone ? { telecom: [{ system: 'phone' as const, value: o.phone }] } : {}),
    ...(o.address ? { address: [{ text: o.address }] } : {}),
  };
}

const CLASS = {
  AMB: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: '外来' },
  IMP: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: '入院' },
};

/** A visit or stay (JP_Encounter_eCS), e.g. the visit the letter was written at, or the admission. */
export function encounterEcs(
  id: string,
  kind: 'AMB' | 'IMP',
  period: { start: string; end?: string },
  now: Date,
  reason?: string,
): Encounter {
  return {
    resourceType: 'Encounter',
    meta: { lastUpdated: now.toISOString(), profile: [`${SD}JP_Encounter_eCS`] },
    identifier: [resourceIdentifier(id)],
    status: 'finished',
    class: CLASS[kind],
    classHistory: [{ class: CLASS[kind], period }],
    period,
    ...(reason ? { reasonCode: [{ text: reason }] } : {}),
  };
}
