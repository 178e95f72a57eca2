import type { DischargeFields } from '@karte/domain';
import type { BundleEntry, DocumentReference } from 'fhir/r4';
import { entryFor } from '../bundles/common';
import { resourceIdentifier, SD } from '../resources/common';
import { problemText } from '../resources/condition';
import { encounterEcs, type PrintSection } from './common';
import { doseLine } from './medication';
import {
  type BuiltDocument,
  clinsComposition,
  type DocumentSource,
  dateJa,
  documentBundle,
  documentParts,
  lines,
  type StructuredSection,
  structuredPrint,
  structuredSection,
} from './source';

export const DISCHARGE_BUNDLE = 'http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eDischargeSummary';
const DISCHARGE_COMPOSITION =
  'http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary';

/** 退院時サマリー (JP_Bundle_eDischargeSummary): the stay, diagnoses, course, discharge medication and plan. */
export function buildDischarge(s: DocumentSource, f: DischargeFields, now: Date): BuiltDocument {
  const parts = documentParts(s, now);
  if ('refusal' in parts && parts.refusal) return { sections: [], omitted: [parts.refusal] };
  const { identifier, patient, author } = parts;
  const org = parts.clinic('organization');
  const period = { start: f.admittedOn, ...(f.dischargedOn ? { end: f.dischargedOn } : {}) };
  const stay = entryFor(
    identifier,
    'stay',
    encounterEcs(`${s.facility.institutionCode}-${s.entryId}-stay`, 'IMP', period, now, f.reasonForAdmission),
  );
  const pick = <T extends { id: string }>(list: T[], ids: string[]) => list.filter((x) => ids.includes(x.id));
  const admissionProblems = pick(s.problems, f.admissionProblemIds);
  const dischargeProblems = pick(s.problems, f.dischargeProblemIds);
  // One Condition per problem even when it is both an admission and a discharge diagnosis.
  const byId = new Map<string, BundleEntry>();
  for (const p of [...admissionProblems, ...dischargeProblems])
    if (!byId.has(p.id)) for (const e of parts.conditions([p])) byId.set(p.id, e);
  const conditionsOf = (list: typeof admissionProblems) => list.flatMap((p) => byId.get(p.id) ?? []);
  const allergyRecords = pick(s.allergies, f.allergyIds);
  const allergies = parts.allergies(allergyRecords);
  const rx = s.prescriptions.filter((p) => f.prescriptionIds.includes(p.entryId));
  const medications = parts.medications(rx);
  const courseDoc: DocumentReference = {
    resourceType: 'DocumentReference',
    meta: { lastUpdated: now.toISOString(), profile: [`${SD}JP_DocumentReference_eCS`] },
    identifier: [resourceIdentifier(`${s.facility.institutionCode}-${s.entryId}-course`)],
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '8648-8', display: 'Hospital course Narrative' }] },
    description: '入院中経過',
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'ja',
          data: Buffer.from(f.course, 'utf8').toString('base64'),
          title: '入院中経過',
        },
      },
    ],
  };
  const course = entryFor(identifier, 'course', courseDoc);

  const stayLine = `入院 ${dateJa(f.admittedOn)}〜退院 ${f.dischargedOn ? dateJa(f.dischargedOn) : '未定'}`;
  const structured: StructuredSection[] = [
    ['322', '入院時詳細', [stayLine, ...lines(f.admissionDetails)], [stay]],
    ['342', '入院時診断', admissionProblems.map(problemText), conditionsOf(admissionProblems)],
    ['352', '主訴', lines(f.chiefComplaint), []],
    ['312', '入院理由', lines(f.reasonForAdmission), []],
    ['362', '現病歴', lines(f.presentIllness), []],
  ];
  if (allergyRecords.length)
    structured.push(['510', 'アレルギー・不耐性反応', allergyRecords.map((a) => a.substance), allergies]);
  structured.push(
    ['333', '入院中経過', lines(f.course), [course]],
    ['324', '退院時詳細', [stayLine, ...lines(f.dischargeDetails)], [stay]],
    ['344', '退院時診断', dischargeProblems.map(problemText), conditionsOf(dischargeProblems)],
    ['444', '退院時投薬指示', rx.length ? rx.flatMap(doseLine) : ['なし'], medications],
    ['424', '退院時方針指示', lines(f.plan), []],
  );
  const print: PrintSection[] = [structuredPrint(structured)];
  const c = clinsComposition(s, now, DISCHARGE_COMPOSITION, {
    type: ['18842-5', '退院時サマリー'],
    subtype: ['DISCHARGE', '退院時文書'],
    encounter: stay,
    author,
    clinic: org,
    event: [{ period }],
    section: [structuredSection(structured)],
    subject: patient.subject,
  });
  const entries = [
    entryFor(identifier, 'composition', c),
    patient.entry,
    author,
    org,
    stay,
    ...byId.values(),
    ...allergies,
    course,
    ...medications,
  ];
  return {
    built: documentBundle('discharge', DISCHARGE_BUNDLE, identifier, now, entries),
    sections: print,
    omitted: parts.omitted,
  };
}
