import {
  type Database,
  documentsForSharing,
  firstVersionAt,
  getEncounter,
  getEntry,
  getPatient,
  listUsers,
  type Tx,
  versionsOfEntries,
} from '@karte/db';
import {
  type DocumentContent,
  type DocumentFields,
  type DocumentProblem,
  type DocumentType,
  documentProblems,
  documentTypeLabels,
  emptyDocument,
  isDocument,
  type Role,
} from '@karte/domain';
import {
  type BuiltDocument,
  buildCheckup,
  buildDischarge,
  buildReferral,
  type DocumentSource,
  labGroupOf,
  type ValidationIssue,
  validateBundle,
} from '@karte/fhir-mapping';
import { TRPCError } from '@trpc/server';
import type { Bundle } from 'fhir/r4';
import { wakeShareWorker } from '../../jobs/wake';
import { type Actor, recordAccess } from '../audit';
import { confirmEntry, saveEntryDraft } from '../chart/entries';
import { queueSubmissions } from '../sharing/outbox';
import { loadFacility, loadPatientRecords } from '../sharing/records';

/** The document as built from a draft or a version: sections to print, the Bundle, and what is wrong. */
export interface DocumentPreview {
  sections: BuiltDocument['sections'];
  bundle: unknown;
  /** Fields to fill in (beside the field) and FHIR findings (validator, Japanese). */
  problems: DocumentProblem[];
  issues: ValidationIssue[];
  omitted: BuiltDocument['omitted'];
}

async function sourceFor(tx: Tx, actor: Actor, entryId: string, version: number, now: Date) {
  const entry = await getEntry(tx, actor.facilityId, entryId);
  if (entry?.kind !== 'document') throw new TRPCError({ code: 'NOT_FOUND', message: '文書が見つかりません' });
  const encounter = await getEncounter(tx, actor.facilityId, entry.encounterId);
  const facility = await loadFacility(tx, actor.facilityId);
  const records = await loadPatientRecords(tx, actor.facilityId, entry.patientId);
  const doctor = (await listUsers(tx, actor.facilityId)).find((u) => u.id === entry.responsibleDoctor);
  const source: DocumentSource = {
    ...records.chart,
    facility,
    author: { id: entry.responsibleDoctor, name: doctor?.displayName ?? '' },
    entryId: entry.id,
    version,
    issuedAt: (await firstVersionAt(tx, actor.facilityId, entry.id)) ?? now,
    encounterDate: encounter?.encounterDate ?? now.toISOString().slice(0, 10),
    prescriptions: records.prescriptions,
  };
  return { entry, source, records };
}

export function buildDocument(source: DocumentSource, d: DocumentFields, now: Date): BuiltDocument {
  if (d.type === 'referral') return buildReferral(source, d.fields, now);
  if (d.type === 'discharge') return buildDischarge(source, d.fields, now);
  return buildCheckup(source, d.fields, now);
}

function preview(source: DocumentSource, d: DocumentFields, now: Date): DocumentPreview {
  const problems = documentProblems(d);
  const built = buildDocument(source, d, now);
  const issues = built.built ? validateBundle(built.built.bundle) : [];
  return {
    sections: built.sections,
    bundle: built.built?.bundle ?? null,
    problems,
    issues,
    omitted: built.omitted,
  };
}

const fieldsOf = (c: DocumentContent): DocumentFields =>
  ({ type: c.type, fields: c.fields }) as DocumentFields;

/**
 * 新規文書: a draft on the encounter, with what the chart holds already ticked — open coded problems,
 * active allergies, the latest infection results and the latest prescription (the doctor unticks).
 */
export async function createDocument(
  db: Database,
  actor: Actor,
  role: Role,
  input: { encounterId: string; type: DocumentType; doctorId: string | null },
) {
  const encounter = await db.transaction((tx) => getEncounter(tx, actor.facilityId, input.encounterId));
  if (!encounter) throw new TRPCError({ code: 'NOT_FOUND', message: '診療が見つかりません' });
  const records = await db.transaction((tx) => loadPatientRecords(tx, actor.facilityId, encounter.patientId));
  const content = emptyDocument(input.type);
  const open = records.chart.problems.filter((p) => !p.endDate && !p.notShared);
  const allergies = records.chart.allergies.filter((a) => a.status === 'active').map((a) => a.id);
  const lastRx = records.prescriptions.at(-1)?.entryId;
  if (content.type === 'referral') {
    content.fields.problemIds = open.map((p) => p.id);
    content.fields.allergyIds = allergies;
    content.fields.infectionIds = latestInfections(records.chart.labs);
    content.fields.prescriptionIds = lastRx ? [lastRx] : [];
  } else if (content.type === 'discharge') {
    content.fields.dischargeProblemIds = open.map((p) => p.id);
    content.fields.allergyIds = allergies;
    content.fields.prescriptionIds = lastRx ? [lastRx] : [];
  }
  return saveEntryDraft(db, actor, role, {
    encounterId: input.encounterId,
    entryId: null,
    baseRev: 0,
    kind: 'document',
    content,
    doctorId: input.doctorId,
  });
}

function latestInfections(
  labs: { id: string; code: string; codeSystem: 'jlac10' | 'local'; collectedOn: string }[],
) {
  const latest = new Map<string, { id: string; collectedOn: string }>();
  for (const l of labs)
    if (labGroupOf(l) === 'infection' && (latest.get(l.code)?.collectedOn ?? '') <= l.collectedOn)
      latest.set(l.code, l);
  return [...latest.values()].map((l) => l.id);
}

/** One document: its versions, draft, the chart items it may pull in, and the preview of what is shown. */
export async function documentView(db: Database, actor: Actor, entryId: string) {
  return db.transaction(async (tx) => {
    const now = new Date();
    const entry = await getEntry(tx, actor.facilityId, entryId);
    if (entry?.kind !== 'document')
      throw new TRPCError({ code: 'NOT_FOUND', message: '文書が見つかりません' });
    const versions = await versionsOfEntries(tx, actor.facilityId, [entryId]);
    const current = versions.at(-1);
    const { source, records } = await sourceFor(tx, actor, entryId, (current?.version ?? 0) + 1, now);
    const patient = await getPatient(tx, actor.facilityId, entry.patientId);
    const names = new Map((await listUsers(tx, actor.facilityId)).map((u) => [u.id, u.displayName]));
    const draft = entry.draft && isDocument(entry.draft) ? entry.draft : null;
    const currentContent = current && isDocument(current.content) ? current.content : null;
    const shown = draft ?? currentContent;
    if (!shown) throw new TRPCError({ code: 'NOT_FOUND', message: '文書が見つかりません' });
    // A confirmed version shows what was frozen at 確定; a draft is built now.
    const view: DocumentPreview =
      !draft && currentContent?.bundle
        ? {
            sections: (currentContent as { sections?: BuiltDocument['sections'] }).sections ?? [],
            bundle: currentContent.bundle,
            problems: [],
            issues: [],
            omitted: [],
          }
        : preview(source, fieldsOf(shown), now);
    await recordAccess(tx, actor, 'read', entry.patientId, { what: 'document', entryId });
    return {
      id: entry.id,
      patientId: entry.patientId,
      encounterId: entry.encounterId,
      patient: patient && {
        name: `${patient.familyName} ${patient.givenName}`,
        kana: `${patient.familyNameKana} ${patient.givenNameKana}`,
        birthDate: patient.birthDate,
        sex: patient.sex,
        patientNumber: patient.patientNumber,
      },
      type: shown.type,
      title: documentTypeLabels[shown.type],
      responsibleDoctor: names.get(entry.responsibleDoctor) ?? '',
      draft: draft ? fieldsOf(draft) : null,
      draftRev: entry.draftRev,
      current: currentContent ? fieldsOf(currentContent) : null,
      versions: versions.map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        enteredBy: names.get(v.enteredBy) ?? '',
        approved: v.approvedBy !== null,
        reason: v.reason,
      })),
      view,
      // What the form may tick, from the chart.
      choices: {
        problems: records.chart.problems.map((p) => ({
          id: p.id,
          label: `${p.prefix}${p.name}${p.suffix}${p.suspected ? '（疑い）' : ''}`,
          coded: p.diseaseCode !== null,
          ended: p.endDate,
        })),
        allergies: records.chart.allergies.map((a) => ({ id: a.id, label: a.substance, status: a.status })),
        labs: records.chart.labs.map((l) => ({
          id: l.id,
          label: `${l.collectedOn} ${l.name} ${l.value}${l.unit ? ` ${l.unit}` : ''}`,
          infection: labGroupOf(l) === 'infection',
        })),
        prescriptions: records.prescriptions.map((p) => ({
          id: p.entryId,
          label: `${p.prescribedOn} ${p.content.rps.flatMap((r) => r.drugs.map((d) => d.name)).join('、')}`,
        })),
      },
    };
  });
}

/** 確定: refused with the problems while anything is missing or the Bundle does not validate. */
export async function finaliseDocument(
  db: Database,
  actor: Actor,
  input: { entryId: string; baseRev: number; reason: string },
) {
  const done = await confirmEntry(db, actor, input, 'document', async (tx, entry) => {
    if (!isDocument(entry.draft))
      throw new TRPCError({ code: 'BAD_REQUEST', message: '文書の下書きではありません' });
    const now = new Date();
    const { source } = await sourceFor(tx, actor, entry.id, entry.currentVersion + 1, now);
    const fields = fieldsOf(entry.draft);
    const p = preview(source, fields, now);
    const blocking = [
      ...p.problems.map((x) => x.message),
      ...p.omitted.filter(() => !p.bundle).map((x) => `${x.item}: ${x.reason}`),
      ...p.issues.map((x) => x.messageJa),
    ];
    if (blocking.length > 0)
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `確定できません: ${blocking.slice(0, 5).join(' / ')}`,
      });
    // Finalised by the responsible doctor: queued for the share service in this same transaction
    // (a proxy-entered document waits for approval: approveEntries queues it then).
    if (actor.userId === entry.responsibleDoctor)
      await queueSubmissions(tx, actor.facilityId, entry.patientId, {
        documentBundles: [{ entryId: entry.id, type: fields.type, bundle: p.bundle as Bundle }],
      });
    return { ...fields, bundle: p.bundle, sections: p.sections } as DocumentContent;
  });
  wakeShareWorker();
  return done;
}

/** The patient's documents, newest first (for the patient page and the chart). */
export async function patientDocuments(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    if (!(await getPatient(tx, actor.facilityId, patientId)))
      throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const rows = await documentsForSharing(tx, actor.facilityId, patientId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'documents', count: rows.length });
    return rows
      .map((r) => ({
        entryId: r.entryId,
        type: r.content.type,
        title: documentTypeLabels[r.content.type],
        version: r.version,
        date: r.date,
        doctor: r.doctorName,
        approved: r.approved,
        finalisedAt: r.createdAt,
      }))
      .reverse();
  });
}
