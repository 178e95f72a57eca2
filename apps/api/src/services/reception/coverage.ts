import {
  activeVisitOn,
  type CoverageRow,
  type CoverageValues,
  coverageHistory,
  currentPublicSubsidies,
  type Database,
  endPublicSubsidy,
  getPatient,
  insertPublicSubsidy,
  latestEligibilityCheck,
  type PublicSubsidyRow,
  replaceCoverage,
  type Tx,
} from '@karte/db';
import {
  burdenRatio,
  type CoverageFields,
  insuranceKindLabel,
  limitCategoryLabel,
  type PublicSubsidyFields,
  publicSubsidyLabel,
  recipientNumberWarning,
  todayInJapan,
  type Wari,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, requeueForPatientChange } from '../sharing/outbox';

export function toCoverage(row: CoverageRow, birthDate: string, on: string) {
  const wari = row.wariOverride as Wari | null;
  const ratio = burdenRatio(birthDate, on, {
    fromEligibility: row.wariSource === '資格確認' && wari ? wari : undefined,
    activeIncome: row.wariSource === '手入力' && wari === 3,
    lateElderlyWari: row.wariSource === '手入力' && wari ? wari : undefined,
  });
  const expired = row.validUntil !== null && row.validUntil < on;
  return {
    id: row.id,
    insurerNumber: row.insurerNumber,
    kind: insuranceKindLabel(row.insurerNumber),
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    relationship: row.relationship,
    acquiredOn: row.acquiredOn,
    validUntil: row.validUntil,
    limitCategory: row.limitCategory,
    limitCategoryLabel: limitCategoryLabel(row.limitCategory),
    wari: ratio.wari,
    wariReason: ratio.reason,
    wariOverride: row.wariOverride,
    wariSource: row.wariSource,
    expired,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
  };
}
export type Coverage = ReturnType<typeof toCoverage>;

export function toPublicSubsidy(row: PublicSubsidyRow) {
  return {
    id: row.id,
    priority: row.priority,
    payerNumber: row.payerNumber,
    label: publicSubsidyLabel(row.payerNumber),
    recipientNumber: row.recipientNumber,
    recipientWarning: recipientNumberWarning(row.recipientNumber, row.payerNumber),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    monthlyCap: row.monthlyCap,
  };
}

async function patientOrThrow(tx: Tx, actor: Actor, patientId: string) {
  const p = await getPatient(tx, actor.facilityId, patientId);
  if (!p) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  return p;
}

/** Everything about who pays, as the reception screen shows it. */
export async function insuranceOf(db: Database, actor: Actor, patientId: string) {
  const today = todayInJapan();
  return db.transaction(async (tx) => {
    const p = await patientOrThrow(tx, actor, patientId);
    const history = await coverageHistory(tx, actor.facilityId, patientId);
    const subsidies = await currentPublicSubsidies(tx, actor.facilityId, patientId);
    const check = await latestEligibilityCheck(tx, actor.facilityId, patientId);
    const visit = await activeVisitOn(tx, actor.facilityId, patientId, today);
    await recordAccess(tx, actor, 'read', patientId, { what: 'insurance' });
    const current = history.find((r) => r.endedAt === null);
    return {
      current: current ? toCoverage(current, p.birthDate, today) : null,
      history: history.filter((r) => r.endedAt !== null).map((r) => toCoverage(r, p.birthDate, today)),
      /** The ratio by age alone, for a patient without registered coverage. */
      byAge: burdenRatio(p.birthDate, today),
      subsidies: subsidies.map(toPublicSubsidy),
      /** Today's active visit, if the patient is already checked in. */
      todayVisit: visit
        ? { id: visit.id, receptionNumber: visit.receptionNumber, state: visit.state, version: visit.version }
        : null,
      lastCheck: check
        ? { id: check.id, outcome: check.outcome, requestedAt: check.requestedAt, appliedAt: check.appliedAt }
        : null,
    };
  });
}

export function coverageValues(f: CoverageFields): CoverageValues {
  return {
    insurerNumber: f.insurerNumber.normalize('NFKC'),
    symbol: f.symbol,
    number: f.number,
    branch: f.branch.normalize('NFKC'),
    relationship: f.relationship,
    acquiredOn: f.acquiredOn || null,
    validUntil: f.validUntil || null,
    limitCategory: f.limitCategory,
    wariOverride: f.wariOverride ? Number(f.wariOverride) : null,
    wariSource: f.wariOverride ? '手入力' : '',
  };
}

/** A new version of the coverage; the one the clerk started from must still be current. */
export async function saveCoverage(
  db: Database,
  actor: Actor,
  patientId: string,
  basedOn: string | null,
  values: CoverageValues,
) {
  const today = todayInJapan();
  return changeAndShare(db, async (tx) => {
    const p = await patientOrThrow(tx, actor, patientId);
    const row = await replaceCoverage(tx, actor.facilityId, patientId, actor.userId, basedOn, values);
    if (!row) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: '他の端末で保険情報が更新されました。最新の内容を確認してから、もう一度保存してください',
      });
    }
    await recordAccess(tx, actor, 'update', patientId, { what: 'coverage', coverageId: row.id, basedOn });
    await requeueForPatientChange(tx, actor.facilityId, patientId);
    return toCoverage(row, p.birthDate, today);
  });
}

export async function addPublicSubsidy(
  db: Database,
  actor: Actor,
  patientId: string,
  f: PublicSubsidyFields,
) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const existing = await currentPublicSubsidies(tx, actor.facilityId, patientId);
    if (existing.some((s) => s.priority === f.priority)) {
      throw new TRPCError({ code: 'CONFLICT', message: `第${f.priority}公費は既に登録されています` });
    }
    const row = await insertPublicSubsidy(tx, actor.facilityId, patientId, actor.userId, {
      priority: f.priority,
      payerNumber: f.payerNumber.normalize('NFKC'),
      recipientNumber: f.recipientNumber,
      validFrom: f.validFrom || null,
      validUntil: f.validUntil || null,
      monthlyCap: f.monthlyCap,
    });
    if (!row) throw new TRPCError({ code: 'CONFLICT', message: `第${f.priority}公費は既に登録されています` });
    await recordAccess(tx, actor, 'update', patientId, { what: 'public-subsidy', id: row.id });
    return toPublicSubsidy(row);
  });
}

export async function removePublicSubsidy(db: Database, actor: Actor, patientId: string, id: string) {
  return db.transaction(async (tx) => {
    await patientOrThrow(tx, actor, patientId);
    const row = await endPublicSubsidy(tx, actor.facilityId, id, actor.userId);
    if (!row || row.patientId !== patientId)
      throw new TRPCError({ code: 'NOT_FOUND', message: '公費が見つかりません' });
    await recordAccess(tx, actor, 'update', patientId, { what: 'public-subsidy-end', id });
    return { ok: true as const };
  });
}
