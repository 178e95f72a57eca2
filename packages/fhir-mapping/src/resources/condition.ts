import type { Condition, Reference } from 'fhir/r4';
import type { Department, ProblemRecord } from '../records';
import { MEDIS_DISEASE } from '../validate/terminology';
import {
  containedEncounter,
  departmentExtension,
  type Flag,
  institutionExtension,
  local,
  meta,
  resourceIdentifier,
  SD,
} from './common';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const ICD10 = 'http://jpfhir.jp/fhir/core/mhlw/CodeSystem/ICD10-2013-full';

// 転帰 → clinical status: 治癒 resolved; 死亡・中止・転医 inactive (no longer followed here).
const STATUS: Record<ProblemRecord['outcome'], [string, string]> = {
  '': ['active', 'Active'],
  cured: ['resolved', 'Resolved'],
  died: ['inactive', 'Inactive'],
  stopped: ['inactive', 'Inactive'],
  transferred: ['inactive', 'Inactive'],
};

export const problemText = (p: ProblemRecord) =>
  `${p.prefix}${p.name}${p.suffix}${p.suspected ? 'の疑い' : ''}`;

/**
 * JP_Condition_eCS. A disease without a 病名管理番号 has no place in the profile (medisRecordNo 1..*,
 * no uncoded slice): callers must leave it out and say why (see bundles/clins.ts).
 */
export function toConditionEcs(
  p: ProblemRecord & { diseaseCode: string },
  ctx: { institutionCode: string; department: Department; subject: Reference },
): Condition {
  const flags: Flag[] = [];
  if (p.undisclosed) flags.push('UNINFORMED');
  if (p.notShared) flags.push('UNDELIVERED');
  const [status, statusDisplay] = STATUS[p.outcome];
  return {
    resourceType: 'Condition',
    meta: meta(`${SD}JP_Condition_eCS`, p.updatedAt, flags),
    contained: [containedEncounter(`${ctx.institutionCode}-${p.id}`)],
    extension: [
      institutionExtension(ctx.institutionCode),
      departmentExtension(ctx.department),
      ...(p.main
        ? [
            {
              url: 'http://jpfhir.jp/fhir/eCS/Extension/StructureDefinition/JP_eCS_DiagnosisType',
              valueCoding: {
                system: 'http://terminology.hl7.org/CodeSystem/ex-diagnosistype',
                code: 'principal',
                display: 'Principal Diagnosis',
              },
            },
          ]
        : []),
    ],
    identifier: [resourceIdentifier(`${ctx.institutionCode}-${p.id}-${p.version}`)],
    clinicalStatus: { coding: [{ system: CLINICAL, code: status, display: statusDisplay }] },
    verificationStatus: {
      coding: p.suspected
        ? [{ system: VERIFICATION, code: 'provisional', display: 'Provisional' }]
        : [{ system: VERIFICATION, code: 'confirmed', display: 'Confirmed' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'encounter-diagnosis',
            display: 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code: {
      coding: [
        { system: MEDIS_DISEASE, code: p.diseaseCode, display: p.diseaseName ?? p.name },
        // ICD-10 with the disease's own name: the master links the two, not an ICD-10 title.
        ...(p.icd10 ? [{ system: ICD10, code: p.icd10, display: p.diseaseName ?? p.name }] : []),
      ],
      text: problemText(p),
    },
    subject: ctx.subject,
    encounter: local('encounter'),
    onsetDateTime: p.onsetDate,
    ...(p.endDate ? { abatementDateTime: p.endDate } : {}),
    recordedDate: p.updatedAt.toISOString().slice(0, 10),
  };
}
