/**
 * 見読性: the day's offline export of a facility — who is expected today (the reception board) and who was seen
 * recently, each with what a clinician needs when Karte is down. One transaction reads them and audits every
 * patient as a read ('offline-export'); the page is encrypted with the facility's key and written to the export
 * directory. Made by the schedule (jobs/offlineExport.ts) and on demand from the admin page.
 */
import {
  allFacilities,
  appendAudit,
  appendAuditMany,
  appointmentList,
  confirmedPrescriptions,
  currentCoverage,
  currentPublicSubsidies,
  type Database,
  getFacility,
  labTable,
  latestInfections,
  offlineExportPatientIds,
  patientAllergies,
  patientProblems,
  patientsOfFacility,
  recentSoapNotes,
  type Tx,
} from '@karte/db';
import {
  activeUntil,
  ageOn,
  allergyCategoryLabels,
  allergyStatusLabels,
  appointmentStateLabels,
  criticalityLabels,
  doseUnitLabel,
  durationText,
  hhmmOf,
  infectionLabels,
  type OfflinePassphraseInput,
  outcomeLabels,
  sexLabels,
  todayInJapan,
  toWareki,
  visitStateLabels,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Actor } from '../audit';
import { isCommonPassword } from '../auth/commonPasswords';
import { deriveOfflineKey, encryptOffline } from './crypto';
import {
  buildOfflineHtml,
  type OfflineAppointment,
  type OfflineDocument,
  type OfflineHeader,
  type OfflinePatient,
} from './html';
import {
  listExports,
  loadKey,
  type OfflineDirs,
  type OfflineFileMeta,
  pruneExports,
  readExport,
  saveKey,
  writeExport,
} from './store';

export interface OfflineConfig extends OfflineDirs {
  /** Hours (Asia/Tokyo) at which the schedule makes the day's file (the later ones refresh it). */
  hours: number[];
  keepDays: number;
  recentDays: number;
}

/** Who asked: a user from the admin page, or the schedule (no user). */
export interface ExportActor {
  facilityId: string;
  userId: string | null;
  procedure: string;
}

const NOTES = 3;
const PRESCRIPTIONS = 5;
const PRESCRIPTION_DAYS = 180;
const LAB_DATES = 5;
/** 予約 in the file: today and the next days (a week ahead, for the phone calls of a day without Karte). */
const APPOINTMENT_DAYS = 8;

function addDays(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 2026-12-01 09:00 (JST) */
export function tokyoTime(at: Date) {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return `${f.format(at)} (JST)`;
}

/** One patient's sheet, read within the facility. */
async function patientSheet(
  tx: Tx,
  facilityId: string,
  p: Awaited<ReturnType<typeof patientsOfFacility>>[number],
  today: string,
  place: { group: 'expected' | 'recent'; reception: string; lastSeen: string },
): Promise<OfflinePatient> {
  const [coverage, subsidies, problems, allergies, infections, notes, prescriptions, labs] = [
    await currentCoverage(tx, facilityId, p.id),
    await currentPublicSubsidies(tx, facilityId, p.id),
    await patientProblems(tx, facilityId, p.id),
    await patientAllergies(tx, facilityId, p.id),
    await latestInfections(tx, facilityId, p.id),
    await recentSoapNotes(tx, facilityId, p.id, NOTES),
    await confirmedPrescriptions(tx, facilityId, p.id, addDays(today, -PRESCRIPTION_DAYS)),
    await labTable(tx, facilityId, p.id, LAB_DATES),
  ];
  const insurance: string[] = [];
  if (coverage) {
    insurance.push(
      [
        `保険者番号 ${coverage.insurerNumber}`,
        coverage.symbol && `記号 ${coverage.symbol}`,
        `番号 ${coverage.number}`,
        coverage.branch && `枝番 ${coverage.branch}`,
        coverage.relationship === 'self' ? '本人' : '家族',
        coverage.wariOverride ? `負担${coverage.wariOverride}割` : '',
        coverage.validUntil && `有効期限 ${coverage.validUntil}`,
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  for (const s of subsidies)
    insurance.push(
      [
        `公費 ${s.payerNumber}`,
        s.recipientNumber && `受給者 ${s.recipientNumber}`,
        s.validUntil && `〜${s.validUntil}`,
      ]
        .filter(Boolean)
        .join(' '),
    );
  const labRows = new Map<string, { name: string; unit: string; values: string[] }>();
  for (const { result } of labs.rows) {
    const row = labRows.get(result.code) ?? {
      name: result.name,
      unit: result.unit,
      values: labs.dates.map(() => ''),
    };
    labRows.set(result.code, row);
    const i = labs.dates.indexOf(result.collectedOn);
    if (i >= 0) row.values[i] = `${result.value}${result.flag ? ` ${result.flag}` : ''}`;
  }
  return {
    ...place,
    number: p.patientNumber,
    name: `${p.familyName} ${p.givenName}`,
    kana: `${p.familyNameKana} ${p.givenNameKana}`,
    sex: sexLabels[p.sex],
    birth: `${p.birthDate}（${toWareki(p.birthDate)}）${ageOn(p.birthDate, today)}歳`,
    phone: p.phone,
    address: p.address,
    insurance,
    problems: problems
      .filter((x) => x.outcome === '')
      .map((x) => ({
        name: `${x.main ? '【主】' : ''}${x.prefix}${x.name}${x.suffix}${x.suspected ? '（疑い）' : ''}`,
        onset: x.onsetDate,
        status: outcomeLabels[x.outcome],
      })),
    allergies: allergies.map((a) => ({
      category: allergyCategoryLabels[a.category],
      substance: a.substance,
      criticality: criticalityLabels[a.criticality],
      reaction: a.reaction,
      status: allergyStatusLabels[a.status],
    })),
    infections: infections.map((i) => ({
      kind: infectionLabels[i.kind],
      result: { positive: '陽性', negative: '陰性', unknown: '不明' }[i.result],
      testedOn: i.testedOn ?? '',
    })),
    notes: notes.map((n) => ({
      date: n.date,
      doctor: n.doctor ?? '',
      s: n.content.s,
      o: n.content.o,
      a: n.content.a,
      p: n.content.p,
    })),
    prescriptions: prescriptions.slice(0, PRESCRIPTIONS).map((rx) => ({
      date: rx.date,
      place: rx.content.place === 'inside' ? '院内' : '院外',
      lines: rx.content.rps.flatMap((rp, i) => [
        `Rp${i + 1} ${rp.usageText} ${durationText(rp)}${activeUntil(rp, rx.date) >= today ? '（服用中）' : ''}`,
        ...rp.drugs.map((d) => `  ${d.name} ${d.dose}${doseUnitLabel(d.unit)}`),
      ]),
    })),
    labs: { dates: labs.dates, rows: [...labRows.values()] },
  };
}

const running = new Map<string, { done: number; total: number; startedAt: string }>();

/** The export being made for a facility, if one is (the admin page's progress). */
export const exportProgress = (facilityId: string) => running.get(facilityId) ?? null;

/**
 * Makes (or remakes) the facility's file for `now`'s day. Null when the facility has no passphrase yet.
 * The reads, the audit of every patient, and the file write share one transaction: no file without its audit.
 */
export async function makeOfflineExport(
  db: Database,
  config: OfflineConfig,
  by: ExportActor,
  trigger: OfflineFileMeta['trigger'],
  now = new Date(),
): Promise<OfflineFileMeta | null> {
  const key = await loadKey(config, by.facilityId);
  if (!key) return null;
  if (running.has(by.facilityId)) return null;
  const progress = { done: 0, total: 0, startedAt: now.toISOString() };
  running.set(by.facilityId, progress);
  try {
    const today = todayInJapan(now);
    const meta = await db.transaction(async (tx) => {
      const facility = await getFacility(tx, by.facilityId);
      if (!facility) throw new Error('facility not found');
      const who = await offlineExportPatientIds(tx, by.facilityId, today, addDays(today, -config.recentDays));
      const ids = [...who.expected.map((e) => e.patientId), ...who.recent.map((r) => r.patientId)];
      progress.total = ids.length;
      const rows = new Map((await patientsOfFacility(tx, by.facilityId, ids)).map((p) => [p.id, p]));
      const sheets: OfflinePatient[] = [];
      const place = new Map<string, { group: 'expected' | 'recent'; reception: string; lastSeen: string }>();
      for (const e of who.expected)
        place.set(e.patientId, {
          group: 'expected',
          reception: `受付${e.receptionNumber}番・${visitStateLabels[e.state as keyof typeof visitStateLabels] ?? e.state}`,
          lastSeen: who.lastSeen.get(e.patientId) ?? today,
        });
      for (const r of who.recent)
        place.set(r.patientId, { group: 'recent', reception: '', lastSeen: r.lastSeen });
      for (const id of ids) {
        const p = rows.get(id);
        const at = place.get(id);
        if (p && at) sheets.push(await patientSheet(tx, by.facilityId, p, today, at));
        progress.done++;
      }
      const appointmentRows = await appointmentList(tx, by.facilityId, {
        from: today,
        to: addDays(today, APPOINTMENT_DAYS - 1),
      });
      const appointments: OfflineAppointment[] = appointmentRows
        .filter((a) => a.state !== 'cancelled')
        .map((a) => ({
          date: a.date,
          time: hhmmOf(a.startMinute),
          number: a.patientNumber,
          name: `${a.familyName} ${a.givenName}`,
          kana: `${a.familyNameKana} ${a.givenNameKana}`,
          department: a.department,
          doctor: a.doctorName ?? '指定なし',
          state: appointmentStateLabels[a.state],
        }));
      const generatedAt = tokyoTime(now);
      const header: OfflineHeader = {
        facility: facility.name,
        institutionCode: facility.institutionCode,
        date: today,
        generatedAt,
        patients: sheets.length,
      };
      const doc: OfflineDocument = {
        facility: facility.name,
        date: today,
        generatedAt,
        recentDays: config.recentDays,
        patients: sheets,
        appointments,
        appointmentDays: APPOINTMENT_DAYS,
      };
      const envelope = encryptOffline(key, JSON.stringify(doc), { ...header });
      const { html, hash } = buildOfflineHtml(header, envelope);
      const meta: OfflineFileMeta = {
        date: today,
        generatedAt: now.toISOString(),
        patients: sheets.length,
        expected: who.expected.length,
        recent: who.recent.length,
        sha256: hash,
        bytes: Buffer.byteLength(html),
        trigger,
      };
      const base = {
        facilityId: by.facilityId,
        userId: by.userId,
        procedure: by.procedure,
        outcome: 'ok' as const,
      };
      // Every patient in the file is audited: the sheets' and the 予約 list's.
      const audited = [
        ...new Set([
          ...ids,
          ...appointmentRows.filter((a) => a.state !== 'cancelled').map((a) => a.patientId),
        ]),
      ];
      await appendAuditMany(
        tx,
        audited.map((patientId) => ({
          ...base,
          patientId,
          action: 'offline-export',
          detail: { date: today, trigger },
        })),
      );
      await appendAudit(tx, {
        ...base,
        patientId: null,
        action: 'offline-export-file',
        detail: { date: today, trigger, patients: sheets.length, sha256: hash },
      });
      await writeExport(config, by.facilityId, html, meta);
      return meta;
    });
    await pruneExports(config, by.facilityId, config.keepDays);
    return meta;
  } finally {
    running.delete(by.facilityId);
  }
}

/** The scheduled run: every facility that has set a passphrase. */
export async function exportAllFacilities(db: Database, config: OfflineConfig, now = new Date()) {
  const made: { facilityId: string; meta: OfflineFileMeta }[] = [];
  for (const f of await allFacilities(db)) {
    const meta = await makeOfflineExport(
      db,
      config,
      { facilityId: f.id, userId: null, procedure: 'job.offlineExport' },
      'schedule',
      now,
    );
    if (meta) made.push({ facilityId: f.id, meta });
  }
  return made;
}

export function offlineConfigOf(config: Config): OfflineConfig {
  return config.offline;
}

/** The admin page: whether a passphrase is set, the schedule, the files, an export under way. */
export async function offlineStatus(config: OfflineConfig, actor: Actor) {
  const key = await loadKey(config, actor.facilityId);
  // Not audited: no patient data, and the page polls it while a file is being made.
  const files = await listExports(config, actor.facilityId);
  return {
    passphraseSet: key !== null,
    passphraseSetAt: key?.setAt ?? null,
    schedule: { hours: config.hours, keepDays: config.keepDays, recentDays: config.recentDays },
    files,
    progress: exportProgress(actor.facilityId),
  };
}

function fieldError(field: string, message: string): never {
  const cause = z
    .object({ [field]: z.string().refine(() => false, message) })
    .safeParse({ [field]: '' }).error;
  throw new TRPCError({ code: 'BAD_REQUEST', message, cause });
}

/** Sets or changes the passphrase: the derived key goes to the key file, the passphrase is forgotten. */
export async function setOfflinePassphrase(
  db: Database,
  config: OfflineConfig,
  actor: Actor,
  input: OfflinePassphraseInput,
) {
  if (isCommonPassword(input.passphrase.normalize('NFKC').toLowerCase()))
    fieldError('passphrase', 'よく使われていて推測されやすいパスフレーズです。別のものにしてください');
  const key = await deriveOfflineKey(input.passphrase);
  const setAt = new Date();
  const replaced = (await loadKey(config, actor.facilityId)) !== null;
  await db.transaction(async (tx) => {
    await appendAudit(tx, {
      facilityId: actor.facilityId,
      userId: actor.userId,
      patientId: null,
      action: 'offline-passphrase',
      procedure: actor.procedure,
      outcome: 'ok',
      detail: { replaced, iterations: key.iterations },
    });
    await saveKey(config, actor.facilityId, key, setAt);
  });
  return { passphraseSetAt: setAt.toISOString() };
}

/** 「今すぐ作成」 */
export async function exportNow(db: Database, config: OfflineConfig, actor: Actor) {
  if (!(await loadKey(config, actor.facilityId)))
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: '先にパスフレーズを設定してください' });
  if (exportProgress(actor.facilityId))
    throw new TRPCError({ code: 'CONFLICT', message: '作成中です。しばらくお待ちください' });
  const meta = await makeOfflineExport(db, config, actor, 'manual');
  if (!meta) throw new TRPCError({ code: 'CONFLICT', message: '作成中です。しばらくお待ちください' });
  return meta;
}

/** The file itself, for the administrator to keep on a PC or a USB stick (encrypted as it is). */
export async function downloadExport(db: Database, config: OfflineConfig, actor: Actor, date: string) {
  const html = await readExport(config, actor.facilityId, date);
  if (html === null) throw new TRPCError({ code: 'NOT_FOUND', message: 'ファイルが見つかりません' });
  await appendAudit(db, {
    facilityId: actor.facilityId,
    userId: actor.userId,
    patientId: null,
    action: 'offline-download',
    procedure: actor.procedure,
    outcome: 'ok',
    detail: { date },
  });
  return { fileName: `karte-offline-${date}.html`, html };
}
