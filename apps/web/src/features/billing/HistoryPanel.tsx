import { type BillingView, paymentMethods } from '@karte/domain';
import { yen } from './money';

const at = (iso: string) =>
  new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });

/** After 会計済: every version with its reason and every payment (refunds negative), nothing hidden. */
export function HistoryPanel({ view }: { view: BillingView }) {
  return (
    <section
      aria-label="履歴"
      className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 className="text-lg font-bold">履歴</h2>
      <table className="w-full text-left" aria-label="版">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th className="py-1">版</th>
            <th className="py-1">日時</th>
            <th className="py-1">担当</th>
            <th className="py-1 text-right">請求額</th>
            <th className="py-1 pl-3">理由</th>
          </tr>
        </thead>
        <tbody>
          {view.versions.map((v) => (
            <tr key={v.version} className="border-b border-slate-100" data-testid="bill-version">
              <td className="py-1">第{v.version}版</td>
              <td className="py-1">{at(v.createdAt)}</td>
              <td className="py-1">{v.createdBy}</td>
              <td className="py-1 text-right font-mono">{yen(v.chargeYen)}</td>
              <td className="py-1 pl-3">{v.reason || (v.version === 1 ? '会計' : '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="w-full text-left" aria-label="入金">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th className="py-1">入金日時</th>
            <th className="py-1">方法</th>
            <th className="py-1">担当</th>
            <th className="py-1 text-right">金額</th>
          </tr>
        </thead>
        <tbody>
          {view.payments.length === 0 && (
            <tr>
              <td colSpan={4} className="py-1 text-slate-500">
                入金はありません
              </td>
            </tr>
          )}
          {view.payments.map((p) => (
            <tr key={p.id} className="border-b border-slate-100" data-testid="bill-payment">
              <td className="py-1">{at(p.at)}</td>
              <td className="py-1">{paymentMethods[p.method]}</td>
              <td className="py-1">{p.by}</td>
              <td className={`py-1 text-right font-mono ${p.amountYen < 0 ? 'text-red-700' : ''}`}>
                {p.amountYen < 0 ? `返金 ${yen(-p.amountYen)}` : yen(p.amountYen)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex justify-end gap-6 font-medium">
        <span>
          入金済 <span className="font-mono">{yen(view.paidYen)}</span>
        </span>
        <span className={view.unpaidYen > 0 ? 'text-amber-900' : ''} data-testid="bill-unpaid">
          未収 <span className="font-mono">{yen(view.unpaidYen)}</span>
        </span>
      </div>
    </section>
  );
}
