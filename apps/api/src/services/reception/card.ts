import { CARD_ISSUE_ACTION, cardClinic, countCardIssues, type Database, getPatient } from '@karte/db';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';

// 診察券 (patient card): what the card prints, and its issue (first or 再発行) recorded in the audit trail.

/** The card's content: the clinic (name, phone) and the patient (氏名, カナ, 患者番号), with past issues. */
export async function readCard(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    const row = await getPatient(tx, actor.facilityId, patientId);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const clinic = await cardClinic(tx, actor.facilityId);
    const issued = await countCardIssues(tx, actor.facilityId, row.id);
    await recordAccess(tx, actor, 'read', row.id, { card: true });
    return {
      clinic,
      patient: {
        id: row.id,
        patientNumber: row.patientNumber,
        familyName: row.familyName,
        givenName: row.givenName,
        familyNameKana: row.familyNameKana,
        givenNameKana: row.givenNameKana,
      },
      /** Cards issued before this one (0: the first card; more: a 再発行). */
      issued,
    };
  });
}

/** Records one 診察券 printed: the n-th issue of the patient's card (n > 1 is a 再発行). */
export async function issueCard(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    const row = await getPatient(tx, actor.facilityId, patientId);
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const issue = (await countCardIssues(tx, actor.facilityId, row.id)) + 1;
    await recordAccess(tx, actor, CARD_ISSUE_ACTION, row.id, {
      issue,
      reissue: issue > 1,
      patientNumber: row.patientNumber,
    });
    return { issue, reissue: issue > 1 };
  });
}
