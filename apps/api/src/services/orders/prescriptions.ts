import {
  confirmedPrescriptions,
  type Database,
  drugFacts,
  getEncounter,
  getEntry,
  getFacility,
  getPatient,
  getUser,
  interactionRules,
  patientAllergies,
  type Tx,
} from '@karte/db';
import {
  type ActiveDrug,
  activeUntil,
  type CheckOverride,
  checkPrescription,
  type Finding,
  isPrescription,
  type PrescriptionContent,
  type Role,
  todayInJapan,
  unresolvedFindings,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { confirmEntry, saveEntryDraft } from '../chart/entries';

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
  const codes = content.rps.flatMap((r) => r.drugs.map((d) => d.code));
  const facts = await drugFacts(tx, [...new Set([...codes, ...activeCodes.map((a) => a.code)])]);
  const unknown = codes.filter((c) => !facts.has(c));
  if (unknown.length > 0) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `薬価基準にない薬剤コードです: ${unknown.join('、')}`,
    });
  }
  const active: ActiveDrug[] = activeCodes.flatMap((a) => {
    const f = facts.get(a.code);
    return f ? [{ ...f, since: a.since }] : [];
  });
  const allergies = (await patientAllergies(tx, facilityId, patientId)).filter((a) => a.status === 'active');
  return checkPrescription({ content, facts, active, allergies, rules: await interactionRules(tx) });
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

export function savePrescriptionDraft(
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
  return saveEntryDraft(db, actor, role, { ...input, kind: 'prescription' });
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
  let open: Finding[] = [];
  try {
    const done = await confirmEntry(db, actor, input, 'prescription', async (tx, entry) => {
      if (!isPrescription(entry.draft)) throw new Error('prescription entry without prescription content');
      const findings = await findingsFor(tx, actor.facilityId, entry.patientId, entry.draft, entry.id);
      open = unresolvedFindings(findings, input.overrides);
      if (open.length > 0) throw new NeedsOverride();
      const kept = input.overrides.filter((o) => findings.some((f) => f.key === o.key));
      if (kept.length > 0) {
        await recordAccess(tx, actor, 'update', entry.patientId, {
          what: 'prescription-override',
          entryId: entry.id,
          overrides: kept.map((o) => ({ ...o, message: findings.find((f) => f.key === o.key)?.message })),
        });
      }
      // The confirmed version carries what was overridden and why.
      return { ...entry.draft, overrides: kept };
    });
    return { status: 'confirmed', ...done };
  } catch (err) {
    if (err instanceof NeedsOverride) return { status: 'needs-override', findings: open };
    throw err;
  }
}
class NeedsOverride extends Error {}

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
    return last ? { date: last.date, content: { ...last.content, overrides: [] } } : null;
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
    await recordAccess(tx, actor, 'read', entry.patientId, { what: 'prescription-print', entryId });
    return {
      date: encounter.encounterDate,
      version: entry.currentVersion,
      content: version.content,
      patientId: patient.id,
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
