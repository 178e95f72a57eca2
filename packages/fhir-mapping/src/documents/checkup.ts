import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckupFields, checkupItems, urineResults } from '@karte/domain';
import type { BundleEntry, Observation, Patient } from 'fhir/r4';
import { entryFor } from '../bundles/common';
import { toFhirPatient } from '../patient';
import { INSTITUTION_NO, INSURANCE_MEMBER_ID, resourceIdentifier } from '../resources/common';
import { insuredPersonId } from '../resources/insured';
import { definitionsDir } from '../validate/vendor';
import { humanName, type PrintSection, section } from './common';
import {
  type BuiltDocument,
  composition,
  type DocumentSource,
  dateJa,
  documentBundle,
  documentIdentifier,
  lines,
} from './source';

export const CHECKUP_BUNDLE = 'http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eCheckupGeneral';
const ECHECKUP = 'http://jpfhir.jp/fhir/eCheckup/StructureDefinition/';
const ITEM_SYSTEM = 'urn:oid:1.2.392.200119.6.1005'; // 特定健診検査項目コード
const SECTION = 'http://jpfhir.jp/fhir/eCheckup/CodeSystem/section-code';
const JUDGEMENT = { code: '9N511000000000049', unit: '' };

let names: Record<string, string> | undefined;
/** The official item names (特定健診検査項目コード表, vendored from the eCheckup package): the coding display. */
export function checkupItemName(code: string): string | undefined {
  names ??= JSON.parse(readFileSync(join(definitionsDir, 'checkup-items.json'), 'utf8')) as Record<
    string,
    string
  >;
  return names[code];
}

// Program → report category (健診結果報告区分) and results section.
const PROGRAM = {
  '010': {
    category: ['10', '特定健診情報'],
    section: ['01011', '特定健診検査結果セクション'],
    name: '特定健康診査',
  },
  '030': {
    category: ['41', '事業者健診情報'],
    section: ['01031', '事業者健診検査結果セクション'],
    name: '事業者健診',
  },
  '990': {
    category: ['40', '特定健診以外の健診情報'],
    section: ['01910', '検査結果セクション'],
    name: 'その他',
  },
} as const;

/** 健康診断結果報告書 (JP_Bundle_eCheckupGeneral, eCheckup 1.5.0): the items with their official codes. */
export function buildCheckup(s: DocumentSource, f: CheckupFields, now: Date): BuiltDocument {
  const identifier = documentIdentifier(s);
  const id = insuredPersonId(s.coverage);
  if (!id.ok)
    return { sections: [], omitted: [{ item: `患者 ${s.patient.patientNumber}`, reason: id.reason }] };
  const base = toFhirPatient(s.patient, s.facility.institutionCode);
  const patientResource: Patient = {
    ...base,
    meta: {
      lastUpdated: now.toISOString(),
      profile: ['http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Patient_eCheckupGeneral'],
    },
    identifier: [
      {
        system: `urn:oid:1.2.392.200119.6.102.1${s.facility.institutionCode}`,
        value: String(s.patient.patientNumber),
      },
      { system: INSURANCE_MEMBER_ID, value: id.value },
    ],
    address: base.address ?? [{ text: '住所不明' }],
  };
  const patient = entryFor(identifier, 'patient', patientResource);
  const subject = { reference: patient.fullUrl };
  const practitioner = entryFor(identifier, 'doctor', {
    resourceType: 'Practitioner',
    meta: { lastUpdated: now.toISOString(), profile: [`${ECHECKUP}JP_Practitioner_eCheckupGeneral`] },
    name: [humanName(s.author.name)],
  });
  const org = entryFor(identifier, 'organization', {
    resourceType: 'Organization',
    meta: { lastUpdated: now.toISOString(), profile: [`${ECHECKUP}JP_Organization_eCheckupGeneral`] },
    identifier: [{ system: INSTITUTION_NO, value: s.facility.institutionCode }],
    type: [
      {
        coding: [
          { system: 'http://jpfhir.jp/fhir/eCheckup/CodeSystem/report-organization-code', code: 'exec-org' },
        ],
      },
      {
        coding: [
          { system: 'http://jpfhir.jp/fhir/eCheckup/CodeSystem/report-organization-code', code: 'doc-org' },
        ],
      },
    ],
    name: s.facility.name,
    ...(s.facility.phone ? { telecom: [{ system: 'phone' as const, value: s.facility.phone }] } : {}),
    ...(s.facility.address ? { address: [{ text: s.facility.address, country: 'JP' }] } : {}),
  });
  const period = { start: f.checkupDate, end: f.checkupDate };
  const encounter = entryFor(identifier, 'encounter', {
    resourceType: 'Encounter',
    meta: { lastUpdated: now.toISOString(), profile: [`${ECHECKUP}JP_Encounter_eCheckupGeneral`] },
    status: 'finished',
    class: {
      system: 'http://jpfhir.jp/fhir/eCheckup/CodeSystem/encounter-category',
      code: 'checkup',
      display: '健診',
    },
    period,
    serviceProvider: { reference: org.fullUrl },
  });
  const observation = (code: string, category: string, value: Partial<Observation>): Observation => ({
    resourceType: 'Observation',
    meta: { lastUpdated: now.toISOString(), profile: [`${ECHECKUP}JP_Observation_eCheckupGeneral`] },
    identifier: [resourceIdentifier(`${s.facility.institutionCode}-${s.entryId}-${code}`)],
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS', code: category },
        ],
      },
    ],
    code: { coding: [{ system: ITEM_SYSTEM, code, display: checkupItemName(code) ?? code }] },
    subject,
    effectiveDateTime: f.checkupDate,
    ...value,
  });
  const results: BundleEntry[] = [];
  const printLines: string[] = [];
  for (const item of checkupItems) {
    const v = f.values[item.key];
    if (!v) continue;
    if (item.kind === 'urine') {
      const n = (urineResults as readonly string[]).indexOf(v) + 1;
      results.push(
        entryFor(
          identifier,
          item.key,
          observation(item.code, item.category, {
            valueCodeableConcept: {
              coding: [{ system: 'urn:oid:1.2.392.200119.6.2102', code: String(n), display: v }],
            },
          }),
        ),
      );
    } else {
      const unit = item.unit === 'mm[Hg]' ? 'mmHg' : item.unit;
      results.push(
        entryFor(
          identifier,
          item.key,
          observation(item.code, item.category, {
            valueQuantity: { value: Number(v), unit, system: 'http://unitsofmeasure.org', code: item.unit },
          }),
        ),
      );
    }
    printLines.push(
      `${item.label} ${v}${item.kind === 'number' ? ` ${item.unit === 'mm[Hg]' ? 'mmHg' : item.unit}` : ''}`,
    );
  }
  if (f.judgement) {
    results.push(
      entryFor(identifier, 'judgement', observation(JUDGEMENT.code, 'exam', { valueString: f.judgement })),
    );
    printLines.push(`医師の判断 ${f.judgement}`);
  }
  const program = PROGRAM[f.program];
  const print: PrintSection[] = [
    {
      code: program.section[0],
      title: `${program.name} 結果（${dateJa(f.checkupDate)}）`,
      lines: printLines,
    },
  ];
  const c = composition(
    s,
    now,
    `${ECHECKUP}JP_Composition_eCheckupGeneral`,
    {
      type: {
        coding: [
          {
            system: 'http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes',
            code: '53576-5',
            display: '検診・健診報告書',
          },
        ],
      },
      category: [
        {
          coding: [
            {
              system: 'urn:oid:2.16.840.1.113883.2.2.1.6.1001',
              code: program.category[0],
              display: program.category[1],
            },
          ],
        },
      ],
      encounter: { reference: encounter.fullUrl },
      author: [{ reference: practitioner.fullUrl }, { reference: org.fullUrl }],
      title: '健康診断結果報告書',
      custodian: { reference: org.fullUrl },
      event: [
        {
          code: [
            { coding: [{ system: 'urn:oid:1.2.392.200119.6.1002', code: f.program, display: program.name }] },
          ],
          period,
          detail: [{ reference: encounter.fullUrl }],
        },
      ],
      section: [
        section(program.section[0], '健診結果', printLines.length ? printLines : lines(''), results, {
          system: SECTION,
          display: program.section[1],
          status: 'generated',
        }),
      ],
    },
    subject,
  );
  // eCheckup's Composition profile wants its own canonical without a version suffix.
  c.meta = { ...c.meta, profile: [`${ECHECKUP}JP_Composition_eCheckupGeneral`] };
  const entries = [entryFor(identifier, 'composition', c), patient, practitioner, org, encounter, ...results];
  const built = documentBundle('checkup', CHECKUP_BUNDLE, identifier, now, entries);
  built.bundle.meta = { ...built.bundle.meta, profile: [CHECKUP_BUNDLE] };
  return { built, sections: print, omitted: [] };
}
