import type { PublicSubsidyInput, Tariff } from '@karte/billing';
import {
  billOfVisit,
  billVersionsOf,
  currentCoverage,
  currentPublicSubsidies,
  getPatient,
  getVisit,
  lastEarlierVisitDate,
  patientBillsBetween,
  publicSubsidiesByIds,
  type Tx,
  visitPrescriptions,
} from '@karte/db';
import type { BillDraft, BillTotals, EntryContent, PrescriptionContent } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import type { Actor } from '../audit';
import { toCoverage } from '../reception/coverage';
import { codes, type Proposal, type ProposalInput, propose, visitKindLines } from './propose';
import { billingSettingsOf } from './settings';
import { type MonthVisit, type PricingInput, subsidyInputOf } from './totals';

// Everything 会計 reads about a visit, in one place (open, preview and confirm share it).

/** What a confirmed version holds (bill_versions.content). */
export interface VersionContent {
  draft: BillDraft;
  totals: BillTotals;
  reasons: Record<string, string>;
  payerNumbers: string[];
  /** The applied 公費 as they were at confirm (an ended 公費 still prices later visits of the month). */
  subsidies?: PublicSubsidyInput[];
  /** 保険者番号 of the coverage billed ('' = none). */
  insurer?: string;
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
/** The first day of the month `months − 1` before the date's month (3月に1回 windows). */
const monthsBack = (iso: string, months: number) => {
  const d = new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - months, 1));
  return d.toISOString().slice(0, 10);
};

const checkInFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `tariff` is read before the transaction: on the embedded database a read outside it would wait for it. */
export async function loadVisit(tariff: Tariff, tx: Tx, actor: Actor, visitId: string) {
  const visit = await getVisit(tx, actor.facilityId, visitId);
  if (!visit) throw new TRPCError({ code: 'NOT_FOUND', message: '受付が見つかりません' });
  const patient = await getPatient(tx, actor.facilityId, visit.patientId);
  if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: '患者が見つかりません' });
  const date = visit.visitDate;
  const [settings, coverageRow, subsidies, bill, history, lastVisit, rxRows] = await Promise.all([
    billingSettingsOf(tx, actor.facilityId),
    currentCoverage(tx, actor.facilityId, patient.id),
    currentPublicSubsidies(tx, actor.facilityId, patient.id),
    billOfVisit(tx, actor.facilityId, visit.id),
    // Three calendar months back (医療情報取得加算 3月に1回), up to this day, other visits only.
    patientBillsBetween(tx, actor.facilityId, patient.id, monthsBack(date, 3), addDays(date, 1), visit.id),
    lastEarlierVisitDate(tx, actor.facilityId, patient.id, date),
    visitPrescriptions(tx, actor.facilityId, visit.id),
  ]);
  const prescriptions = rxRows.map((r) => r.content as EntryContent as PrescriptionContent);
  const versions = bill ? await billVersionsOf(tx, actor.facilityId, bill.id) : [];
  const coverage = coverageRow ? toCoverage(coverageRow, patient.birthDate, date) : null;

  const contentOf = (c: Record<string, unknown>) => c as unknown as VersionContent;
  // Versions confirmed before the 公費 snapshot: their 公費 by id, ended ones included.
  const unsnapshotted = history
    .map((h) => contentOf(h.content))
    .filter((c) => !c.subsidies)
    .flatMap((c) => c.draft?.publicSubsidyIds ?? []);
  const byId = await publicSubsidiesByIds(tx, actor.facilityId, patient.id, [...new Set(unsnapshotted)]);
  const earlierBills = history.map((h) => {
    const c = contentOf(h.content);
    return {
      visitDate: h.visitDate,
      points: h.points,
      totals: c.totals,
      payerNumbers: c.payerNumbers ?? [],
      subsidies:
        c.subsidies ??
        byId
          .filter((r) => (c.draft?.publicSubsidyIds ?? []).includes(r.id))
          .map((r) => subsidyInputOf(r, settings)),
      insurer: c.insurer,
      codes: (c.totals?.lines ?? []).filter((l) => l.status !== 'dropped').map((l) => l.code),
    };
  });
  const proposalInput: ProposalInput = {
    date,
    checkInTime: checkInFormat.format(visit.createdAt),
    birthDate: patient.birthDate,
    earlierVisitDates: lastVisit ? [lastVisit] : [],
    earlierBills: earlierBills.filter((b) => b.visitDate < date),
    prescriptions,
    eligibilityConfirmed: visit.eligibilityConfirmed === 1,
    settings,
    tariff,
  };
  const proposal: Proposal = propose(proposalInput);
  const month = date.slice(0, 7);
  const earlierInMonth: MonthVisit[] = earlierBills
    .filter((b) => b.visitDate.slice(0, 7) === month)
    .map((b) => ({
      visitDate: b.visitDate,
      points: b.points,
      patientYen: b.totals?.patientYen ?? 0,
      codes: (b.totals?.lines ?? [])
        .filter((l) => l.status !== 'dropped')
        .map((l) => ({ code: l.code, count: l.count })),
      payerNumbers: b.payerNumbers,
      subsidies: b.subsidies,
      ...(b.totals?.ratio !== undefined ? { ratio: b.totals.ratio } : {}),
      ...(b.insurer !== undefined ? { insurer: b.insurer } : {}),
    }));
  const current = versions.at(-1);
  const confirmed = current ? contentOf(current.content) : null;
  const proposedReasons = Object.fromEntries(proposal.lines.map((l) => [l.item.code, l.reason]));
  const pricing: PricingInput = {
    tariff,
    settings,
    birthDate: patient.birthDate,
    visitDate: date,
    coverage: coverage
      ? { wari: coverage.wari, kubun: coverage.limitCategory, insurerNumber: coverage.insurerNumber }
      : null,
    subsidies,
    earlier: earlierInMonth,
    reasons: { ...proposedReasons, ...(confirmed?.reasons ?? {}) },
  };
  return {
    visit,
    patient,
    coverage,
    subsidies,
    settings,
    tariff,
    bill,
    versions,
    confirmed,
    proposal,
    proposalInput,
    pricing,
  };
}
export type VisitContext = Awaited<ReturnType<typeof loadVisit>>;

/** The draft Karte proposes: the proposal's lines, the patient's current 公費, nothing removed. */
export function proposedDraft(ctx: VisitContext): BillDraft {
  return {
    visitKind: ctx.proposal.visitKind.kind,
    visitKindReason: '',
    items: ctx.proposal.lines.map((l) => l.item),
    removed: [],
    selfPay: [],
    publicSubsidyIds: ctx.subsidies.map((s) => s.id),
    elsewhere: [],
  };
}

/** Which kind of visit a draft's lines bill now (by its 初診料 / 再診料). */
function kindOfItems(draft: BillDraft): BillDraft['visitKind'] {
  const has = (code: string) => draft.items.some((i) => i.kind === 'procedure' && i.code === code);
  return has(codes.first) ? 'first' : has(codes.revisit) ? 'revisit' : 'none';
}

/**
 * A draft whose chosen 初診/再診 differs from the lines it carries gets the lines of the chosen kind: the base
 * item, its 加算 and the facility's add-ons of the other kind are replaced (the rest is kept as edited).
 */
export function draftForKind(ctx: VisitContext, draft: BillDraft): BillDraft {
  if (kindOfItems(draft) === draft.visitKind) return draft;
  const kindCodes = new Set(
    (['first', 'revisit'] as const).flatMap((k) =>
      visitKindLines(ctx.proposalInput, k).map((l) => l.item.code),
    ),
  );
  const chosen = visitKindLines(ctx.proposalInput, draft.visitKind);
  for (const l of chosen) ctx.pricing.reasons[l.item.code] ??= l.reason;
  const kept = draft.items.filter((i) => !(i.kind === 'procedure' && kindCodes.has(i.code)));
  return { ...draft, items: [...chosen.map((l) => l.item), ...kept] };
}
