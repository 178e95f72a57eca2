import {
  doseUnitLabel,
  durationText,
  FREE_TEXT_USAGE,
  genericCodeOf,
  type Rp,
  type RpDrug,
} from '@karte/domain';
import type { MedicationRequest, Reference } from 'fhir/r4';
import type { Department, PrescriptionRecord } from '../records';
import {
  containedPractitioner,
  departmentExtension,
  institutionExtension,
  local,
  meta,
  resourceIdentifier,
  SD,
} from './common';

const MHLW = 'http://jpfhir.jp/fhir/core/mhlw/';
const MERIT9_UNIT = `${MHLW}CodeSystem/MedicationUnitMERIT9Code`;
const UCUM = 'http://unitsofmeasure.org';

/**
 * JP_MedicationRequest_eCS, one per drug of each RP: YJ (or 一般名処方コード) coding, the 16-character
 * 用法 code (or the IG's dummy code with the free text), 1回量 as 製剤量, 日数 / 回数, start of use.
 * Used inside the two documents only: standalone 処方 goes through the e-prescription service.
 */
export function toMedicationRequestsEcs(
  p: PrescriptionRecord,
  ctx: { institutionCode: string; department: Department; subject: Reference },
): MedicationRequest[] {
  const order = `${ctx.institutionCode}-${p.entryId}-${p.version}`;
  return p.content.rps.flatMap((rp, i) =>
    rp.drugs.map((d, j) => medicationRequest(p, rp, d, i + 1, j + 1, order, ctx)),
  );
}

function medicationRequest(
  p: PrescriptionRecord,
  rp: Rp,
  d: RpDrug,
  rpNo: number,
  drugNo: number,
  order: string,
  ctx: { institutionCode: string; department: Department; subject: Reference },
): MedicationRequest {
  const unit = {
    value: d.dose,
    unit: doseUnitLabel(d.unit),
    system: MERIT9_UNIT,
    code: d.unit,
  };
  const usage =
    rp.usageCode === FREE_TEXT_USAGE
      ? {
          system: 'http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_MedicationUsage_Uncoded_CS',
          code: FREE_TEXT_USAGE,
          display: rp.usageText,
        }
      : {
          system: `${MHLW}CodeSystem/MedicationUsage_ePrescription`,
          code: rp.usageCode,
          display: rp.usageText,
        };
  const drug = d.generic
    ? { system: `${MHLW}CodeSystem/MedicationGeneralOrderCode`, code: genericCodeOf(d.code), display: d.name }
    : { system: 'http://capstandard.jp/iyaku.info/CodeSystem/YJ-code', code: d.code, display: d.name };
  const start = p.prescribedOn;
  return {
    resourceType: 'MedicationRequest',
    meta: meta(`${SD}JP_MedicationRequest_eCS`, p.authoredOn),
    contained: [containedPractitioner(p.doctor, ctx.institutionCode)],
    extension: [institutionExtension(ctx.institutionCode), departmentExtension(ctx.department)],
    identifier: [
      { system: `${MHLW}IdSystem/Medication-RPGroupNumber`, value: String(rpNo) },
      { system: `${MHLW}IdSystem/MedicationAdministrationIndex`, value: String(drugNo) },
      { system: 'urn:oid:1.2.392.100495.20.3.11', value: order },
      resourceIdentifier(`${order}-${rpNo}-${drugNo}`),
    ],
    status: 'completed',
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: 'http://jpfhir.jp/fhir/core/CodeSystem/JP_MedicationCategoryMERIT9_CS',
            code: 'OHP',
            display: '外来処方',
          },
        ],
      },
    ],
    medicationCodeableConcept: { coding: [drug], text: d.name },
    subject: ctx.subject,
    authoredOn: p.authoredOn.toISOString(),
    requester: { ...local('practitioner'), display: p.doctor.name, type: 'Practitioner' },
    groupIdentifier: { value: order },
    dosageInstruction: [
      {
        extension: [
          {
            url: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_MedicationDosage_PeriodOfUse',
            valuePeriod: { start },
          },
        ],
        text: `${rp.usageText} 1回${d.dose}${unit.unit} ${durationText(rp)}`.trim(),
        timing: {
          code: { coding: [usage], text: rp.usageText },
          ...(rp.kind === 'oral' && rp.days
            ? { repeat: { boundsDuration: { value: rp.days, unit: '日', system: UCUM, code: 'd' } } }
            : {}),
        },
        ...(rp.kind === 'asNeeded' ? { asNeededBoolean: true } : {}),
        doseAndRate: [
          {
            type: {
              coding: [
                {
                  system: `${MHLW}CodeSystem/MedicationIngredientStrengthStrengthType`,
                  code: '1',
                  display: '製剤量',
                },
              ],
            },
            doseQuantity: unit,
          },
        ],
      },
    ],
    dispenseRequest:
      rp.kind === 'oral' && rp.days
        ? { expectedSupplyDuration: { value: rp.days, unit: '日', system: UCUM, code: 'd' } }
        : rp.kind === 'asNeeded' && rp.times
          ? { quantity: { ...unit, value: +(d.dose * rp.times).toFixed(3) } }
          : { quantity: unit },
  };
}
