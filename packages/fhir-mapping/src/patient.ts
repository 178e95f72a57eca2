import type { Patient as FhirPatient } from 'fhir/r4';

/** What the mapping needs of a registered patient (a plain record: this package never touches the database). */
export interface PatientRecord {
  patientNumber: number;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string;
  postalCode: string;
  address: string;
  phone: string;
  updatedAt: Date;
}

const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';
/** 患者ID (施設): urn:oid:1.2.392.100495.20.3.51 + "1" + 10桁医療機関コード (JP Core; shared/fhir/NOTES.md §1.2). */
export const localPatientIdSystem = (institutionCode: string) =>
  `urn:oid:1.2.392.100495.20.3.51.1${institutionCode}`;

// 都道府県 at the start of the address, for Address.state; the rest up to 市区町村 for Address.city.
const STATE = /^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)/u;
const CITY = /^(.+?[市区町村])/u;

function name(family: string, given: string, representation: 'IDE' | 'SYL') {
  // Family and given separated by a half-width space: a full-width space is refused (JP-CLINS).
  return {
    extension: [{ url: EN_REPRESENTATION, valueCode: representation }],
    text: `${family} ${given}`,
    family,
    given: [given],
  };
}

/** JP Core Patient (JP_Patient) for a registered patient. The insurance identifier comes with Coverage. */
export function toFhirPatient(p: PatientRecord, institutionCode: string): FhirPatient {
  const state = STATE.exec(p.address)?.[1];
  const city = state ? CITY.exec(p.address.slice(state.length))?.[1] : undefined;
  return {
    resourceType: 'Patient',
    meta: {
      lastUpdated: p.updatedAt.toISOString(),
      profile: ['http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient'],
    },
    language: 'ja',
    identifier: [{ system: localPatientIdSystem(institutionCode), value: String(p.patientNumber) }],
    active: true,
    name: [name(p.familyName, p.givenName, 'IDE'), name(p.familyNameKana, p.givenNameKana, 'SYL')],
    ...(p.phone ? { telecom: [{ system: 'phone' as const, value: p.phone, use: 'home' as const }] } : {}),
    gender: p.sex,
    birthDate: p.birthDate,
    ...(p.address || p.postalCode
      ? {
          address: [
            {
              text: p.address,
              ...(p.postalCode ? { postalCode: p.postalCode } : {}),
              ...(city ? { city } : {}),
              ...(state ? { state } : {}),
            },
          ],
        }
      : {}),
  };
}
