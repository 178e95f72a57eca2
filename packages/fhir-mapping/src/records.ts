import type { PrescriptionContent } from '@karte/domain';

// Plain records the mapping reads: the API loads them from the database; this package never does.

/** SS-MIX2 診療科 (JP_Department_SsMix_VS), e.g. 01 内科. */
export interface Department {
  code: string;
  name: string;
}

export interface FacilityRecord {
  institutionCode: string; // 医療機関コード 10桁
  name: string;
  address: string;
  phone: string;
  department: Department;
}

/** The current 保険 of the patient, as entered at reception. */
export interface CoverageRecord {
  insurerNumber: string; // 保険者番号
  symbol: string; // 被保険者記号
  number: string; // 被保険者番号
  branch: string; // 枝番
}

export interface PractitionerRecord {
  id: string;
  name: string; // 漢字氏名 "姓 名"
}

export interface ProblemRecord {
  id: string;
  diseaseCode: string | null; // 病名管理番号; null = 未コード化
  diseaseName: string | null; // the master's name for the code
  icd10: string;
  name: string;
  prefix: string;
  suffix: string;
  main: boolean; // 主病名
  suspected: boolean; // 疑い
  onsetDate: string;
  outcome: '' | 'cured' | 'died' | 'stopped' | 'transferred'; // 転帰
  endDate: string | null;
  undisclosed: boolean; // 未告知
  notShared: boolean; // 未提供
  version: number;
  updatedAt: Date;
}

export interface AllergyRecord {
  id: string;
  category: 'food' | 'environment' | 'drug' | 'other';
  drugCode: string | null; // 薬価基準コード (= YJ) of a listed drug
  substance: string;
  criticality: 'low' | 'high' | 'unknown';
  reaction: string;
  onsetDate: string | null;
  status: 'active' | 'inactive' | 'resolved';
  version: number;
  updatedAt: Date;
}

export interface LabResultRecord {
  id: string;
  collectedOn: string;
  code: string;
  codeSystem: 'jlac10' | 'local';
  name: string;
  value: string;
  valueNum: number | null;
  unit: string;
  refLow: number | null;
  refHigh: number | null;
  refText: string;
  flag: '' | 'H' | 'L';
  specimen: string; // 検体 (血清, 尿 …) when known
  createdAt: Date;
}

/** One confirmed prescription (処方 entry version). */
export interface PrescriptionRecord {
  entryId: string;
  version: number;
  authoredOn: Date;
  prescribedOn: string;
  doctor: PractitionerRecord;
  content: PrescriptionContent;
}
