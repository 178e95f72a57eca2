import type { PatientChart } from '../bundles/clins';
import type { FacilityRecord, PrescriptionRecord } from '../records';

// A clinic and a patient with every kind of record, for golden tests and the benchmark.

export const facility: FacilityRecord = {
  institutionCode: '1310123458',
  name: 'かるて内科クリニック',
  address: '東京都千代田区霞が関1-2-2',
  phone: '03-1234-5678',
  department: { code: '01', name: '内科' },
};

export const at = new Date('2026-11-25T01:00:00Z');

export function chartFor(n: number): PatientChart {
  const id = (k: string) => `00000000-0000-4000-8000-${String(n).padStart(8, '0')}${k.padStart(4, '0')}`;
  return {
    patient: {
      id: id('0'),
      patientNumber: n,
      familyName: '山田',
      givenName: '花子',
      familyNameKana: 'ヤマダ',
      givenNameKana: 'ハナコ',
      sex: 'female',
      birthDate: '1958-04-12',
      postalCode: '100-0013',
      address: '東京都千代田区霞が関1-1-1',
      phone: '03-1111-2222',
      updatedAt: new Date('2026-04-01T00:00:00Z'),
      registeredAt: new Date('2026-04-01T00:00:00Z'),
    },
    coverage: { insurerNumber: '01130012', symbol: 'あいう', number: '187', branch: '05' },
    problems: [
      {
        id: id('11'),
        diseaseCode: '20064049',
        diseaseName: '十二指腸潰瘍',
        icd10: 'K269',
        name: '十二指腸潰瘍',
        prefix: '',
        suffix: '',
        main: true,
        suspected: false,
        onsetDate: '2025-06-01',
        outcome: '',
        endDate: null,
        undisclosed: false,
        notShared: false,
        version: 1,
        updatedAt: new Date('2026-04-01T00:00:00Z'),
      },
      {
        id: id('12'),
        diseaseCode: '20064049',
        diseaseName: '胃癌',
        icd10: 'C169',
        name: '胃癌',
        prefix: '',
        suffix: '',
        main: false,
        suspected: true,
        onsetDate: '2026-10-01',
        outcome: 'cured',
        endDate: '2026-11-01',
        undisclosed: true,
        notShared: false,
        version: 2,
        updatedAt: new Date('2026-11-01T00:00:00Z'),
      },
    ],
    allergies: [
      {
        id: id('21'),
        category: 'drug',
        drugCode: '1149019F1560',
        substance: 'ロキソプロフェンナトリウム',
        criticality: 'high',
        reaction: '蕁麻疹',
        onsetDate: '2019-05-01',
        status: 'active',
        version: 1,
        updatedAt: new Date('2026-04-01T00:00:00Z'),
      },
      {
        id: id('22'),
        category: 'food',
        drugCode: null,
        substance: 'そば',
        criticality: 'unknown',
        reaction: '',
        onsetDate: null,
        status: 'active',
        version: 1,
        updatedAt: new Date('2026-04-01T00:00:00Z'),
      },
    ],
    labs: [
      lab(id('31'), '3A015000002327101', 'jlac10', 'アルブミン', '4.2', 4.2, 'g/dL', 3.8, 5.2, '', '血清'),
      lab(id('32'), '3D046000001906202', 'jlac10', 'HbA1c', '6.8', 6.8, '%', 4.6, 6.2, 'H', '全血'),
      lab(id('33'), '5F016141001819011', 'jlac10', 'HBs抗原', '陰性', null, '', null, null, '', '血清'),
      lab(id('34'), 'K-9001', 'local', '院内迅速検査', '陰性', null, '', null, null, '', '鼻腔'),
    ],
  };
}

function lab(
  id: string,
  code: string,
  codeSystem: 'jlac10' | 'local',
  name: string,
  value: string,
  valueNum: number | null,
  unit: string,
  refLow: number | null,
  refHigh: number | null,
  flag: '' | 'H' | 'L',
  specimen: string,
) {
  return {
    id,
    collectedOn: '2026-11-20',
    code,
    codeSystem,
    name,
    value,
    valueNum,
    unit,
    refLow,
    refHigh,
    refText: '',
    flag,
    specimen,
    createdAt: new Date('2026-11-21T00:00:00Z'),
  };
}

export const prescription: PrescriptionRecord = {
  entryId: '00000000-0000-4000-8000-000000000901',
  version: 1,
  authoredOn: new Date('2026-11-20T01:00:00Z'),
  prescribedOn: '2026-11-20',
  doctor: { id: '00000000-0000-4000-8000-000000000777', name: '診療 太郎' },
  content: {
    place: 'outside',
    overrides: [],
    rps: [
      {
        usageCode: '1013044400000000',
        usageText: '１日３回朝昼夕食後　服用',
        kind: 'oral',
        days: 7,
        times: null,
        drugs: [
          {
            code: '1149019F1560',
            generic: true,
            name: '【般】ロキソプロフェンＮａ錠６０ｍｇ',
            dose: 1,
            unit: 'TAB',
          },
        ],
      },
    ],
  },
};
