import type { BillingView, BillTotals } from '@karte/domain';
import { points, yen } from './money';

const row = 'flex justify-between gap-4 py-0.5';

/** 総点数 and 区分別, who pays what (保険者・公費・患者), 自費, 請求額, and how the amount was reached. */
export function TotalsPanel(props: {
  totals: BillTotals;
  month: BillingView['month'];
  stale?: boolean;
  /** The draft differs from what the month was computed with (the server's last proposal or version). */
  monthAsShown?: boolean;
}) {
  const t = props.totals;
  return (
    <section
      aria-label="合計"
      className={`flex flex-col gap-3 rounded border border-slate-200 bg-white p-4 ${props.stale ? 'opacity-60' : ''}`}
      aria-busy={props.stale}
    >
      <div className={`${row} text-lg font-bold`}>
        <span>総点数</span>
        <span className="font-mono" data-testid="total-points">
          {points(t.points)}
        </span>
      </div>
      <ul className="grid grid-cols-2 gap-x-4 text-sm text-slate-700">
        {t.sections
          .filter((s) => s.points > 0)
          .map((s) => (
            <li key={s.label} className={row}>
              <span>{s.label}</span>
              <span className="font-mono">{s.points}</span>
            </li>
          ))}
      </ul>
      <div className="border-t border-slate-200 pt-2 text-sm">
        <div className={row}>
          <span>負担割合</span>
          <span data-testid="ratio">
            {t.ratio}割<span className="ml-1 text-xs text-slate-600">（{t.ratioReason}）</span>
          </span>
        </div>
        <div className={row}>
          <span>保険者負担</span>
          <span className="font-mono">{yen(t.insurerYen)}</span>
        </div>
        {t.publicByPayer.map((p) => (
          <div key={p.payerNumber} className={row}>
            <span>
              公費負担（{p.label} {p.payerNumber}）
            </span>
            <span className="font-mono">{yen(p.yen)}</span>
          </div>
        ))}
        <div className={row}>
          <span>患者負担（保険）</span>
          <span className="font-mono" data-testid="patient-yen">
            {yen(t.patientYen)}
          </span>
        </div>
        {t.selfPayYen > 0 && (
          <div className={row}>
            <span>自費（保険外）</span>
            <span className="font-mono">{yen(t.selfPayYen)}</span>
          </div>
        )}
      </div>
      <div className={`${row} border-t-2 border-slate-800 pt-2 text-2xl font-bold`}>
        <span>請求額</span>
        <span className="font-mono" data-testid="charge-yen">
          {yen(t.chargeYen)}
        </span>
      </div>
      {t.warnings.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-amber-900" data-testid="bill-warnings">
          {t.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">計算の手順</summary>
        <ol className="mt-1 flex flex-col gap-0.5 pl-1" data-testid="bill-steps">
          {t.steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are in order and may repeat a label
            <li key={i} className={row}>
              <span>{s.label}</span>
              <span className="font-mono">{yen(s.yen)}</span>
            </li>
          ))}
        </ol>
      </details>
      <div className="border-t border-slate-200 pt-2 text-sm text-slate-700" data-testid="month-total">
        <p className="font-medium">
          今月の累計（この会計を含む{props.monthAsShown ? '・変更前の内容で計算' : ''}）
        </p>
        <div className={row}>
          <span>点数</span>
          <span className="font-mono">{points(props.month.points)}</span>
        </div>
        <div className={row}>
          <span>患者負担</span>
          <span className="font-mono">{yen(props.month.patientYen)}</span>
        </div>
        {props.month.publicCapUsed.map((c) => (
          <div key={c.payerNumber} className={row}>
            <span>公費 {c.payerNumber} 上限額管理</span>
            <span className="font-mono">
              {yen(c.yen)}
              {c.capYen !== null ? ` / ${yen(c.capYen)}` : ''}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
