import {
  allergiesForSharing,
  currentCoverage,
  documentsForSharing,
  facilityRow,
  getPatient,
  labsForSharing,
  prescriptionsForSharing,
  problemsForSharing,
  type Tx,
} from '@karte/db';
import {
  DEFAULT_DEPARTMENT,
  type FacilityRecord,
  type PatientChart,
  type PrescriptionRecord,
} from '@karte/fhir-mapping';
import { TRPCError } from '@trpc/server';

/** The clinic as the mapping sees it: its first 診療科 (クリニック設定) is the one its records are sent under. */
export async function loadFacility(tx: Tx, facilityId: string): Promise<FacilityRecord> {
  const f = await facilityRow(tx, facilityId);
  if (!f) throw new TRPCError({ code: 'NOT_FOUND', message: '医療機関が見つかりません' });
  return {
    institutionCode: f.institutionCode,
    name: f.name,
    address: f.address,
    phone: f.phone,
    department: f.departments[0] ?? DEFAULT_DEPARTMENT,
  };
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** Everything of one patient the share service takes, as plain records (read in the caller's transaction). */
export async function loadPatientRecords(tx: Tx, facilityId: string, patientId: string) {
  const p = await getPatient(tx, facilityId, patientId);
  if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  const [coverage, problems, allergies, labs, rx, documents] = await Promise.all([
    currentCoverage(tx, facilityId, patientId),
    problemsForSharing(tx, facilityId, patientId),
    allergiesForSharing(tx, facilityId, patientId),
    labsForSharing(tx, facilityId, patientId),
    prescriptionsForSharing(tx, facilityId, patientId),
    documentsForSharing(tx, facilityId, patientId),
  ]);
  const chart: PatientChart = {
    patient: { ...p, registeredAt: p.createdAt },
    coverage: coverage && {
      insurerNumber: coverage.insurerNumber,
      symbol: coverage.symbol,
      number: coverage.number,
      branch: coverage.branch,
    },
    problems: problems.map(({ problem: r, diseaseName, icd10 }) => ({
      id: r.id,
      diseaseCode: r.diseaseCode,
      diseaseName,
      icd10: icd10 ?? '',
      name: r.name,
      prefix: r.prefix,
      suffix: r.suffix,
      main: r.main === 1,
      suspected: r.suspected === 1,
      onsetDate: r.onsetDate,
      outcome: r.outcome,
      endDate: r.endDate,
      undisclosed: r.undisclosed === 1,
      notShared: r.notShared === 1,
      version: r.version,
      updatedAt: r.updatedAt,
    })),
    allergies: allergies.map((a) => ({
      id: a.id,
      category: a.category,
      drugCode: a.drugCode,
      substance: a.substance,
      criticality: a.criticality,
      reaction: a.reaction,
      onsetDate: a.onsetDate,
      status: a.status,
      version: a.version,
      updatedAt: a.updatedAt,
    })),
    labs: labs.map(({ result: l, specimen }) => ({
      id: l.id,
      collectedOn: l.collectedOn,
      code: l.code,
      codeSystem: l.codeSystem,
      name: l.name,
      value: l.value,
      valueNum: num(l.valueNum),
      unit: l.unit,
      refLow: num(l.refLow),
      refHigh: num(l.refHigh),
      refText: l.refText,
      flag: l.flag,
      specimen: specimen ?? '',
      createdAt: l.createdAt,
    })),
  };
  const prescriptions: PrescriptionRecord[] = rx.map((r) => ({
    entryId: r.entryId,
    version: r.version,
    authoredOn: r.createdAt,
    prescribedOn: r.date,
    doctor: { id: r.doctorId, name: r.doctorName },
    content: r.content,
  }));
  return { chart, prescriptions, documents };
}
