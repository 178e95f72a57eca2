import {
  confirmedPrescriptions,
  currentCoverage,
  currentPublicSubsidies,
  type Database,
  doseLimitRows,
  drugClassRows,
  drugFacts,
  getEncounter,
  getEntry,
  getFacility,
  getPatient,
  getUser,
  interactionRules,
  latestWeightKg,
  patientAllergies,
  publicSubsidiesByIds,
  type Tx,
  usagesByCodes,
} from '@karte/db';
import {
  type ActiveDrug,
  activeUntil,
  ageOn,
  burdenRatio,
  type CheckOverride,
  checkPrescription,
  drugCodesOf,
  type Finding,
  FREE_TEXT_USAGE,
  isGenericCode,
  isPrescription,
  type PrescriptionContent,
  type Role,
  todayInJapan,
  unresolvedFindings,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { confirmEntryIn, saveEntryDraft } from '../chart/entries';
import { toCoverage, toPublicSubsidy } from '../reception/coverage';

type Facts = Awaited<ReturnType<typeof drugFacts>>;

/** The master's facts for every code of the prescription; a code the master does not have is refused. */
async function factsFor(tx: Tx, codes: string[]): Promise<Facts> {
  const facts = await drugFacts(tx, [...new Set(codes)]);
  const unknown = codes.filter((c) => !facts.has(c));
  if (unknown.length > 0) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `薬価基準にない薬剤コードです: ${[...new Set(unknown)].join('、')}`,
    });
  }
  return facts;
}

/**
 * A drug's name is tied to its code: whatever name the client sent is replaced with the master's (品名, or
 * 【般】成分名+規格 for a 一般名 code), and the 一般名 flag follows the code.
 */
function withMasterNames<T extends Pick<PrescriptionContent, 'rps'>>(content: T, facts: Facts): T {
  return {
    ...content,
    rps: content.rps.map((r) => ({
      ...r,
      drugs: r.drugs.map((d) => {
        const generic = isGenericCode(d.code);
        return {
          ...d,
          name: facts.get(d.code)?.name ?? d.name,
          generic,
          // 一般名処方 has no 変更不可 / 患者希望 (the contract refuses it; an older draft may carry it).
          ...(generic ? { noChange: false, patientWish: false } : {}),
        };
      }),
    })),
  };
}

/**
 * Every coded 用法 must be in the 用法 table (the shipped subset, or the official master once loaded);
 * returns the rows for the dose check's 1日回数.
 */
async function checkUsageCodes(tx: Tx, content: Pick<PrescriptionContent, 'rps'>) {
  const codes = content.rps.map((r) => r.usageCode).filter((c) => c !== FREE_TEXT_USAGE);
  const rows = await usagesByCodes(tx, codes);
  const unknown = [...new Set(codes.filter((c) => !rows.has(c)))];
  if (unknown.length > 0) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `用法コードが用法表にありません: ${unknown.join('、')}`,
    });
  }
  return rows;
}

/** The chosen 公費 must be the patient's current ones (none chosen = none printed). */
async function checkChosenSubsidies(
  tx: Tx,
  facilityId: string,
  patientId: string,
  ids: string[] | undefined,
) {
  if (!ids || ids.length === 0) return;
  const current = new Set((await currentPublicSubsidies(tx, facilityId, patientId)).map((r) => r.id));
  if (ids.some((id) => !current.has(id))) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: '選択した公費はこの患者の現在の公費ではありません。公費を選び直してください',
    });
  }
}

/** How far back confirmed prescriptions are read for what is still being taken. */
const LOOKBACK_DAYS = 400;

function daysBefore(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** The checks with their facts gathered from the database (inside the caller's transaction). */
async function findingsFor(
  tx: Tx,
  facilityId: string,
  patientId: string,
  content: Pick<PrescriptionContent, 'rps'>,
  excludeEntryId: string | null,
) {
  const today = todayInJapan();
  const past = await confirmedPrescriptions(tx, facilityId, patientId, daysBefore(today, LOOKBACK_DAYS));
  const activeCodes: { code: string; since: string }[] = [];
  for (const p of past) {
    if (p.entryId === excludeEntryId) continue;
    for (const rp of p.content.rps) {
      if (activeUntil(rp, p.date) > today)
        for (const d of rp.drugs) activeCodes.push({ code: d.code, since: p.date });
    }
  }
  const codes = drugCodesOf(content);
  await factsFor(tx, codes);
  const facts = await drugFacts(tx, [...new Set([...codes, ...activeCodes.map((a) => a.code)])]);
  const active: ActiveDrug[] = activeCodes.flatMap((a) => {
    const f = facts.get(a.code);
    return f ? [{ ...f, since: a.since }] : [];
  });
  const registered = (await patientAllergies(tx, facilityId, patientId)).filter((a) => a.status === 'active');
  // A product allergy's 成分名, for the same-class warning.
  const allergenFacts = await drugFacts(tx, [
    ...new Set(registered.flatMap((a) => (a.drugCode ? [a.drugCode] : []))),
  ]);
  const allergies = registered.map((a) => ({
    ...a,
    ingredient: a.drugCode ? (allergenFacts.get(a.drugCode)?.ingredient ?? null) : null,
  }));
  // 用量: 1日回数 from the 用法 table, age from the birth date, weight from the latest vitals.
  const usageRows = await checkUsageCodes(tx, content);
  const patient = await getPatient(tx, facilityId, patientId);
  const ageYears = patient?.birthDate ? ageOn(patient.birthDate, today) : null;
  return checkPrescription({
    content,
    facts,
    active,
    allergies,
    rules: await interactionRules(tx),
    classes: await drugClassRows(tx),
    doses: {
      limits: await doseLimitRows(tx),
      perDay: (code) => usageRows.get(code)?.perDay ?? null,
      ageYears,
      weightKg: await latestWeightKg(tx, facilityId, patientId, today), // 体重 from the vitals (30 days)
    },
  });
}

/** 処方チェック while typing: findings for the prescription as it stands (not saved). */
export async function checkDraft(
  db: Database,
  actor: Actor,
  input: { patientId: string; entryId: string | null; content: Pick<PrescriptionContent, 'rps'> },
): Promise<Finding[]> {
  return db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, input.patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const findings = await findingsFor(tx, actor.facilityId, input.patientId, input.content, input.entryId);
    await recordAccess(tx, actor, 'read', input.patientId, {
      what: 'prescription-check',
      findings: findings.length,
    });
    return findings;
  });
}

export async function savePrescriptionDraft(
  db: Database,
  actor: Actor,
  role: Role,
  input: {
    encounterId: string;
    entryId: string | null;
    baseRev: number;
    content: PrescriptionContent;
    doctorId: string | null;
  },
) {
  // Names from the master and the chosen 公費 checked before the draft is written (confirm checks again).
  const content = await db.transaction(async (tx) => {
    const encounter = await getEncounter(tx, actor.facilityId, input.encounterId);
    if (!encounter) throw new TRPCError({ code: 'NOT_FOUND', message: '診療が見つかりません' });
    await checkChosenSubsidies(tx, actor.facilityId, encounter.patientId, input.content.publicSubsidyIds);
    const facts = await factsFor(tx, drugCodesOf(input.content));
    await checkUsageCodes(tx, input.content);
    return withMasterNames(input.content, facts);
  });
  return saveEntryDraft(db, actor, role, { ...input, content, kind: 'prescription' });
}

export type ConfirmPrescriptionResult =
  | { status: 'confirmed'; entryId: string; version: number; approved: boolean }
  | { status: 'needs-override'; findings: Finding[] };

/**
 * 確定 of a prescription: the checks run again inside the confirming transaction; every finding needs an
 * override with a reason, and the overrides are kept in the confirmed (immutable) version.
 */
export async function confirmPrescription(
  db: Database,
  actor: Actor,
  input: { entryId: string; baseRev: number; reason: string; overrides: CheckOverride[] },
): Promise<ConfirmPrescriptionResult> {
  try {
    const done = await db.transaction((tx) => confirmPrescriptionIn(tx, actor, input));
    return { status: 'confirmed', ...done };
  } catch (err) {
    if (err instanceof NeedsOverride) return { status: 'needs-override', findings: err.findings };
    throw err;
  }
}

/** A finding without a reason: thrown inside the transaction, so nothing of it is written. */
export class NeedsOverride extends Error {
  constructor(
    readonly entryId: string,
    readonly findings: Finding[],
  ) {
    super('needs-override');
  }
}

/**
 * confirmPrescription inside the caller's transaction; an open finding throws NeedsOverride (the caller's
 * transaction rolls back — with SOAP confirmed in the same one, neither is confirmed).
 */
export async function confirmPrescriptionIn(
  tx: Tx,
  actor: Actor,
  input: { entryId: string; baseRev: number; reason: string; overrides: CheckOverride[] },
) {
  return confirmEntryIn(tx, actor, input, 'prescription', async (tx, entry) => {
    if (!isPrescription(entry.draft)) throw new Error('prescription entry without prescription content');
    await checkChosenSubsidies(tx, actor.facilityId, entry.patientId, entry.draft.publicSubsidyIds);
    const named = withMasterNames(entry.draft, await factsFor(tx, drugCodesOf(entry.draft)));
    const findings = await findingsFor(tx, actor.facilityId, entry.patientId, entry.draft, entry.id);
    const open = unresolvedFindings(findings, input.overrides);
    if (open.length > 0) throw new NeedsOverride(entry.id, open);
    const kept = input.overrides.filter((o) => findings.some((f) => f.key === o.key));
    if (kept.length > 0) {
      await recordAccess(tx, actor, 'update', entry.patientId, {
        what: 'prescription-override',
        entryId: entry.id,
        overrides: kept.map((o) => ({ ...o, message: findings.find((f) => f.key === o.key)?.message })),
      });
    }
    // The confirmed version carries what was overridden and why.
    return { ...named, overrides: kept };
  });
}

/** Do: the patient's last confirmed prescription, to start today's from. */
export async function lastPrescription(db: Database, actor: Actor, patientId: string) {
  return db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, patientId);
    if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
    const [last] = await confirmedPrescriptions(tx, actor.facilityId, patientId, '1900-01-01');
    await recordAccess(tx, actor, 'read', patientId, {
      what: 'last-prescription',
      entryId: last?.entryId ?? null,
    });
    if (!last) return null;
    // Do copies the 公費 choice only where that 公費 is still current.
    const current = new Set((await currentPublicSubsidies(tx, actor.facilityId, patientId)).map((r) => r.id));
    const publicSubsidyIds = (last.content.publicSubsidyIds ?? []).filter((id) => current.has(id));
    return { date: last.date, content: { ...last.content, publicSubsidyIds, overrides: [] } };
  });
}

/** 処方箋 print view: the confirmed version with the patient, insurer, facility and doctor. */
export async function prescriptionSheet(db: Database, actor: Actor, entryId: string) {
  return db.transaction(async (tx) => {
    const entry = await getEntry(tx, actor.facilityId, entryId);
    if (entry?.kind !== 'prescription' || entry.currentVersion === 0)
      throw new TRPCError({ code: 'NOT_FOUND', message: '確定した処方が見つかりません' });
    const [version] = (
      await confirmedPrescriptions(tx, actor.facilityId, entry.patientId, '1900-01-01')
    ).filter((p) => p.entryId === entryId);
    const encounter = await getEncounter(tx, actor.facilityId, entry.encounterId);
    const patient = await getPatient(tx, actor.facilityId, entry.patientId);
    const doctor = await getUser(tx, actor.facilityId, entry.responsibleDoctor);
    const facility = await getFacility(tx, actor.facilityId);
    if (!version || !encounter || !patient || !facility)
      throw new TRPCError({ code: 'NOT_FOUND', message: '処方が見つかりません' });
    const content = version.content;
    // Printed names come from the master (also for versions confirmed before names were tied to codes).
    const facts = await drugFacts(tx, [...new Set(drugCodesOf(content))]);
    const coverageRow = await currentCoverage(tx, actor.facilityId, patient.id);
    const coverage = coverageRow ? toCoverage(coverageRow, patient.birthDate, encounter.encounterDate) : null;
    // Only the 公費 chosen for this prescription.
    const subsidies = await publicSubsidiesByIds(
      tx,
      actor.facilityId,
      patient.id,
      content.publicSubsidyIds ?? [],
    );
    await recordAccess(tx, actor, 'read', entry.patientId, { what: 'prescription-print', entryId });
    return {
      date: encounter.encounterDate,
      version: entry.currentVersion,
      content: withMasterNames(content, facts),
      patientId: patient.id,
      coverage: coverage && {
        insurerNumber: coverage.insurerNumber,
        symbol: coverage.symbol,
        number: coverage.number,
        branch: coverage.branch,
        relationship: coverage.relationship,
      },
      /** 患者負担割合 on the prescription date: coverage and age, as reception computes it. */
      burden: coverage
        ? { wari: coverage.wari, reason: coverage.wariReason }
        : { ...burdenRatio(patient.birthDate, encounter.encounterDate) },
      publicSubsidies: subsidies.map((r) => {
        const v = toPublicSubsidy(r);
        return { payerNumber: v.payerNumber, recipientNumber: v.recipientNumber, label: v.label };
      }),
      doctor: doctor?.displayName ?? '',
      facility: {
        name: facility.name,
        code: facility.institutionCode,
        address: facility.address ?? '',
        phone: facility.phone ?? '',
      },
    };
  });
}
