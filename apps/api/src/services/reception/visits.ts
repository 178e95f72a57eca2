import {
  activeVisitOn,
  appointmentStamp,
  currentCoverage,
  type Database,
  encounterForVisit,
  getFacility,
  getPatient,
  getVisit,
  insertVisit,
  isUniqueViolation,
  latestEligibilityCheck,
  setVisitState,
  type Tx,
  unapprovedInEncounter,
  visitBoard,
  visitBoardStamp,
} from '@karte/db';
import {
  type CheckInInput,
  canTransition,
  type Role,
  todayInJapan,
  type VisitState,
  visitStateLabels,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { fieldError } from '../fieldError';
import { changeAndShare, queueSubmissions } from '../sharing/outbox';

const alreadyCheckedIn = (n: number) =>
  new TRPCError({ code: 'CONFLICT', message: `この患者は本日すでに受付済みです（受付番号 ${n}）` });

/** 受付: today's visit with the next 受付番号. One active visit per patient and day. */
export async function checkIn(db: Database, actor: Actor, input: CheckInInput) {
  try {
    return await changeAndShare(db, (tx) => checkInWithin(tx, actor, input));
  } catch (error) {
    throw await asAlreadyCheckedIn(db, actor, input.patientId, error);
  }
}

/**
 * The check-in inside the caller's transaction (予約 checks a patient in and links the appointment in one).
 * The caller commits, wakes the share worker, and maps a unique violation with asAlreadyCheckedIn.
 */
export async function checkInWithin(tx: Tx, actor: Actor, input: CheckInInput) {
  const today = todayInJapan();
  const patient = await getPatient(tx, actor.facilityId, input.patientId);
  if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  // The clinic's own 診療科 (クリニック設定); visits keep the name they were made with.
  const facility = await getFacility(tx, actor.facilityId);
  if (!facility?.departments.some((d) => d.name === input.department))
    throw fieldError('department', 'この診療科はクリニック設定にありません。一覧から選択してください');
  const existing = await activeVisitOn(tx, actor.facilityId, input.patientId, today);
  if (existing) throw alreadyCheckedIn(existing.receptionNumber);
  const coverage = await currentCoverage(tx, actor.facilityId, input.patientId);
  if (coverage?.validUntil && coverage.validUntil < today) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `保険の有効期限（${coverage.validUntil}）が切れています。保険情報を更新するか、資格確認を行ってください`,
    });
  }
  const check = await latestEligibilityCheck(tx, actor.facilityId, input.patientId);
  const confirmed = check?.outcome === 'valid' && todayInJapan(check.requestedAt) === today ? 1 : 0;
  const visit = await insertVisit(tx, actor.facilityId, actor.userId, {
    patientId: input.patientId,
    visitDate: today,
    purpose: input.purpose,
    department: input.department,
    memo: input.memo,
    coverageId: coverage?.id ?? null,
    eligibilityConfirmed: confirmed,
  });
  await recordAccess(tx, actor, 'create', input.patientId, { what: 'visit', visitId: visit.id });
  // A visit day: the share service gets today's 傷病名 and アレルギー snapshots.
  await queueSubmissions(tx, actor.facilityId, input.patientId, { conditions: true, allergies: true });
  return visit;
}

/** A unique violation of today's visit: another clerk checked the same patient in at the same moment. */
export async function asAlreadyCheckedIn(db: Database, actor: Actor, patientId: string, error: unknown) {
  if (!isUniqueViolation(error)) return error;
  const existing = await activeVisitOn(db, actor.facilityId, patientId, todayInJapan());
  return alreadyCheckedIn(existing?.receptionNumber ?? 0);
}

export async function moveVisit(
  db: Database,
  actor: Actor,
  role: Role,
  input: { visitId: string; to: VisitState; version: number },
) {
  return db.transaction((tx) => moveVisitIn(tx, actor, role, input));
}

/** moveVisit inside the caller's transaction (the chart's 確定 and 会計待 in one step). */
export async function moveVisitIn(
  tx: Tx,
  actor: Actor,
  role: Role,
  input: { visitId: string; to: VisitState; version: number },
) {
  const visit = await getVisit(tx, actor.facilityId, input.visitId);
  if (!visit) throw new TRPCError({ code: 'NOT_FOUND', message: '受付が見つかりません' });
  if (!canTransition(visit.state, input.to, role)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `「${visitStateLabels[visit.state]}」から「${visitStateLabels[input.to]}」へは変更できません`,
    });
  }
  if (input.to === 'billing' || input.to === 'done') {
    // Proxy entries must be approved by their doctor before the visit goes to payment.
    const encounter = await encounterForVisit(tx, actor.facilityId, visit.id);
    const pending = encounter ? await unapprovedInEncounter(tx, actor.facilityId, encounter.id) : 0;
    if (pending > 0) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: `医師の承認待ちの代行入力が${pending}件あるため、会計に進めません`,
      });
    }
  }
  const row = await setVisitState(tx, actor.facilityId, actor.userId, input.visitId, input.version, input.to);
  if (!row) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: '他の端末で状態が変わりました。最新の受付一覧で確認してください',
    });
  }
  await recordAccess(tx, actor, 'update', visit.patientId, {
    what: 'visit-state',
    visitId: visit.id,
    from: visit.state,
    to: input.to,
  });
  return row;
}

export async function todaysBoard(db: Database, actor: Actor) {
  return db.transaction(async (tx) => {
    const rows = await visitBoard(tx, actor.facilityId, todayInJapan());
    await recordAccess(tx, actor, 'read', null, {
      what: 'visit-board',
      patientIds: rows.map((r) => r.patientId),
    });
    return rows;
  });
}

/** No patient data: screens poll this and reload the board only when it changes. */
export async function todaysBoardStamp(db: Database, actor: Actor) {
  const today = todayInJapan();
  // Today's 予約 too: the board's appointment panel follows booking, 受付 and 不来院 elsewhere.
  const [visits, appointments] = await Promise.all([
    visitBoardStamp(db, actor.facilityId, today),
    appointmentStamp(db, actor.facilityId, today),
  ]);
  return `${visits}|${appointments}`;
}
