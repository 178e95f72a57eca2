/**
 * 再診を短く (Do 再診): the board's one key that starts the visit, 前回Do of SOAP and prescription in one step,
 * and 確定 of everything written today with the move to 会計待 — each one transaction.
 */
import {
  currentPublicSubsidies,
  type Database,
  drugFacts,
  type EntryRow,
  entriesOfEncounters,
  getEncounter,
  getEntry,
  getVisit,
  patientEncounters,
  type Tx,
  versionsOfEntries,
} from '@karte/db';
import {
  canTransition,
  drugCodesOf,
  type EntryContent,
  isGenericCode,
  isPrescription,
  isSoap,
  type PrescriptionContent,
  type Role,
  type SoapContent,
  todayInJapan,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { confirmPrescriptionIn, NeedsOverride } from '../orders/prescriptions';
import { moveVisitIn } from '../reception/visits';
import { confirmEntryIn, openEncounterIn, saveEntryDraftIn } from './entries';

/**
 * 診察開始 from the board: today's encounter of the visit (created if absent) and, when the patient was
 * 診察待, the visit moved to 診察中 — together.
 */
export async function beginVisit(db: Database, actor: Actor, role: Role, input: { visitId: string }) {
  return db.transaction(async (tx) => {
    const visit = await getVisit(tx, actor.facilityId, input.visitId);
    if (!visit) throw new TRPCError({ code: 'NOT_FOUND', message: '受付が見つかりません' });
    if (visit.visitDate !== todayInJapan())
      throw new TRPCError({ code: 'BAD_REQUEST', message: '本日の受付ではありません' });
    const encounter = await openEncounterIn(tx, actor, role, {
      patientId: visit.patientId,
      visitId: visit.id,
    });
    const moved =
      visit.state === 'waiting' && canTransition(visit.state, 'in_consult', role)
        ? await moveVisitIn(tx, actor, role, { visitId: visit.id, to: 'in_consult', version: visit.version })
        : null;
    const now = moved ?? visit;
    return {
      patientId: visit.patientId,
      encounterId: encounter.id,
      visit: { id: now.id, state: now.state, version: now.version },
    };
  });
}

const joinText = (a: string, b: string) => [a, b].filter((t) => t.trim() !== '').join('\n');
const soapParts = ['s', 'o', 'a', 'p'] as const;

/** The patient's last encounter before this one with confirmed SOAP or prescriptions, and those contents. */
async function lastVisitWithRecords(
  tx: Tx,
  facilityId: string,
  patientId: string,
  target: { id: string; date: string },
) {
  const encounters = (await patientEncounters(tx, facilityId, patientId)).filter(
    (e) => e.id !== target.id && e.encounterDate <= target.date,
  );
  for (const enc of encounters) {
    const rows = (await entriesOfEncounters(tx, facilityId, [enc.id])).filter(
      (e) => e.currentVersion > 0 && (e.kind === 'soap' || e.kind === 'prescription'),
    );
    if (rows.length === 0) continue;
    const versions = await versionsOfEntries(
      tx,
      facilityId,
      rows.map((e) => e.id),
    );
    const current = (e: EntryRow) =>
      versions.find((v) => v.entryId === e.id && v.version === e.currentVersion)?.content;
    const soaps = rows.flatMap((e) => {
      const c = current(e);
      return c && isSoap(c) ? [c] : [];
    });
    const prescriptions = rows.flatMap((e) => {
      const c = current(e);
      return c && isPrescription(c) ? [{ entryId: e.id, content: c }] : [];
    });
    if (soaps.length === 0 && prescriptions.length === 0) continue;
    return { encounter: enc, soaps, prescriptions };
  }
  return null;
}

export type CopyResult =
  | { status: 'none' }
  | {
      status: 'copied';
      from: { encounterId: string; date: string };
      soap: { entryId: string; appended: boolean } | null;
      prescriptions: { entryId: string; appended: boolean; drugs: number; fromEntryId: string }[];
      /** Drugs of the last prescription no longer in the 薬価基準 master: copied as they were, to be replaced. */
      missingDrugs: { code: string; name: string }[];
      /** 公費 chosen last time that are no longer the patient's (not copied). */
      droppedSubsidies: number;
    };

/**
 * 前回Do: the last visit's SOAP and prescriptions become today's drafts in one transaction — appended to a
 * draft already there (never replacing text), otherwise new drafts. Overrides are not copied: the checks run
 * on today's prescription as on any other, and a reason must be given again.
 */
export async function copyLastVisit(
  db: Database,
  actor: Actor,
  role: Role,
  input: { encounterId: string; doctorId: string | null },
): Promise<CopyResult> {
  return db.transaction(async (tx) => {
    const encounter = await getEncounter(tx, actor.facilityId, input.encounterId);
    if (!encounter) throw new TRPCError({ code: 'NOT_FOUND', message: '診療が見つかりません' });
    if (encounter.encounterDate !== todayInJapan())
      throw new TRPCError({ code: 'BAD_REQUEST', message: '前回Doは本日の診療にだけ写せます' });
    const last = await lastVisitWithRecords(tx, actor.facilityId, encounter.patientId, {
      id: encounter.id,
      date: encounter.encounterDate,
    });
    await recordAccess(tx, actor, 'read', encounter.patientId, {
      what: 'do-last-visit',
      encounterId: encounter.id,
      fromEncounterId: last?.encounter.id ?? null,
    });
    if (!last) return { status: 'none' };

    const todays = (await entriesOfEncounters(tx, actor.facilityId, [encounter.id])).filter(
      (e) => e.draft !== null,
    );
    const draftOf = (kind: EntryRow['kind']) =>
      todays.find((e) => e.kind === kind && e.currentVersion === 0) ?? null;
    const save = async (kind: 'soap' | 'prescription', existing: EntryRow | null, content: EntryContent) => {
      const r = await saveEntryDraftIn(tx, actor, role, {
        encounterId: encounter.id,
        entryId: existing?.id ?? null,
        baseRev: existing?.draftRev ?? 0,
        kind,
        content,
        doctorId: input.doctorId,
      });
      // Read and written in this transaction: a conflict here means a concurrent save; say so, write nothing.
      if (r.status !== 'saved')
        throw new TRPCError({
          code: 'CONFLICT',
          message: '他の端末で本日の下書きが変わりました。画面を更新してからもう一度前回Doしてください',
        });
      return r.entryId;
    };

    let soap: { entryId: string; appended: boolean } | null = null;
    if (last.soaps.length > 0) {
      const copied = Object.fromEntries(
        soapParts.map((k) => [k, last.soaps.map((c) => c[k]).reduce(joinText, '')]),
      ) as unknown as SoapContent;
      const existing = draftOf('soap');
      const before = existing?.draft && isSoap(existing.draft) ? existing.draft : null;
      const content: SoapContent = before
        ? (Object.fromEntries(
            soapParts.map((k) => [k, joinText(before[k], copied[k])]),
          ) as unknown as SoapContent)
        : copied;
      soap = { entryId: await save('soap', existing, content), appended: !!before };
    }

    const current = new Set(
      (await currentPublicSubsidies(tx, actor.facilityId, encounter.patientId)).map((r) => r.id),
    );
    const codes = last.prescriptions.flatMap((p) => drugCodesOf(p.content));
    const facts = await drugFacts(tx, [...new Set(codes)]);
    const missing = new Map<string, string>();
    let dropped = 0;
    const prescriptions: { entryId: string; appended: boolean; drugs: number; fromEntryId: string }[] = [];
    let rxDraft = draftOf('prescription');
    for (const p of last.prescriptions) {
      const ids = p.content.publicSubsidyIds ?? [];
      const kept = ids.filter((id) => current.has(id));
      dropped += ids.length - kept.length;
      const rps = p.content.rps.map((rp) => ({
        ...rp,
        drugs: rp.drugs.map((d) => {
          const f = facts.get(d.code);
          if (!f) missing.set(d.code, d.name);
          // Names follow the master, as on any save (a drug out of the master keeps its old name, flagged).
          return f ? { ...d, name: f.name, generic: isGenericCode(d.code) } : d;
        }),
      }));
      const before = rxDraft?.draft && isPrescription(rxDraft.draft) ? rxDraft.draft : null;
      if (before && before.rps.length + rps.length > 30)
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: '処方のRPは30までです。本日の処方を整理してください',
        });
      const content: PrescriptionContent = before
        ? { ...before, rps: [...before.rps, ...rps] }
        : { ...p.content, rps, publicSubsidyIds: kept, overrides: [] };
      const entryId = await save('prescription', rxDraft, content);
      prescriptions.push({
        entryId,
        appended: !!before,
        drugs: rps.reduce((n, r) => n + r.drugs.length, 0),
        fromEntryId: p.entryId,
      });
      // A second prescription of that day goes into the same draft.
      rxDraft = await getEntry(tx, actor.facilityId, entryId);
    }
    return {
      status: 'copied',
      from: { encounterId: last.encounter.id, date: last.encounter.encounterDate },
      soap,
      prescriptions,
      missingDrugs: [...missing].map(([code, name]) => ({ code, name })),
      droppedSubsidies: dropped,
    };
  });
}

export type ConfirmTogetherResult =
  | {
      status: 'confirmed';
      confirmed: { entryId: string; kind: 'soap' | 'prescription'; version: number; approved: boolean }[];
      visit: { id: string; state: string; version: number } | null;
    }
  | { status: 'needs-override'; entryId: string; findings: NeedsOverride['findings'] };

/**
 * 確定 of today's SOAP and prescriptions together, and optionally the move to 会計待 — one transaction: a
 * prescription finding without a reason, a conflict or a refused move leaves every draft as it was.
 * The prescription's reasons are those saved in its draft (the editor autosaves them).
 */
export async function confirmTogether(
  db: Database,
  actor: Actor,
  role: Role,
  input: {
    encounterId: string;
    entries: { entryId: string; baseRev: number }[];
    billing: { visitId: string; version: number } | null;
  },
): Promise<ConfirmTogetherResult> {
  try {
    return await db.transaction(async (tx) => {
      const encounter = await getEncounter(tx, actor.facilityId, input.encounterId);
      if (!encounter) throw new TRPCError({ code: 'NOT_FOUND', message: '診療が見つかりません' });
      if (input.entries.length === 0 && !input.billing)
        throw new TRPCError({ code: 'BAD_REQUEST', message: '確定する記載がありません' });
      const confirmed: {
        entryId: string;
        kind: 'soap' | 'prescription';
        version: number;
        approved: boolean;
      }[] = [];
      for (const item of input.entries) {
        const entry = await getEntry(tx, actor.facilityId, item.entryId);
        if (!entry || entry.encounterId !== encounter.id || entry.kind === 'document')
          throw new TRPCError({ code: 'NOT_FOUND', message: '記載が見つかりません' });
        // A correction needs its own reason: confirmed from its own editor.
        if (entry.currentVersion > 0)
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: '修正中の記載は理由を入力して個別に確定してください',
          });
        if (entry.kind === 'soap') {
          const done = await confirmEntryIn(tx, actor, { ...item, reason: '' }, 'soap');
          confirmed.push({ ...done, kind: 'soap' });
        } else {
          const overrides = entry.draft && isPrescription(entry.draft) ? entry.draft.overrides : [];
          const done = await confirmPrescriptionIn(tx, actor, { ...item, reason: '', overrides });
          confirmed.push({ ...done, kind: 'prescription' });
        }
      }
      let visit: { id: string; state: string; version: number } | null = null;
      if (input.billing) {
        if (encounter.visitId !== input.billing.visitId)
          throw new TRPCError({ code: 'NOT_FOUND', message: '受付が見つかりません' });
        const row = await moveVisitIn(tx, actor, role, { ...input.billing, to: 'billing' });
        visit = { id: row.id, state: row.state, version: row.version };
      }
      return { status: 'confirmed' as const, confirmed, visit };
    });
  } catch (err) {
    if (err instanceof NeedsOverride)
      return { status: 'needs-override', entryId: err.entryId, findings: err.findings };
    throw err;
  }
}
