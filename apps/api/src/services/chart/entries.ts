import type { Tx } from '@karte/db';
import {
  approveVersion,
  confirmDraft,
  type Database,
  type EntryRow,
  type EntryVersionRow,
  encounterForVisit,
  entriesOfEncounters,
  getEncounter,
  getEntry,
  getPatient,
  getPatientSummaries,
  getUser,
  getVisit,
  insertEncounter,
  insertEntry,
  listUsers,
  patientEncounters,
  saveDraft,
  sealRows,
  unapprovedVersions,
  versionsOfEntries,
} from '@karte/db';
import { type EntryContent, isPrescription, isSoap, type Role, todayInJapan } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, queueSubmissions } from '../sharing/outbox';
import { prefillSoapDraft } from '../vitals/vitals';

export type EntryKind = EntryRow['kind'];
const isEmpty = (c: EntryContent) =>
  isPrescription(c)
    ? c.rps.length === 0
    : isSoap(c)
      ? [c.s, c.o, c.a, c.p].every((t) => t.trim() === '')
      : false;
const kindLabel: Record<EntryKind, string> = { soap: '記載', prescription: '処方', document: '文書' };

/** 診療を開く: the encounter of a visit (created on first open), or a new one for today. */
export async function openEncounter(
  db: Database,
  actor: Actor,
  role: Role,
  input: { patientId: string; visitId: string | null },
) {
  return db.transaction((tx) => openEncounterIn(tx, actor, role, input));
}

/** openEncounter inside the caller's transaction (the board's one-key start of a visit). */
export async function openEncounterIn(
  tx: Tx,
  actor: Actor,
  role: Role,
  input: { patientId: string; visitId: string | null },
) {
  const patient = await getPatient(tx, actor.facilityId, input.patientId);
  if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  if (input.visitId) {
    const visit = await getVisit(tx, actor.facilityId, input.visitId);
    if (!visit || visit.patientId !== input.patientId)
      throw new TRPCError({ code: 'NOT_FOUND', message: '受付が見つかりません' });
    const existing = await encounterForVisit(tx, actor.facilityId, input.visitId);
    if (existing) return existing;
  }
  const encounter = await insertEncounter(tx, actor.facilityId, {
    patientId: input.patientId,
    visitId: input.visitId,
    encounterDate: todayInJapan(),
    doctorId: role === 'doctor' ? actor.userId : null,
    createdBy: actor.userId,
  });
  await recordAccess(tx, actor, 'create', input.patientId, {
    what: 'encounter',
    encounterId: encounter.id,
  });
  // 問診 and today's vitals as the first note's S and O (issue #15).
  await prefillSoapDraft(tx, actor, role, encounter);
  return encounter;
}

function toVersion(v: EntryVersionRow, names: Map<string, string>) {
  return {
    version: v.version,
    content: v.content,
    enteredBy: names.get(v.enteredBy) ?? '',
    responsibleDoctor: names.get(v.responsibleDoctor) ?? '',
    proxy: v.enteredBy !== v.responsibleDoctor,
    approved: v.approvedBy !== null,
    reason: v.reason,
    // ISO text, not Date: the chart then stays plain JSON on the wire (see transformer.ts).
    createdAt: v.createdAt.toISOString(),
  };
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function toEntry(e: EntryRow, versions: EntryVersionRow[], names: Map<string, string>) {
  const last = versions.at(-1);
  return {
    id: e.id,
    kind: e.kind,
    currentVersion: e.currentVersion,
    current: last ? toVersion(last, names) : null,
    /** Every version, when there is more than one (a ten-year chart is mostly single versions). */
    versions: versions.length > 1 ? versions.map((v) => toVersion(v, names)) : [],
    draft: e.draft,
    draftRev: e.draftRev,
    draftBy: e.draftBy ? (names.get(e.draftBy) ?? '') : null,
    draftAt: e.draftAt?.toISOString() ?? null,
    responsibleDoctorId: e.responsibleDoctor,
    responsibleDoctor: names.get(e.responsibleDoctor) ?? '',
  };
}

/** The chart: encounters newest first, each with its entries, their versions and drafts. */
export async function chartOf(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const encounters = await patientEncounters(tx, actor.facilityId, patientId);
    const rows = await entriesOfEncounters(
      tx,
      actor.facilityId,
      encounters.map((e) => e.id),
    );
    const versions = await versionsOfEntries(
      tx,
      actor.facilityId,
      rows.map((e) => e.id),
    );
    const people = await listUsers(tx, actor.facilityId);
    const names = new Map(people.map((u) => [u.id, u.displayName]));
    // Grouped once: a ten-year chart has thousands of versions.
    const versionsByEntry = groupBy(versions, (v) => v.entryId);
    const entriesByEncounter = groupBy(rows, (e) => e.encounterId);
    await recordAccess(tx, actor, 'read', patientId, { what: 'chart', encounters: encounters.length });
    return {
      encounters: encounters.map((enc) => ({
        id: enc.id,
        date: enc.encounterDate,
        visitId: enc.visitId,
        doctor: enc.doctorId ? (names.get(enc.doctorId) ?? '') : null,
        doctorId: enc.doctorId,
        entries: (entriesByEncounter.get(enc.id) ?? []).map((e) =>
          toEntry(e, versionsByEntry.get(e.id) ?? [], names),
        ),
      })),
      doctors: people
        .filter((u) => u.role === 'doctor' && u.active)
        .map((u) => ({ id: u.id, name: u.displayName })),
    };
  });
}

export type SaveResult =
  | { status: 'saved'; entryId: string; draftRev: number }
  | {
      status: 'conflict';
      entryId: string;
      theirs: { content: EntryContent | null; draftRev: number; by: string | null };
    };

/** What a draft save carries: the entry (null for a new one), the revision it was based on and its content. */
type DraftInput = {
  encounterId: string;
  entryId: string | null;
  baseRev: number;
  kind: EntryKind;
  content: EntryContent;
  doctorId: string | null;
};

/**
 * Autosave of a draft. A new entry needs the responsible doctor: the author, or — for 代行入力 by a nurse
 * or clerk — the doctor named. A save based on an older revision never overwrites: it returns the other text.
 */
export async function saveEntryDraft(
  db: Database,
  actor: Actor,
  role: Role,
  input: DraftInput,
): Promise<SaveResult> {
  return db.transaction((tx) => saveEntryDraftIn(tx, actor, role, input));
}

/** saveEntryDraft inside the caller's transaction (Do of the last visit writes several drafts at once). */
export async function saveEntryDraftIn(
  tx: Tx,
  actor: Actor,
  role: Role,
  input: DraftInput,
): Promise<SaveResult> {
  const encounter = await getEncounter(tx, actor.facilityId, input.encounterId);
  if (!encounter) throw new TRPCError({ code: 'NOT_FOUND', message: '診療が見つかりません' });
  if (!input.entryId) {
    const doctorId = role === 'doctor' ? actor.userId : input.doctorId;
    const doctor = doctorId ? await getUser(tx, actor.facilityId, doctorId) : null;
    if (doctor?.role !== 'doctor') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: '代行入力では責任者の医師を選択してください' });
    }
    const entry = await insertEntry(tx, actor.facilityId, {
      patientId: encounter.patientId,
      encounterId: encounter.id,
      responsibleDoctor: doctor.id,
      createdBy: actor.userId,
      kind: input.kind,
      draft: input.content,
    });
    await recordAccess(tx, actor, 'create', encounter.patientId, {
      what: 'entry-draft',
      entryId: entry.id,
    });
    return { status: 'saved', entryId: entry.id, draftRev: entry.draftRev };
  }
  const entry = await getEntry(tx, actor.facilityId, input.entryId);
  if (!entry || entry.encounterId !== encounter.id || entry.kind !== input.kind)
    throw new TRPCError({ code: 'NOT_FOUND', message: `${kindLabel[input.kind]}が見つかりません` });
  const saved = await saveDraft(tx, actor.facilityId, entry.id, input.baseRev, actor.userId, input.content);
  if (!saved) {
    const by = entry.draftBy ? await getUser(tx, actor.facilityId, entry.draftBy) : null;
    return {
      status: 'conflict',
      entryId: entry.id,
      theirs: { content: entry.draft, draftRev: entry.draftRev, by: by?.displayName ?? null },
    };
  }
  await recordAccess(tx, actor, 'update', encounter.patientId, {
    what: 'entry-draft',
    entryId: entry.id,
    rev: saved.draftRev,
  });
  return { status: 'saved', entryId: entry.id, draftRev: saved.draftRev };
}

/** 修正: a new draft from the current version (the version itself stays as it was). */
export async function startCorrection(db: Database, actor: Actor, entryId: string) {
  return db.transaction(async (tx) => {
    const entry = await getEntry(tx, actor.facilityId, entryId);
    if (!entry) throw new TRPCError({ code: 'NOT_FOUND', message: '記載が見つかりません' });
    if (entry.draft) return { entryId, draftRev: entry.draftRev };
    const [current] = (await versionsOfEntries(tx, actor.facilityId, [entryId])).slice(-1);
    if (!current) throw new TRPCError({ code: 'BAD_REQUEST', message: '確定された版がありません' });
    const saved = await saveDraft(
      tx,
      actor.facilityId,
      entryId,
      entry.draftRev,
      actor.userId,
      current.content,
    );
    if (!saved)
      throw new TRPCError({
        code: 'CONFLICT',
        message: '他の端末で編集が始まりました。画面を更新してください',
      });
    await recordAccess(tx, actor, 'update', entry.patientId, { what: 'entry-correction-start', entryId });
    return { entryId, draftRev: saved.draftRev };
  });
}

/**
 * 確定: the draft becomes an immutable version. A correction needs a reason. `check` runs in the same
 * transaction before the version is written (the orders checks for prescriptions): it may refuse, and
 * returns the content to freeze.
 */
export async function confirmEntry(
  db: Database,
  actor: Actor,
  input: { entryId: string; baseRev: number; reason: string },
  kind: EntryKind,
  check?: (tx: Tx, entry: EntryRow & { draft: EntryContent }) => Promise<EntryContent>,
) {
  return db.transaction((tx) => confirmEntryIn(tx, actor, input, kind, check));
}

/** confirmEntry inside the caller's transaction (SOAP and prescription confirmed together, all or nothing). */
export async function confirmEntryIn(
  tx: Tx,
  actor: Actor,
  input: { entryId: string; baseRev: number; reason: string },
  kind: EntryKind,
  check?: (tx: Tx, entry: EntryRow & { draft: EntryContent }) => Promise<EntryContent>,
) {
  const entry = await getEntry(tx, actor.facilityId, input.entryId);
  if (!entry || entry.kind !== kind)
    throw new TRPCError({ code: 'NOT_FOUND', message: `${kindLabel[kind]}が見つかりません` });
  if (!entry.draft) throw new TRPCError({ code: 'BAD_REQUEST', message: '確定する下書きがありません' });
  if (isEmpty(entry.draft)) throw new TRPCError({ code: 'BAD_REQUEST', message: '空の記載は確定できません' });
  const reason = input.reason.trim();
  if (entry.currentVersion > 0 && !reason) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: '修正の理由を入力してください' });
  }
  // The check may complete the content (the prescription's overrides) before it is frozen.
  const content = check ? await check(tx, { ...entry, draft: entry.draft }) : entry.draft;
  const version = await confirmDraft(tx, actor.facilityId, { ...entry, draft: content }, input.baseRev, {
    enteredBy: actor.userId,
    reason: entry.currentVersion > 0 ? reason : '',
    selfApproved: actor.userId === entry.responsibleDoctor,
  });
  if (!version) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: '確定の前に他の端末で下書きが変わりました。内容を確認してください',
    });
  }
  await recordAccess(tx, actor, 'update', entry.patientId, {
    what: 'entry-confirm',
    entryId: entry.id,
    version: version.version,
    proxy: version.approvedBy === null,
    // The confirmed version's content, hashed into the chain (checked by the audit verifier).
    sealed: await sealRows(tx, actor.facilityId, 'entry_versions', [`${entry.id}:${version.version}`]),
  });
  return { entryId: entry.id, version: version.version, approved: version.approvedBy !== null };
}

/** 未承認一覧: proxy-entered versions waiting for this doctor. */
export async function pendingApprovals(db: Database, actor: Actor) {
  return db.transaction(async (tx) => {
    const rows = await unapprovedVersions(tx, actor.facilityId, actor.userId);
    const ids = [...new Set(rows.map((r) => r.entry.patientId))];
    const patients = new Map(
      (await getPatientSummaries(tx, actor.facilityId, ids)).map((p) => [
        p.id,
        { name: `${p.familyName} ${p.givenName}`, patientNumber: p.patientNumber },
      ]),
    );
    // The list shows several patients: each one shown is on the record (one event, like a search).
    await recordAccess(tx, actor, 'read', null, {
      what: 'pending-approvals',
      count: rows.length,
      patientIds: ids,
    });
    return rows.map((r) => ({
      entryId: r.entry.id,
      version: r.version.version,
      patientId: r.entry.patientId,
      patient: patients.get(r.entry.patientId) ?? null,
      content: r.version.content,
      enteredBy: r.enteredByName,
      createdAt: r.version.createdAt,
    }));
  });
}

/** 承認 in bulk: only the responsible doctor approves; all or nothing. */
export async function approveEntries(
  db: Database,
  actor: Actor,
  items: { entryId: string; version: number }[],
) {
  return changeAndShare(db, async (tx) => {
    for (const item of items) {
      const row = await approveVersion(tx, actor.facilityId, item.entryId, item.version, actor.userId);
      if (!row) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: '承認できない記載が含まれています（他の医師の代行入力、または承認済み）',
        });
      }
      const entry = await getEntry(tx, actor.facilityId, item.entryId);
      await recordAccess(tx, actor, 'update', entry?.patientId ?? null, { what: 'entry-approve', ...item });
      // An approved proxy-entered document now goes to the share service.
      if (entry?.kind === 'document')
        await queueSubmissions(tx, actor.facilityId, entry.patientId, { documents: [entry.id] });
    }
    return { approved: items.length };
  });
}
