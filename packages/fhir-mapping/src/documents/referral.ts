import type { ReferralFields } from '@karte/domain';
import { entryFor } from '../bundles/common';
import { problemText } from '../resources/condition';
import { encounterEcs, organizationEcs, type PrintSection, practitionerEcs, section } from './common';
import { doseLine } from './medication';
import {
  type BuiltDocument,
  clinsComposition,
  type DocumentSource,
  dateJa,
  documentBundle,
  documentParts,
  labLine,
  lines,
  type StructuredSection,
  structuredPrint,
  structuredSection,
} from './source';

export const REFERRAL_BUNDLE = 'http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_eReferral';
const REFERRAL_COMPOSITION = 'http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral';

/** 診療情報提供書 (JP_Bundle_eReferral): 紹介元・紹介先, then the structured sections with their narrative. */
export function buildReferral(s: DocumentSource, f: ReferralFields, now: Date): BuiltDocument {
  const parts = documentParts(s, now);
  if ('refusal' in parts && parts.refusal) return { sections: [], omitted: [parts.refusal] };
  const { identifier, patient, author } = parts;
  const from = parts.clinic('from');
  const to = entryFor(
    identifier,
    'to',
    organizationEcs(
      { institutionCode: f.toInstitutionCode, name: f.toFacilityName, department: f.toDepartment },
      now,
    ),
  );
  const toDoctor = f.toDoctorName
    ? entryFor(identifier, 'to-doctor', practitionerEcs({ id: 'to', name: f.toDoctorName }, null, now))
    : undefined;
  const visit = entryFor(
    identifier,
    'visit',
    encounterEcs(`${s.facility.institutionCode}-${s.entryId}-visit`, 'AMB', { start: s.encounterDate }, now),
  );
  const purpose = entryFor(
    identifier,
    'purpose',
    encounterEcs(
      `${s.facility.institutionCode}-${s.entryId}-purpose`,
      'AMB',
      { start: s.encounterDate },
      now,
      f.purpose,
    ),
  );
  const pick = <T extends { id: string }>(list: T[], ids: string[]) => list.filter((x) => ids.includes(x.id));
  const problems = pick(s.problems, f.problemIds);
  const conditions = parts.conditions(problems);
  const allergyRecords = pick(s.allergies, f.allergyIds);
  const allergies = parts.allergies(allergyRecords);
  const infectionRecords = pick(s.labs, f.infectionIds);
  const infections = parts.labs(infectionRecords);
  const labRecords = pick(s.labs, f.labIds);
  const labs = parts.labs(labRecords);
  const rx = s.prescriptions.filter((p) => f.prescriptionIds.includes(p.entryId));
  const medications = parts.medications(rx);

  const print: PrintSection[] = [
    {
      code: '920',
      title: '紹介元情報',
      lines: [
        s.facility.name,
        s.facility.address,
        s.facility.phone && `電話 ${s.facility.phone}`,
        `医師 ${s.author.name}`,
      ].filter(Boolean),
    },
    {
      code: '910',
      title: '紹介先情報',
      lines: [
        `${f.toFacilityName}${f.toDepartment ? ` ${f.toDepartment}` : ''}`,
        f.toDoctorName && `${f.toDoctorName} 先生`,
      ].filter(Boolean),
    },
  ];
  const structured: StructuredSection[] = [
    ['950', '紹介目的', lines(f.purpose), [purpose]],
    ['340', '傷病名・主訴', [...problems.map(problemText), ...lines(f.chiefComplaint)], conditions],
    ['360', '現病歴', lines(f.presentIllness), []],
  ];
  if (f.pastHistory) structured.push(['370', '既往歴', lines(f.pastHistory), []]);
  if (allergyRecords.length)
    structured.push([
      '510',
      'アレルギー・不耐性反応',
      allergyRecords.map((a) => `${a.substance}${a.reaction ? `（${a.reaction}）` : ''}`),
      allergies,
    ]);
  if (infectionRecords.length)
    structured.push(['520', '感染症情報', infectionRecords.map(labLine), infections]);
  if (rx.length)
    structured.push([
      '430',
      '投薬指示',
      rx.flatMap((p) => [`${dateJa(p.prescribedOn)} 処方`, ...doseLine(p)]),
      medications,
    ]);
  if (labRecords.length) structured.push(['620', '検査結果', labRecords.map(labLine), labs]);
  print.push(structuredPrint(structured));
  if (f.remarks) print.push({ code: '220', title: '備考・連絡情報', lines: lines(f.remarks) });

  const c = clinsComposition(s, now, REFERRAL_COMPOSITION, {
    type: ['57133-1', '診療情報提供書'],
    subtype: ['OUTPATIENT', '外来文書'],
    encounter: visit,
    author,
    clinic: from,
    event: [{ code: [{ text: '診療情報提供書発行' }], period: { start: now.toISOString().slice(0, 10) } }],
    section: [
      section('920', '紹介元情報', print[0]!.lines, [from, author]),
      section('910', '紹介先情報', print[1]!.lines, toDoctor ? [to, toDoctor] : [to]),
      structuredSection(structured),
      ...(f.remarks ? [section('220', '備考・連絡情報', lines(f.remarks))] : []),
    ],
    subject: patient.subject,
  });
  const entries = [
    entryFor(identifier, 'composition', c),
    patient.entry,
    author,
    ...(toDoctor ? [toDoctor] : []),
    from,
    to,
    visit,
    purpose,
    ...conditions,
    ...allergies,
    ...infections,
    ...labs,
    ...medications,
  ];
  return {
    built: documentBundle('referral', REFERRAL_BUNDLE, identifier, now, entries),
    sections: print,
    omitted: parts.omitted,
  };
}
