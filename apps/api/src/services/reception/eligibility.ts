import {
  activeVisitOn,
  type CoverageRow,
  type CoverageValues,
  currentCoverage,
  type Database,
  getEligibilityCheck,
  getPatient,
  insertEligibilityCheck,
  markEligibilityApplied,
  type PatientRow,
  replaceCoverage,
  setVisitEligibility,
} from '@karte/db';
import {
  type EligibilityQuery,
  type EligibilityResponse,
  limitCategoryLabel,
  normalizeForSearch,
  type Qualification,
  sexLabels,
  statusLabels,
  todayInJapan,
  toWareki,
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

/** The coverage fields an apply writes: each one that would change is a line of the table. */
export const coverageFieldNames = [
  'insurerNumber',
  'symbol',
  'number',
  'branch',
  'relationship',
  'acquiredOn',
  'validUntil',
  'wari',
  'limitCategory',
] as const;
type CoverageField = (typeof coverageFieldNames)[number];

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

/** The stored values of a coverage version, to start the next version from. */
function rowValues(row: CoverageRow): CoverageValues {
  return {
    insurerNumber: row.insurerNumber,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    relationship: row.relationship,
    acquiredOn: row.acquiredOn,
    validUntil: row.validUntil,
    limitCategory: row.limitCategory,
    wariOverride: row.wariOverride,
    wariSource: row.wariSource,
  };
}

const limitLabel = (code: string | null | undefined) =>
  code ? `${limitCategoryLabel(code)}（${code}）` : '';
/** Dates as every other reception screen shows them (和暦). */
const dateLabel = (iso: string | null | undefined) => (iso ? toWareki(iso) : '');
const relationshipLabel = (r: string | null | undefined) => (r ? (r === 'self' ? '本人' : '家族') : '');

/** 記号・番号 compare in one normal form (full/half width, kana script), though stored as entered. */
const same = (a: string, b: string) => normalizeForSearch(a) === normalizeForSearch(b);

/**
 * Every coverage field the apply would change, with both values as the screen shows them. A field the service
 * did not report (限度額 without the patient's consent) is not a change: the registered value stays.
 */
function compare(row: CoverageRow | null, current: Coverage | null, q: Qualification) {
  const lines: [CoverageField, string, string, string, boolean][] = [
    [
      'insurerNumber',
      '保険者番号',
      row?.insurerNumber ?? '',
      q.insurerNumber,
      (row?.insurerNumber ?? '') !== q.insurerNumber,
    ],
    ['symbol', '記号', row?.symbol ?? '', q.symbol, !row || !same(row.symbol, q.symbol)],
    ['number', '番号', row?.number ?? '', q.number, !row || !same(row.number, q.number)],
    ['branch', '枝番', row?.branch ?? '', q.branch, !row || !same(row.branch, q.branch)],
    [
      'relationship',
      '本人・家族',
      relationshipLabel(row?.relationship),
      relationshipLabel(q.relationship),
      row?.relationship !== q.relationship,
    ],
    [
      'acquiredOn',
      '資格取得日',
      dateLabel(row?.acquiredOn),
      dateLabel(q.acquiredOn),
      (row?.acquiredOn ?? '') !== (q.acquiredOn || ''),
    ],
    [
      'validUntil',
      '有効期限',
      dateLabel(row?.validUntil),
      dateLabel(q.validUntil),
      (row?.validUntil ?? '') !== (q.validUntil ?? ''),
    ],
    [
      'wari',
      '負担割合',
      current ? `${current.wari}割（${current.wariReason}）` : '',
      `${q.burdenWari}割（資格確認の結果）`,
      row?.wariOverride !== q.burdenWari || row?.wariSource !== '資格確認',
    ],
    [
      'limitCategory',
      '限度額適用区分',
      limitLabel(row?.limitCategory),
      limitLabel(q.limitCategory),
      q.limitCategory !== null && (row?.limitCategory ?? '') !== q.limitCategory,
    ],
  ];
  return lines
    .filter(([, , , , differs]) => differs)
    .map(([field, label, registered, reported]) => ({ field, label, registered, reported }));
}

const sexLabel = (s: string) => (Object.hasOwn(sexLabels, s) ? sexLabels[s as keyof typeof sexLabels] : s);
const nameForm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * Who the answer is about, against the registered patient: 氏名, カナ, 性別, 生年月日. A mismatch may mean the
 * wrong card or the wrong patient: a warning shown first, never an update of the patient.
 */
function identityWarnings(patient: PatientRow, q: Qualification): Difference[] {
  const lines: [string, string, string, string, boolean][] = [
    [
      'name',
      '氏名',
      `${patient.familyName} ${patient.givenName}`,
      q.name,
      nameForm(`${patient.familyName}${patient.givenName}`) !== nameForm(q.name),
    ],
    [
      'nameKana',
      '氏名（カナ）',
      `${patient.familyNameKana} ${patient.givenNameKana}`,
      q.nameKana,
      normalizeForSearch(`${patient.familyNameKana}${patient.givenNameKana}`) !==
        normalizeForSearch(q.nameKana.replace(/\s+/g, '')),
    ],
    ['sex', '性別', sexLabel(patient.sex), sexLabel(q.sex), patient.sex !== q.sex],
    [
      'birthDate',
      '生年月日',
      dateLabel(patient.birthDate),
      dateLabel(q.birthDate),
      patient.birthDate !== q.birthDate,
    ],
  ];
  return lines
    .filter(([, , , , differs]) => differs)
    .map(([field, label, registered, reported]) => ({ field, label, registered, reported }));
}

/** What an apply takes: the newer qualification of 無効（新しい資格あり）, or a valid one. */
function applicableQualification(response: EligibilityResponse | null) {
  return response?.newQualification ?? (response?.status === 'valid' ? response.qualification : null);
}

/** The fields of a difference list, in one order, for comparing what was shown with what would be applied. */
const fieldSet = (fields: readonly string[]) => [...new Set(fields)].sort().join(',');

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
    name: `${patient.familyName} ${patient.givenName}`,
    sex: patient.sex,
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
    // Compared with what an apply would write: the newer qualification when there is one.
    const q = applicableQualification(response) ?? response?.qualification ?? null;
    return {
      checkId: check.id,
      outcome: check.outcome,
      outcomeLabel: response ? statusLabels[response.status] : '未確認（接続できません）',
      error,
      response,
      /** Which coverage version the differences were computed against: apply only onto that one. */
      basedOn: coverage?.id ?? null,
      differences: q ? compare(coverage, current, q) : [],
      /** 氏名・カナ・性別・生年月日 that differ from the registered patient: shown first, never applied. */
      identityWarnings: q ? identityWarnings(patient, q) : [],
      /** For 無効（新しい資格あり）: the newer qualification to apply. */
      applicable: Boolean(applicableQualification(response)),
    };
  });
}

/**
 * 反映: the clerk takes what the service reported as the new coverage version, in one click. Exactly the
 * fields the clerk was shown change (`fields`, from the differences table): if the comparison now gives other
 * fields, the answer or the coverage moved on and it is a conflict. The other fields keep their registered
 * values; the previous version stays in the history with its values.
 */
export async function applyEligibility(
  db: Database,
  actor: Actor,
  checkId: string,
  basedOn: string | null,
  fields: readonly string[],
) {
  const today = todayInJapan();
  return changeAndShare(db, async (tx) => {
    const check = await getEligibilityCheck(tx, actor.facilityId, checkId);
    if (!check) throw new TRPCError({ code: 'NOT_FOUND', message: '資格確認の結果が見つかりません' });
    const response = check.response as unknown as EligibilityResponse | null;
    const q = applicableQualification(response);
    if (!q)
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'この確認結果には反映できる資格情報がありません' });
    if (check.appliedAt)
      throw new TRPCError({ code: 'CONFLICT', message: 'この確認結果は既に反映されています' });
    const patient = await getPatient(tx, actor.facilityId, check.patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const row = await currentCoverage(tx, actor.facilityId, check.patientId);
    const changes = compare(row, row ? toCoverage(row, patient.birthDate, today) : null, q);
    if ((row?.id ?? null) !== basedOn || fieldSet(changes.map((c) => c.field)) !== fieldSet(fields)) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: '表示した差異と現在の内容が一致しません。もう一度資格確認を行ってください',
      });
    }
    const reported = qualificationValues(q);
    const next: CoverageValues = { ...(row ? rowValues(row) : reported), eligibilityCheckId: check.id };
    for (const c of changes) {
      if (c.field === 'wari') {
        next.wariOverride = reported.wariOverride;
        next.wariSource = reported.wariSource;
      } else {
        const key = c.field as Exclude<CoverageField, 'wari'>;
        (next as Record<string, unknown>)[key] = reported[key];
      }
    }
    const created = await replaceCoverage(tx, actor.facilityId, check.patientId, actor.userId, basedOn, next);
    if (!created) {
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
      coverageId: created.id,
      previousCoverageId: row?.id ?? null,
      changes: Object.fromEntries(changes.map((c) => [c.field, { from: c.registered, to: c.reported }])),
    });
    await requeueForPatientChange(tx, actor.facilityId, check.patientId);
    return toCoverage(created, patient.birthDate, today);
  });
}
