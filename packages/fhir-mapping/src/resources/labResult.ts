import type { Coding, Observation, Reference, Specimen } from 'fhir/r4';
import type { Department, LabResultRecord, PractitionerRecord } from '../records';
import { jlacSliceOf } from '../validate/terminology';
import {
  CORE_SD,
  containedEncounter,
  departmentExtension,
  institutionExtension,
  local,
  meta,
  resourceIdentifier,
  SD,
} from './common';

const CLINS_CS = 'http://jpfhir.jp/fhir/clins/CodeSystem/';
const LOCAL = `${CLINS_CS}JP_CLINS_ObsLabResult_LocalCode_CS`;
const UNCODED: Coding = {
  system: `${CLINS_CS}JP_CLINS_ObsLabResult_Uncoded_CS`,
  code: '99999999999999999',
  display: '未標準化コード項目(JLAC)',
};
const JLAC10 = 'http://medis.or.jp/CodeSystem/master-JLAC10-17digits';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** 検査 (core) or 感染症 (infection) by the JP-CLINS JLAC slice the code falls in; other for the rest. */
export const labGroupOf = (r: Pick<LabResultRecord, 'code' | 'codeSystem'>) =>
  (r.codeSystem === 'jlac10' && jlacSliceOf(r.code)?.group) || 'other';

/**
 * JP_Observation_LabResult_eCS. The in-house code always; the JLAC10 code in its JP-CLINS slice (検査 or
 * 感染症, display fixed to the item) or as a general JLAC10 code; an item without JLAC code takes the
 * IG's uncoded slice. Specimen and visit are contained, as the profile wants.
 */
export function toLabResultEcs(
  r: LabResultRecord,
  ctx: {
    institutionCode: string;
    department: Department;
    subject: Reference;
    performer?: PractitionerRecord;
  },
): Observation {
  const slice = r.codeSystem === 'jlac10' ? jlacSliceOf(r.code) : undefined;
  const coding: Coding[] = [{ system: LOCAL, code: r.code, display: r.name }];
  if (slice) coding.push({ system: slice.system, code: r.code, display: slice.display });
  else if (r.codeSystem === 'jlac10') coding.push({ system: JLAC10, code: r.code, display: r.name });
  else coding.push(UNCODED);
  const specimen: Specimen = {
    resourceType: 'Specimen',
    id: 'specimen',
    meta: { profile: [`${CORE_SD}JP_Specimen`] },
    type: { text: r.specimen || '不明' },
  };
  const range =
    r.refLow !== null || r.refHigh !== null || r.refText
      ? [
          {
            ...(r.refLow !== null ? { low: { value: r.refLow, unit: r.unit } } : {}),
            ...(r.refHigh !== null ? { high: { value: r.refHigh, unit: r.unit } } : {}),
            ...(r.refText ? { text: r.refText } : {}),
          },
        ]
      : undefined;
  return {
    resourceType: 'Observation',
    meta: meta(`${SD}JP_Observation_LabResult_eCS`, r.createdAt),
    contained: [containedEncounter(`${ctx.institutionCode}-${r.collectedOn}`), specimen],
    extension: [institutionExtension(ctx.institutionCode), departmentExtension(ctx.department)],
    identifier: [resourceIdentifier(`${ctx.institutionCode}-${r.id}`)],
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS',
            code: 'laboratory',
            display: '検査',
          },
        ],
      },
    ],
    code: { coding, text: r.name },
    subject: ctx.subject,
    encounter: local('encounter'),
    effectiveDateTime: r.collectedOn,
    issued: r.createdAt.toISOString(),
    ...(r.valueNum !== null
      ? { valueQuantity: { value: r.valueNum, ...(r.unit ? { unit: r.unit } : {}) } }
      : { valueString: r.value }),
    ...(r.flag
      ? {
          interpretation: [
            {
              coding: [{ system: INTERPRETATION, code: r.flag, display: r.flag === 'H' ? 'High' : 'Low' }],
            },
          ],
        }
      : {}),
    ...(range ? { referenceRange: range } : {}),
    specimen: { ...local('specimen'), type: 'Specimen' },
  };
}
