import { dayBills, getPatientSummaries, paymentsOfBillsUntil, type Tx } from '@karte/db';
import { type DailyReport, type PaymentMethod, paymentMethods } from '@karte/domain';

// 日計表: the day's 会計 at the window — bills of the day's visits and bills money moved on that day.

export async function dailyReportOf(tx: Tx, facilityId: string, date: string): Promise<DailyReport> {
  const bills = await dayBills(tx, facilityId, date);
  const ids = bills.map((b) => b.billId);
  const [patients, payments] = await Promise.all([
    getPatientSummaries(tx, facilityId, [...new Set(bills.map((b) => b.patientId))]),
    paymentsOfBillsUntil(tx, facilityId, ids, date),
  ]);
  const rows = bills.map((b) => {
    const p = patients.find((x) => x.id === b.patientId);
    const mine = payments.filter((x) => x.billId === b.billId);
    const paidToday = mine.filter((x) => x.businessDate === date).reduce((n, x) => n + x.amountYen, 0);
    const paidUntil = mine.reduce((n, x) => n + x.amountYen, 0);
    return {
      billId: b.billId,
      visitId: b.visitId,
      visitDate: b.visitDate,
      patientNumber: p?.patientNumber ?? 0,
      name: p ? `${p.familyName} ${p.givenName}` : '',
      points: b.points,
      chargeYen: b.chargeYen,
      paidYen: paidToday,
      unpaidYen: Math.max(0, b.chargeYen - paidUntil),
      corrected: b.version > 1,
    };
  });
  const ofDay = rows.filter((r) => r.visitDate === date);
  const today = payments.filter((x) => x.businessDate === date);
  // 入金 and 返金 stay apart (gross), so a refund is not hidden inside a smaller 入金.
  const received = (xs: typeof today) => xs.reduce((n, x) => n + Math.max(0, x.amountYen), 0);
  const refunded = (xs: typeof today) => xs.reduce((n, x) => n + Math.max(0, -x.amountYen), 0);
  const byMethod = (Object.keys(paymentMethods) as PaymentMethod[]).map((method) => {
    const mine = today.filter((x) => x.method === method);
    return {
      method,
      label: paymentMethods[method],
      yen: mine.reduce((n, x) => n + x.amountYen, 0),
      receivedYen: received(mine),
      refundYen: refunded(mine),
    };
  });
  return {
    date,
    rows: rows.map(({ visitDate: _day, ...r }) => r),
    totals: {
      // 請求 counts the day's visits; 入金 counts money moved that day, for earlier 未収 too.
      visits: ofDay.length,
      points: ofDay.reduce((n, r) => n + r.points, 0),
      chargeYen: ofDay.reduce((n, r) => n + r.chargeYen, 0),
      paidYen: rows.reduce((n, r) => n + r.paidYen, 0),
      unpaidYen: rows.reduce((n, r) => n + r.unpaidYen, 0),
      receivedYen: received(today),
      refundYen: refunded(today),
      byMethod,
    },
  };
}
