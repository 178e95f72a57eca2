import type { Database } from '@karte/db';
import type { BillDraft, BillingView, BillPrint, BillTotals, DailyReport, PaymentInput } from '@karte/domain';
import type { Actor } from '../audit';
import { searchBillItems as searchItemsOf } from './search';

// 会計: proposal from the visit, preview, confirm (immutable versions), payments, prints, 日計表.

const todo = (what: string): never => {
  throw new Error(`${what}: not implemented yet`);
};

export async function openBill(_db: Database, _actor: Actor, _visitId: string): Promise<BillingView> {
  return todo('openBill');
}

export async function previewBill(
  _db: Database,
  _actor: Actor,
  _visitId: string,
  _draft: BillDraft,
): Promise<BillTotals> {
  return todo('previewBill');
}

export async function confirmBill(
  _db: Database,
  _actor: Actor,
  _input: {
    visitId: string;
    expectedVersion: number;
    draft: BillDraft;
    reason: string;
    payment?: PaymentInput;
  },
): Promise<BillingView> {
  return todo('confirmBill');
}

export async function payBill(
  _db: Database,
  _actor: Actor,
  _input: { billId: string; payment: PaymentInput },
): Promise<BillingView> {
  return todo('payBill');
}

export async function printBill(
  _db: Database,
  _actor: Actor,
  _input: { billId: string; version?: number; kind: 'receipt' | 'statement' },
): Promise<BillPrint> {
  return todo('printBill');
}

export async function unpaidOf(
  _db: Database,
  _actor: Actor,
  _patientId: string,
): Promise<{ totalYen: number; bills: { billId: string; visitDate: string; unpaidYen: number }[] }> {
  return todo('unpaidOf');
}

export async function dailyReport(_db: Database, _actor: Actor, _date: string): Promise<DailyReport> {
  return todo('dailyReport');
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
  _db: Database,
  _actor: Actor,
  _input: { q: string; date: string; kinds?: TariffHit['kind'][] },
): Promise<TariffHit[]> {
  return searchItemsOf(_db, _actor, _input); // in ./search
}
