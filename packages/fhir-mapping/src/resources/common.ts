import { createHash } from 'node:crypto';
import type { Coding, Encounter, Extension, Identifier, Meta, Practitioner, Reference } from 'fhir/r4';
import type { Department, PractitionerRecord } from '../records';

export const SD = 'http://jpfhir.jp/fhir/eCS/StructureDefinition/';
export const CORE_SD = 'http://jpfhir.jp/fhir/core/StructureDefinition/';
export const RESOURCE_ID = 'http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier';
export const INSTITUTION_NO = 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no';
export const INSURANCE_MEMBER_ID = 'http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID';
const INDICATION = 'http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication';
const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';

/** 医療機関番号 on every 5-info resource (JP_eCS_InstitutionNumber). */
export const institutionExtension = (code: string): Extension => ({
  url: 'http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber',
  valueIdentifier: { system: INSTITUTION_NO, value: code },
});

/** 診療科 (JP_eCS_Department), SS-MIX2 診療科コード. */
export const departmentExtension = (d: Department): Extension => ({
  url: 'http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_Department',
  valueCodeableConcept: {
    coding: [
      { system: 'http://jami.jp/SS-MIX2/CodeSystem/ClinicalDepartment', code: d.code, display: d.name },
    ],
    text: d.name,
  },
});

export const resourceIdentifier = (value: string): Identifier => ({ system: RESOURCE_ID, value });

export type Flag = 'LTS' | 'UNINFORMED' | 'UNDELIVERED';
const FLAG_DISPLAY: Record<Flag, string> = { LTS: '長期保存', UNINFORMED: '未告知', UNDELIVERED: '未提供' };

/** meta with the profile, lastUpdated and the 共有サービス flags (長期保存 / 未告知 / 未提供). */
export function meta(profile: string, lastUpdated: Date, flags: Flag[] = []): Meta {
  return {
    lastUpdated: lastUpdated.toISOString(),
    profile: [profile],
    ...(flags.length
      ? { tag: flags.map((code): Coding => ({ system: INDICATION, code, display: FLAG_DISPLAY[code] })) }
      : {}),
  };
}

/** The visit the finding belongs to, contained (JP_Encounter, as R9013C/R9013O require). */
export const containedEncounter = (id: string): Encounter => ({
  resourceType: 'Encounter',
  id: 'encounter',
  meta: { profile: [`${CORE_SD}JP_Encounter`] },
  identifier: [resourceIdentifier(id)],
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: '外来' },
});

export const practitionerIdSystem = (institutionCode: string) =>
  `urn:oid:1.2.392.100495.20.3.41.1${institutionCode}`;

/** A doctor, contained in a 5-info resource (JP_Practitioner). */
export const containedPractitioner = (p: PractitionerRecord, institutionCode: string): Practitioner => ({
  resourceType: 'Practitioner',
  id: 'practitioner',
  meta: { profile: [`${CORE_SD}JP_Practitioner`] },
  identifier: [{ system: practitionerIdSystem(institutionCode), value: p.id }],
  name: [{ extension: [{ url: EN_REPRESENTATION, valueCode: 'IDE' }], text: p.name }],
});

export const local = (id: string): Reference => ({ reference: `#${id}` });

/**
 * A stable urn:uuid from a name (SHA-1, RFC 4122 version 5 layout): the same record in the same Bundle
 * gets the same fullUrl on every build, so a resend is byte-identical and golden tests stay stable.
 */
export function uuidFor(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** "2026-11-25" → "2026-11-25T00:00:00+09:00": dates of the clinic are Japan time. */
export const jstDateTime = (d: Date) => {
  const j = new Date(d.getTime() + 9 * 3600_000);
  return `${j.toISOString().slice(0, 19)}+09:00`;
};
