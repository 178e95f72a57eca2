import type { Tariff } from '@karte/billing';
import {
  advanceBill,
  type BillPaymentRow,
  type Database,
  encounterForVisit,
  getBill,
  getFacility,
  getPatient,
  insertBill,
  insertBillVersion,
  insertPayment,
  insertPrint,
  lockBill,
  patientBalances,
  patientBillsBetween,
  paymentsOf,
  printedBefore,
  sealRows,
  setVisitState,
  type Tx,
  unapprovedInEncounter,
  usersByIds,
} from '@karte/db';
import {
  type BillDraft,
  type BillingView,
  type BillPrint,
  type BillTotals,
  type DailyReport,
  type PaymentInput,
  todayInJapan,
  visitStateLabels,
} from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { type Actor, recordAccess } from '../audit';
import { dailyReportOf } from './daily';
import { visitKindLines } from './propose';
import { searchBillItems as searchItemsOf } from './search';
import { currentTariff, masterNotice } from './tariff';
import { appliedSubsidies, payerLabel, priceDraft } from './totals';
import { draftForKind, loadVisit, proposedDraft, type VersionContent, type VisitContext } from './visit';

// 会計: proposal from the visit, preview, confirm (immutable versions), payments, prints, 日計表.

const notFound = (message: string) => new TRPCError({ code: 'NOT_FOUND', message });
const bad = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });
const conflict = (message: string) => new TRPCError({ code: 'CONFLICT', message });
const stale = () => conflict('他の端末で会計が更新されました。会計を開き直して確認してください');

const paidOf = (payments: Pick<BillPaymentRow, 'amountYen'>[]) =>
  payments.reduce((n, p) => n + p.amountYen, 0);

/** The month so far (earlier 会計 of the month and this one) and each capped 公費's use. */
function monthOf(ctx: VisitContext, totals: BillTotals, payers: string[]): BillingView['month'] {
  const earlier = ctx.pricing.earlier;
  const capUsed = ctx.subsidies
    .filter((s) => s.monthlyCap !== null || payers.includes(s.payerNumber))
    .map((s) => {
      const visits = [
        ...earlier.filter((e) => e.payerNumbers.includes(s.payerNumber)).map((e) => e.patientYen),
        ...(payers.includes(s.payerNumber) ? [totals.patientYen] : []),
      ];
      return { payerNumber: s.payerNumber, yen: visits.reduce((n, y) => n + y, 0), capYen: s.monthlyCap };
    });
  return {
    points: earlier.reduce((n, e) => n + e.points, 0) + totals.points,
    patientYen: earlier.reduce((n, e) => n + e.patientYen, 0) + totals.patientYen,
    publicCapUsed: capUsed,
  };
}

/** What the proposal could not do by itself (e.g. a 院内 drug missing from the tariff) stays in view while editing. */
function withProposalWarnings(ctx: VisitContext, totals: BillTotals): BillTotals {
  const extra = ctx.proposal.warnings.filter((w) => !totals.warnings.includes(w));
  return extra.length > 0 ? { ...totals, warnings: [...extra, ...totals.warnings] } : totals;
}

/**
 * A correction is not carried into the month's later 会計 (they keep what they charged): when a later bill of the
 * same month was confirmed before this correction, the screen says so, and the clerk corrects it if needed.
 */
async function withLaterBillsWarning(
  tx: Tx,
  actor: Actor,
  ctx: VisitContext,
  totals: BillTotals,
): Promise<BillTotals> {
  const current = ctx.versions.at(-1);
  if (!current || current.version < 2) return totals;
  const date = ctx.visit.visitDate;
  const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 1));
  const later = (
    await patientBillsBetween(
      tx,
      actor.facilityId,
      ctx.patient.id,
      date,
      next.toISOString().slice(0, 10),
      ctx.visit.id,
    )
  ).filter((b) => b.visitDate > date && b.versionAt < current.createdAt);
  if (later.length === 0) return totals;
  const days = later.map((b) => `${Number(b.visitDate.slice(5, 7))}/${Number(b.visitDate.slice(8, 10))}`);
  return {
    ...totals,
    warnings: [
      ...totals.warnings,
      `同じ月の後の会計（${days.join('、')}）の負担額に影響する可能性があります。必要なら訂正してください`,
    ],
  };
}

/** The 会計 screen's data for a visit, read inside `tx` (no audit: callers record what they did). */
async function viewOf(tariff: Tariff, tx: Tx, actor: Actor, visitId: string): Promise<BillingView> {
  const ctx = await loadVisit(tariff, tx, actor, visitId);
  const { visit, patient, bill, versions, confirmed } = ctx;
  const draft = confirmed?.draft ?? proposedDraft(ctx);
  const priced = confirmed?.totals ?? withProposalWarnings(ctx, priceDraft(ctx.pricing, draft));
  const totals = await withLaterBillsWarning(tx, actor, ctx, priced);
  const [payments, balances] = await Promise.all([
    bill ? paymentsOf(tx, actor.facilityId, bill.id) : Promise.resolve([]),
    patientBalances(tx, actor.facilityId, patient.id),
  ]);
  const paidYen = paidOf(payments);
  const current = versions.at(-1);
  // Who confirmed and who took the money, by name (the history shows people, not ids).
  const ids = [...versions.map((v) => v.createdBy), ...payments.map((p) => p.receivedBy)].filter(
    (id): id is string => id !== null,
  );
  const names = new Map(
    (await usersByIds(tx, actor.facilityId, [...new Set(ids)])).map((u) => [u.id, u.name]),
  );
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? '') : '');
  const payers = confirmed?.payerNumbers ?? ctx.subsidies.map((s) => s.payerNumber);
  return {
    visit: {
      id: visit.id,
      visitDate: visit.visitDate,
      state: visit.state,
      checkedInAt: visit.createdAt.toISOString(),
      department: visit.department,
      receptionNumber: visit.receptionNumber,
    },
    patient: {
      id: patient.id,
      patientNumber: patient.patientNumber,
      name: `${patient.familyName} ${patient.givenName}`,
      kana: `${patient.familyNameKana} ${patient.givenNameKana}`,
      birthDate: patient.birthDate,
      sex: patient.sex,
    },
    coverage: ctx.coverage
      ? {
          label: `${ctx.coverage.kind} ${ctx.coverage.wari}割（${ctx.coverage.wariReason}）`,
          insurerNumber: ctx.coverage.insurerNumber,
          kubun: ctx.coverage.limitCategory,
        }
      : null,
    publicSubsidies: ctx.subsidies.map((s) => ({
      id: s.id,
      payerNumber: s.payerNumber,
      label: payerLabel(s.payerNumber, ctx.settings),
      monthlyCapYen: s.monthlyCap,
    })),
    bill:
      bill && current
        ? {
            id: bill.id,
            version: current.version,
            settled: paidYen >= current.chargeYen,
            createdAt: current.createdAt.toISOString(),
            createdBy: nameOf(current.createdBy),
            reason: current.reason,
          }
        : null,
    draft,
    visitKindProposal: ctx.proposal.visitKind,
    totals,
    month: monthOf(ctx, totals, payers),
    payments: payments.map((p) => ({
      id: p.id,
      amountYen: p.amountYen,
      method: p.method,
      at: p.createdAt.toISOString(),
      by: nameOf(p.receivedBy),
    })),
    paidYen,
    unpaidYen: Math.max(0, totals.chargeYen - paidYen),
    otherUnpaidYen: balances
      .filter((b) => b.billId !== bill?.id)
      .reduce((n, b) => n + Math.max(0, b.chargeYen - Number(b.paidYen)), 0),
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      createdBy: nameOf(v.createdBy),
      reason: v.reason,
      chargeYen: v.chargeYen,
    })),
    masterNotice: masterNotice(ctx.tariff, visit.visitDate),
  };
}

export async function openBill(db: Database, actor: Actor, visitId: string): Promise<BillingView> {
  const tariff = await currentTariff(db);
  return db.transaction(async (tx) => {
    const view = await viewOf(tariff, tx, actor, visitId);
    await recordAccess(tx, actor, 'read', view.patient.id, { what: 'bill', visitId, billId: view.bill?.id });
    return view;
  });
}

export async function previewBill(
  db: Database,
  actor: Actor,
  visitId: string,
  draft: BillDraft,
): Promise<BillTotals> {
  const tariff = await currentTariff(db);
  return db.transaction(async (tx) => {
    const ctx = await loadVisit(tariff, tx, actor, visitId);
    const totals = withProposalWarnings(ctx, priceDraft(ctx.pricing, draftForKind(ctx, draft)));
    await recordAccess(tx, actor, 'read', ctx.patient.id, { what: 'bill-preview', visitId });
    return totals;
  });
}

/**
 * 入金 on a bill: a payment up to the open balance, or — when a correction left the patient overpaid — a
 * 返金 up to the overpaid amount (stored negative). Returns what is now paid.
 */
async function takePayment(
  tx: Tx,
  actor: Actor,
  bill: { id: string; patientId: string },
  chargeYen: number,
  paidYen: number,
  payment: PaymentInput,
): Promise<number> {
  if (payment.amountYen === 0) return paidYen;
  const balance = chargeYen - paidYen;
  if (balance === 0) throw bad('この会計に未収・返金はありません');
  if (balance > 0 && payment.amountYen > balance) {
    throw bad(`入金額（${payment.amountYen}円）が未収額（${balance}円）を超えています`);
  }
  if (balance < 0 && payment.amountYen > -balance) {
    throw bad(`返金額（${payment.amountYen}円）が過入金額（${-balance}円）を超えています`);
  }
  if (payment.tenderedYen !== undefined && balance > 0 && payment.tenderedYen < payment.amountYen) {
    throw bad('お預かり金額が入金額より少なくなっています');
  }
  const amount = balance > 0 ? payment.amountYen : -payment.amountYen;
  await insertPayment(tx, actor.facilityId, {
    billId: bill.id,
    patientId: bill.patientId,
    amountYen: amount,
    method: payment.method,
    tenderedYen: payment.tenderedYen ?? null,
    businessDate: todayInJapan(),
    receivedBy: actor.userId,
  });
  return paidYen + amount;
}

/** 会計済 → 完了, when the visit still waits at 会計 and no 代行入力 waits for its doctor. */
async function finishVisit(tx: Tx, actor: Actor, ctx: VisitContext, strict: boolean) {
  const { visit } = ctx;
  if (visit.state !== 'billing') return;
  const encounter = await encounterForVisit(tx, actor.facilityId, visit.id);
  const pending = encounter ? await unapprovedInEncounter(tx, actor.facilityId, encounter.id) : 0;
  if (pending > 0) {
    if (!strict) return;
    throw conflict(`医師の承認待ちの代行入力が${pending}件あるため、会計を完了できません`);
  }
  const moved = await setVisitState(tx, actor.facilityId, actor.userId, visit.id, visit.version, 'done');
  if (!moved) throw conflict('他の端末で受付の状態が変わりました。会計を開き直してください');
  await recordAccess(tx, actor, 'update', visit.patientId, {
    what: 'visit-state',
    visitId: visit.id,
    from: visit.state,
    to: 'done',
  });
}

/**
 * Every proposed procedure the confirmed lines no longer carry must be among the removed lines with a reason
 * (the 初診/再診 lines a switch replaced are explained by the switch's own reason).
 */
function requireRemovalReasons(ctx: VisitContext, sent: BillDraft, draft: BillDraft) {
  const switched =
    draft.visitKind !== ctx.proposal.visitKind.kind
      ? new Set(
          (['first', 'revisit'] as const).flatMap((k) =>
            visitKindLines(ctx.proposalInput, k).map((l) => l.item.code),
          ),
        )
      : new Set<string>();
  const kept = new Set(draft.items.map((i) => i.code));
  for (const l of ctx.proposal.lines) {
    if (l.item.kind !== 'procedure' || kept.has(l.item.code) || switched.has(l.item.code)) continue;
    if (sent.removed.some((r) => r.code === l.item.code && r.reason.trim())) continue;
    const name = ctx.tariff.procedure(l.item.code, ctx.visit.visitDate)?.name ?? l.item.code;
    throw bad(`提案された行（${name}）を削除した理由を入力してください`);
  }
}

export async function confirmBill(
  db: Database,
  actor: Actor,
  input: {
    visitId: string;
    expectedVersion: number;
    draft: BillDraft;
    reason: string;
    payment?: PaymentInput;
  },
): Promise<BillingView> {
  const tariff = await currentTariff(db);
  return db.transaction(async (tx) => {
    const ctx = await loadVisit(tariff, tx, actor, input.visitId);
    const { visit, bill } = ctx;
    const correction = bill !== null;
    if (!(visit.state === 'billing' || (correction && visit.state === 'done'))) {
      throw conflict(`この受付は会計待ちではありません（現在: ${visitStateLabels[visit.state]}）`);
    }
    if (input.expectedVersion !== (bill?.currentVersion ?? 0)) throw stale();
    const reason = input.reason.trim();
    if (correction && !reason) throw bad('確定済みの会計を訂正するには理由を入力してください');
    const removedWithoutReason = input.draft.removed.find((r) => !r.reason.trim());
    if (removedWithoutReason) throw bad(`削除した ${removedWithoutReason.code} の理由を入力してください`);

    if (input.draft.visitKind !== ctx.proposal.visitKind.kind && !input.draft.visitKindReason.trim()) {
      throw bad('初診・再診を提案から変えた理由を入力してください');
    }
    const draft = draftForKind(ctx, input.draft);
    requireRemovalReasons(ctx, input.draft, draft);
    const totals = priceDraft(ctx.pricing, draft);
    const payerNumbers = input.draft.publicSubsidyIds.map(
      (id) => ctx.subsidies.find((s) => s.id === id)?.payerNumber ?? '',
    );
    let billId: string;
    let version: number;
    if (bill) {
      await lockBill(tx, actor.facilityId, bill.id);
      const moved = await advanceBill(tx, actor.facilityId, bill.id, input.expectedVersion);
      if (!moved) throw stale();
      billId = bill.id;
      version = moved.currentVersion;
    } else {
      const created = await insertBill(tx, actor.facilityId, {
        patientId: visit.patientId,
        visitId: visit.id,
        visitDate: visit.visitDate,
      });
      if (!created) throw stale();
      billId = created.id;
      version = 1;
    }
    const content: VersionContent = {
      draft,
      totals,
      reasons: {
        ...Object.fromEntries(ctx.proposal.lines.map((l) => [l.item.code, l.reason])),
        ...ctx.pricing.reasons,
      },
      payerNumbers,
      subsidies: appliedSubsidies(ctx.pricing, draft),
      insurer: ctx.coverage?.insurerNumber ?? '',
    };
    await insertBillVersion(tx, actor.facilityId, {
      billId,
      version,
      content: content as unknown as Record<string, unknown>,
      points: totals.points,
      chargeYen: totals.chargeYen,
      reason: version === 1 ? '' : reason,
      createdBy: actor.userId,
    });
    let paid = paidOf(await paymentsOf(tx, actor.facilityId, billId));
    if (input.payment) {
      paid = await takePayment(
        tx,
        actor,
        { id: billId, patientId: visit.patientId },
        totals.chargeYen,
        paid,
        input.payment,
      );
    }
    await recordAccess(tx, actor, correction ? 'update' : 'create', visit.patientId, {
      what: 'bill',
      visitId: visit.id,
      billId,
      version,
      chargeYen: totals.chargeYen,
      paidYen: paid,
      ...(correction ? { reason } : {}),
      // The confirmed version, hashed into the chain (checked by the audit verifier).
      sealed: await sealRows(tx, actor.facilityId, 'bill_versions', [`${billId}:${version}`]),
    });
    if (paid >= totals.chargeYen) await finishVisit(tx, actor, ctx, true);
    return viewOf(tariff, tx, actor, visit.id);
  });
}

export async function payBill(
  db: Database,
  actor: Actor,
  input: { billId: string; payment: PaymentInput },
): Promise<BillingView> {
  const tariff = await currentTariff(db);
  return db.transaction(async (tx) => {
    const bill = await getBill(tx, actor.facilityId, input.billId);
    if (!bill) throw notFound('会計が見つかりません');
    await lockBill(tx, actor.facilityId, bill.id);
    const ctx = await loadVisit(tariff, tx, actor, bill.visitId);
    const charge = ctx.versions.at(-1)?.chargeYen ?? 0;
    const before = paidOf(await paymentsOf(tx, actor.facilityId, bill.id));
    if (input.payment.amountYen === 0) throw bad('金額を入力してください');
    const paid = await takePayment(tx, actor, bill, charge, before, input.payment);
    await recordAccess(tx, actor, 'update', bill.patientId, {
      what: 'bill-payment',
      billId: bill.id,
      amountYen: paid - before,
    });
    if (paid >= charge) await finishVisit(tx, actor, ctx, false);
    return viewOf(tariff, tx, actor, bill.visitId);
  });
}

export async function printBill(
  db: Database,
  actor: Actor,
  input: { billId: string; version?: number; kind: 'receipt' | 'statement'; issue?: boolean },
): Promise<BillPrint> {
  const tariff = await currentTariff(db);
  return db.transaction(async (tx) => {
    const bill = await getBill(tx, actor.facilityId, input.billId);
    if (!bill) throw notFound('会計が見つかりません');
    const version = input.version ?? bill.currentVersion;
    const ctx = await loadVisit(tariff, tx, actor, bill.visitId);
    const row = ctx.versions.find((v) => v.version === version);
    if (!row) throw notFound(`会計の第${version}版がありません`);
    const [facility, patient, payments] = await Promise.all([
      getFacility(tx, actor.facilityId),
      getPatient(tx, actor.facilityId, bill.patientId),
      paymentsOf(tx, actor.facilityId, bill.id),
    ]);
    if (!facility || !patient) throw notFound('会計が見つかりません');
    const which = { billId: bill.id, version, kind: input.kind };
    // A preview (印刷 not pressed) records nothing, so the first paper copy is not a 再発行.
    let reissue: boolean;
    let issuedAt: Date;
    if (input.issue) {
      const done = await insertPrint(tx, actor.facilityId, { ...which, printedBy: actor.userId });
      reissue = done.reissue;
      issuedAt = done.row.createdAt;
      await recordAccess(tx, actor, 'print', bill.patientId, {
        what: input.kind === 'receipt' ? 'bill-receipt' : 'bill-statement',
        billId: bill.id,
        version,
        reissue,
      });
    } else {
      reissue = await printedBefore(tx, actor.facilityId, which);
      issuedAt = new Date();
      await recordAccess(tx, actor, 'read', bill.patientId, {
        what: 'bill-print-preview',
        billId: bill.id,
        version,
      });
    }
    const totals = (row.content as unknown as VersionContent).totals;
    const paidYen = paidOf(payments);
    const previous = ctx.versions.find((v) => v.version === version - 1);
    return {
      kind: input.kind,
      reissue,
      correction: previous
        ? {
            previousVersion: previous.version,
            previousChargeYen: previous.chargeYen,
            differenceYen: totals.chargeYen - previous.chargeYen,
          }
        : null,
      issuedAt: issuedAt.toISOString(),
      facility: {
        name: facility.name,
        address: facility.address,
        phone: facility.phone,
        institutionCode: facility.institutionCode,
      },
      patient: {
        patientNumber: patient.patientNumber,
        name: `${patient.familyName} ${patient.givenName}`,
        kana: `${patient.familyNameKana} ${patient.givenNameKana}`,
        birthDate: patient.birthDate,
        sex: patient.sex,
      },
      visitDate: bill.visitDate,
      billId: bill.id,
      version,
      ratio: totals.ratio,
      totals,
      paidYen,
      unpaidYen: Math.max(0, totals.chargeYen - paidYen),
    };
  });
}

export async function unpaidOf(
  db: Database,
  actor: Actor,
  patientId: string,
): Promise<{
  totalYen: number;
  bills: { billId: string; visitId: string; visitDate: string; unpaidYen: number }[];
}> {
  return db.transaction(async (tx) => {
    const patient = await getPatient(tx, actor.facilityId, patientId);
    if (!patient) throw notFound('患者が見つかりません');
    const bills = (await patientBalances(tx, actor.facilityId, patientId))
      .map((b) => ({
        billId: b.billId,
        visitId: b.visitId,
        visitDate: b.visitDate,
        unpaidYen: b.chargeYen - Number(b.paidYen),
      }))
      .filter((b) => b.unpaidYen > 0);
    await recordAccess(tx, actor, 'read', patientId, { what: 'bill-unpaid' });
    return { totalYen: bills.reduce((n, b) => n + b.unpaidYen, 0), bills };
  });
}

export async function dailyReport(db: Database, actor: Actor, date: string): Promise<DailyReport> {
  return db.transaction(async (tx) => {
    const report = await dailyReportOf(tx, actor.facilityId, date);
    await recordAccess(tx, actor, 'read', null, {
      what: 'bill-daily',
      date,
      billIds: report.rows.map((r) => r.billId),
    });
    return report;
  });
}

export interface TariffHit {
  kind: 'procedure' | 'drug' | 'material' | 'selfPay';
  code: string;
  name: string;
  points: number | null; // 診療行為
  priceYen: number | null; // 薬価, 材料価格, 自費
  unit: string;
}

export async function searchBillItems(
  db: Database,
  actor: Actor,
  input: { q: string; date: string; kinds?: TariffHit['kind'][] },
): Promise<TariffHit[]> {
  return searchItemsOf(db, actor, input); // in ./search
}
