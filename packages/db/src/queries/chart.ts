import type { EntryContent, SoapContent } from '@karte/domain';
import { and, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../open';
import { encounters, entries, entryVersions, templates, users } from '../schema';

export type EncounterRow = typeof encounters.$inferSelect;
export type EntryRow = typeof entries.$inferSelect;
export type EntryVersionRow = typeof entryVersions.$inferSelect;

export async function insertEncounter(
  tx: Tx,
  facilityId: string,
  v: {
    patientId: string;
    visitId: string | null;
    encounterDate: string;
    doctorId: string | null;
    createdBy: string;
  },
) {
  const [row] = await tx
    .insert(encounters)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function encounterForVisit(tx: Tx, facilityId: string, visitId: string) {
  const [row] = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.facilityId, facilityId), eq(encounters.visitId, visitId)));
  return row ?? null;
}

export async function getEncounter(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.facilityId, facilityId), eq(encounters.id, id)));
  return row ?? null;
}

export function patientEncounters(tx: Tx, facilityId: string, patientId: string) {
  return tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.facilityId, facilityId), eq(encounters.patientId, patientId)))
    .orderBy(desc(encounters.encounterDate), desc(encounters.createdAt));
}

export function entriesOfEncounters(tx: Tx, facilityId: string, encounterIds: string[]) {
  if (encounterIds.length === 0) return Promise.resolve([] as EntryRow[]);
  return tx
    .select()
    .from(entries)
    .where(and(eq(entries.facilityId, facilityId), inArray(entries.encounterId, encounterIds)));
}

export function versionsOfEntries(tx: Tx, facilityId: string, entryIds: string[]) {
  if (entryIds.length === 0) return Promise.resolve([] as EntryVersionRow[]);
  return tx
    .select()
    .from(entryVersions)
    .where(and(eq(entryVersions.facilityId, facilityId), inArray(entryVersions.entryId, entryIds)))
    .orderBy(entryVersions.entryId, entryVersions.version);
}

export async function insertEntry(
  tx: Tx,
  facilityId: string,
  v: {
    patientId: string;
    encounterId: string;
    responsibleDoctor: string;
    createdBy: string;
    kind: 'soap' | 'prescription' | 'document';
    draft: EntryContent;
  },
) {
  const [row] = await tx
    .insert(entries)
    .values({ ...v, facilityId, draftRev: 1, draftBy: v.createdBy, draftAt: sql`now()` })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function getEntry(tx: Tx, facilityId: string, id: string) {
  const [row] = await tx
    .select()
    .from(entries)
    .where(and(eq(entries.facilityId, facilityId), eq(entries.id, id)));
  return row ?? null;
}

/** Saves the draft when it is still at `baseRev`; null on conflict. */
export async function saveDraft(
  tx: Tx,
  facilityId: string,
  id: string,
  baseRev: number,
  userId: string,
  draft: EntryContent,
) {
  const [row] = await tx
    .update(entries)
    .set({ draft, draftRev: sql`${entries.draftRev} + 1`, draftBy: userId, draftAt: sql`now()` })
    .where(and(eq(entries.facilityId, facilityId), eq(entries.id, id), eq(entries.draftRev, baseRev)))
    .returning();
  return row ?? null;
}

/** Confirms the draft as the next version; null when the draft moved meanwhile. */
export async function confirmDraft(
  tx: Tx,
  facilityId: string,
  entry: EntryRow,
  baseRev: number,
  v: { enteredBy: string; reason: string; selfApproved: boolean },
) {
  if (!entry.draft) return null;
  const version = entry.currentVersion + 1;
  const [head] = await tx
    .update(entries)
    .set({ currentVersion: version, draft: null, draftRev: sql`${entries.draftRev} + 1` })
    .where(
      and(
        eq(entries.facilityId, facilityId),
        eq(entries.id, entry.id),
        eq(entries.draftRev, baseRev),
        eq(entries.currentVersion, entry.currentVersion),
      ),
    )
    .returning();
  if (!head) return null;
  const [row] = await tx
    .insert(entryVersions)
    .values({
      entryId: entry.id,
      version,
      facilityId,
      content: entry.draft,
      enteredBy: v.enteredBy,
      responsibleDoctor: entry.responsibleDoctor,
      reason: v.reason,
      ...(v.selfApproved ? { approvedBy: entry.responsibleDoctor, approvedAt: sql`now()` } : {}),
    })
    .returning();
  return row ?? null;
}

/** Unapproved proxy-entered versions awaiting a doctor (未承認一覧). */
export function unapprovedVersions(tx: Tx, facilityId: string, doctorId?: string) {
  return tx
    .select({ version: entryVersions, entry: entries, enteredByName: users.displayName })
    .from(entryVersions)
    .innerJoin(entries, eq(entries.id, entryVersions.entryId))
    .innerJoin(users, eq(users.id, entryVersions.enteredBy))
    .where(
      and(
        eq(entryVersions.facilityId, facilityId),
        isNull(entryVersions.approvedBy),
        ...(doctorId ? [eq(entryVersions.responsibleDoctor, doctorId)] : []),
      ),
    )
    .orderBy(entryVersions.createdAt);
}

export async function approveVersion(
  tx: Tx,
  facilityId: string,
  entryId: string,
  version: number,
  doctorId: string,
) {
  const [row] = await tx
    .update(entryVersions)
    .set({ approvedBy: doctorId, approvedAt: sql`now()` })
    .where(
      and(
        eq(entryVersions.facilityId, facilityId),
        eq(entryVersions.entryId, entryId),
        eq(entryVersions.version, version),
        eq(entryVersions.responsibleDoctor, doctorId),
        isNull(entryVersions.approvedBy),
      ),
    )
    .returning();
  return row ?? null;
}

/** How many versions of an encounter still wait for approval (blocks closing for payment). */
export async function unapprovedInEncounter(
  tx: Tx,
  facilityId: string,
  encounterId: string,
): Promise<number> {
  const rows = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(entryVersions)
    .innerJoin(entries, eq(entries.id, entryVersions.entryId))
    .where(
      and(
        eq(entryVersions.facilityId, facilityId),
        eq(entries.encounterId, encounterId),
        isNull(entryVersions.approvedBy),
      ),
    );
  return Number(rows[0]?.n ?? 0);
}

/** The セット a user may use, by name: names only (the text is read when one is inserted). */
export function templatesFor(tx: Tx, facilityId: string, userId: string) {
  return tx
    .select({ id: templates.id, name: templates.name, ownerId: templates.ownerId })
    .from(templates)
    .where(
      and(eq(templates.facilityId, facilityId), or(isNull(templates.ownerId), eq(templates.ownerId, userId))),
    )
    .orderBy(templates.name);
}

/** One セット the user may use (the facility's or their own), with its text. */
export async function templateFor(tx: Tx, facilityId: string, userId: string, id: string) {
  const [row] = await tx
    .select()
    .from(templates)
    .where(
      and(
        eq(templates.id, id),
        eq(templates.facilityId, facilityId),
        or(isNull(templates.ownerId), eq(templates.ownerId, userId)),
      ),
    );
  return row ?? null;
}

/**
 * How many セット the facility shares (ownerId null) or the user keeps. An advisory lock per owner holds for
 * the transaction, so that parallel saves (a batch of them) count one after another.
 */
export async function countTemplatesLocked(tx: Tx, facilityId: string, ownerId: string | null) {
  // Serialises セット saves of one owner (or of the facility's shared set) only; a row lock on the facility
  // would make every write of the clinic that references it wait meanwhile.
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`templates:${facilityId}:${ownerId ?? 'shared'}`}, 0))`,
  );
  const [row] = await tx
    .select({ n: count() })
    .from(templates)
    .where(
      and(
        eq(templates.facilityId, facilityId),
        ownerId ? eq(templates.ownerId, ownerId) : isNull(templates.ownerId),
      ),
    );
  return row?.n ?? 0;
}

export async function insertTemplate(
  tx: Tx,
  facilityId: string,
  v: { ownerId: string | null; name: string; content: SoapContent },
) {
  const [row] = await tx
    .insert(templates)
    .values({ ...v, facilityId })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** Users delete their own セット; facility ones are deleted by whoever may (checked by the caller). */
export async function deleteTemplate(tx: Tx, facilityId: string, id: string, ownerId: string | null) {
  const rows = await tx
    .delete(templates)
    .where(
      and(
        eq(templates.facilityId, facilityId),
        eq(templates.id, id),
        ownerId ? eq(templates.ownerId, ownerId) : isNull(templates.ownerId),
      ),
    )
    .returning({ id: templates.id });
  return rows.length > 0;
}
