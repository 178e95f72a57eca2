import type { Patient } from 'fhir/r4';
import { type PatientRecord, toFhirPatient } from '../patient';
import { INSURANCE_MEMBER_ID, SD } from './common';

/** JP_Patient_eCS: the JP Core patient plus the 被保険者個人識別子 the share service keys on. */
export function toPatientEcs(p: PatientRecord, institutionCode: string, insuredId: string): Patient {
  const base = toFhirPatient(p, institutionCode);
  return {
    ...base,
    meta: { ...base.meta, profile: [`${SD}JP_Patient_eCS`] },
    identifier: [...(base.identifier ?? []), { system: INSURANCE_MEMBER_ID, value: insuredId }],
    // JP_Patient_eCS needs an address with text; a patient without one is "住所不明".
    address: base.address ?? [{ text: '住所不明' }],
  };
}
