import {
  activeVisitOn,
  type CoverageValues,
  currentCoverage,
  type Database,
  getEligibilityCheck,
  getPatient,
  insertEligibilityCheck,
  markEligibilityApplied,
  replaceCoverage,
  setVisitEligibility,
} from '@karte/db';
import {
  type EligibilityQuery,
  type EligibilityResponse,
  limitCategoryLabel,
  normalizeForSearch,
  type Qualification,
  statusLabels,
  todayInJapan,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type EligibilityPort, EligibilityUnavailableError } from '../../ports/eligibility';
import { type Actor, recordAccess } from '../audit';
import { changeAndShare, requeueForPatientChange } from '../sharing/outbox';
import { type Coverage, toCoverage } from './coverage';

export interface CheckRequest {
  patientId: string;
  method: 'card' | 'insurance';
  consent: { limit: boolean; medication: boolean; checkup: boolean };
}

/** One line of the comparison: what Karte has, what the service says. */
export interface Difference {
  field: string;
  label: string;
  registered: string;
  reported: string;
}

function qualificationValues(q: Qualification): CoverageValues {
  return {
    insurerNumber: q.insurerNumber,
    symbol: q.symbol,
    number: q.number,
    branch: q.branch,
    relationship: q.relationship,
    acquiredOn: q.acquiredOn || null,
    validUntil: q.validUntil,
    limitCategory: q.limitCategory ?? '',
    wariOverride: q.burdenWari,
    wariSource: '資格確認',
  };
}

const limitLabel = (code: string | null | undefined) =>
  code ? `${limitCategoryLabel(code)}（${code}）` : '';

/** 記号・番号 compare in one normal form (full/half width, kana script), though stored as entered. */
const same = (a: string, b: string) => normalizeForSearch(a) === normalizeForSearch(b);

function compare(current: Coverage | null, q: Qualification): Difference[] {
  const rows: [string, string, string, string, boolean?][] = [
    ['insurerNumber', '保険者番号', current?.insurerNumber ?? '', q.insurerNumber],
    ['symbol', '記号', current?.symbol ?? '', q.symbol, true],
    ['number', '番号', current?.number ?? '', q.number, true],
    ['branch', '枝番', current?.branch ?? '', q.branch],
    [
      'relationship',
      '本人・家族',
      current ? (current.relationship === 'self' ? '本人' : '家族') : '',
      q.relationship === 'self' ? '本人' : '家族',
    ],
    ['validUntil', '有効期限', current?.validUntil ?? '', q.validUntil ?? ''],
    ['wari', '負担割合', current ? `${current.wari}割` : '', `${q.burdenWari}割`],
    ['limitCategory', '限度額適用区分', limitLabel(current?.limitCategory), limitLabel(q.limitCategory)],
  ];
  return rows
    .filter(([, , a, b, normalised]) => (normalised ? !same(a, b) : a !== b))
    .map(([field, label, registered, reported]) => ({ field, label, registered, reported }));
}

export async function checkEligibility(
  db: Database,
  port: EligibilityPort,
  actor: Actor,
  institutionCode: string,
  req: CheckRequest,
) {
  const today = todayInJapan();
  const { patient, coverage } = await db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, req.patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    return { patient, coverage: await currentCoverage(tx, actor.facilityId, req.patientId) };
  });
  if (req.method === 'insurance' && !coverage) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '保険証情報での確認には、先に保険者番号と記号・番号を登録してください',
    });
  }
  const query: EligibilityQuery = {
    method: req.method,
    institutionCode,
    birthDate: patient.birthDate,
    nameKana: `${patient.familyNameKana} ${patient.givenNameKana}`,
    ...(req.method === 'insurance' && coverage
      ? {
          insurerNumber: coverage.insurerNumber,
          symbol: coverage.symbol,
          number: coverage.number,
          branch: coverage.branch,
        }
      : {}),
    consent: req.consent,
  };
  // The national service is called outside any transaction: a slow answer holds no lock.
  let response: EligibilityResponse | null = null;
  let error: string | null = null;
  try {
    response = await port.query(query);
  } catch (e) {
    if (!(e instanceof EligibilityUnavailableError)) throw e;
    error = e.message;
  }
  const current = coverage ? toCoverage(coverage, patient.birthDate, today) : null;
  return db.transaction(async (tx) => {
    const check = await insertEligibilityCheck(tx, actor.facilityId, {
      patientId: req.patientId,
      method: req.method,
      outcome: response?.status ?? 'unavailable',
      response: response as unknown as Record<string, unknown> | null,
      error,
      requestedBy: actor.userId,
    });
    await recordAccess(tx, actor, 'eligibility-check', req.patientId, {
      checkId: check.id,
      method: req.method,
      outcome: check.outcome,
    });
    const q = response?.qualification ?? null;
    return {
      checkId: check.id,
      outcome: check.outcome,
      outcomeLabel: response ? statusLabels[response.status] : '未確認（接続できません）',
      error,
      response,
      /** Which coverage version the differences were computed against: apply only onto that one. */
      basedOn: coverage?.id ?? null,
      differences: q ? compare(current, q) : [],
      /** For 無効（新しい資格あり）: the newer qualification to apply. */
      applicable: Boolean(response?.newQualification ?? (response?.status === 'valid' ? q : null)),
    };
  });
}

/** 反映: the clerk takes what the service reported as the new coverage version, in one click. */
export async function applyEligibility(db: Database, actor: Actor, checkId: string, basedOn: string | null) {
  const today = todayInJapan();
  return changeAndShare(db, async (tx) => {
    const check = await getEligibilityCheck(tx, actor.facilityId, checkId);
    if (!check) throw new TRPCError({ code: 'NOT_FOUND', message: '資格確認の結果が見つかりません' });
    const response = check.response as unknown as EligibilityResponse | null;
    const q = response?.newQualification ?? (response?.status === 'valid' ? response.qualification : null);
    if (!q)
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'この確認結果には反映できる資格情報がありません' });
    if (check.appliedAt)
      throw new TRPCError({ code: 'CONFLICT', message: 'この確認結果は既に反映されています' });
    const patient = await getPatient(tx, actor.facilityId, check.patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const row = await replaceCoverage(tx, actor.facilityId, check.patientId, actor.userId, basedOn, {
      ...qualificationValues(q),
      eligibilityCheckId: check.id,
    });
    if (!row) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: '確認の後に保険情報が変更されました。もう一度資格確認を行ってください',
      });
    }
    await markEligibilityApplied(tx, actor.facilityId, check.id, actor.userId);
    const visit = await activeVisitOn(tx, actor.facilityId, check.patientId, today);
    if (visit) await setVisitEligibility(tx, actor.facilityId, visit.id, true);
    await recordAccess(tx, actor, 'update', check.patientId, {
      what: 'coverage-from-eligibility',
      checkId,
      coverageId: row.id,
    });
    await requeueForPatientChange(tx, actor.facilityId, check.patientId);
    return toCoverage(row, patient.birthDate, today);
  });
}
