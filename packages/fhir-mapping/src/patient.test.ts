import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localPatientIdSystem, toFhirPatient } from './patient';

const fhirDir = fileURLToPath(new URL('../../../../shared/fhir/', import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(fhirDir + path, 'utf8'));

const record = {
  patientNumber: 999739,
  familyName: '牧野',
  givenName: '爛漫',
  familyNameKana: 'マキノ',
  givenNameKana: 'ランマン',
  sex: 'female' as const,
  birthDate: '1930-06-28',
  postalCode: '781-8125',
  address: '高知県高知市五台山4200-6',
  phone: '03-123-1234',
  updatedAt: new Date('2021-11-26T01:00:00Z'),
};

describe('toFhirPatient', () => {
  const patient = toFhirPatient(record, '1310123458');

  it('writes names, gender, birth date and address the way the official example does', () => {
    const example = json('jp-clins-1.5.2/examples/Patient-Example-JP-Patient-eCS-MAKINO.json');
    expect(patient.name).toEqual(example.name);
    expect(patient.address).toEqual(example.address);
    expect(patient.gender).toBe(example.gender);
    expect(patient.birthDate).toBe(example.birthDate);
  });

  it('meets the JP-CLINS Patient invariants that do not need insurance', () => {
    const profile = json('jp-clins-1.5.2/package/StructureDefinition-JP-Patient-eCS.json');
    const keys = profile.snapshot.element.flatMap((e: { constraint?: { key: string }[] }) =>
      (e.constraint ?? []).map((c) => c.key),
    );
    expect(keys).toContain('valid-system-local-patientID');
    expect(keys).toContain('kanjiName-kanaName-donot-contain-ZenkakuKuuhaku');
    // valid-system-local-patientID: one urn:oid:1.2.392.100495.20.3.51.1 + 10-digit code identifier.
    const local = patient.identifier?.filter((i) => i.system?.startsWith('urn:oid:1.2.392.100495.20.3.51.'));
    expect(local).toHaveLength(1);
    expect(local?.[0]?.system).toBe(localPatientIdSystem('1310123458'));
    expect(local?.[0]?.system?.slice(31)).toMatch(/^1(0[1-9]|[1-3][0-9]|4[0-7])[0-9][0-9]{7}$/);
    // No full-width space in represented names.
    expect(patient.name?.some((n) => n.text?.includes('　'))).toBe(false);
  });

  it('omits what the patient has not given', () => {
    const bare = toFhirPatient({ ...record, phone: '', address: '', postalCode: '' }, '1310123458');
    expect(bare.telecom).toBeUndefined();
    expect(bare.address).toBeUndefined();
  });
});
