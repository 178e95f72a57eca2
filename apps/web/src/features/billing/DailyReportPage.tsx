import { todayInJapan, toWareki } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { Banner, buttonClass, inputClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { yen } from './money';

const cell = 'border border-slate-400 px-2 py-1';

/** 日計表 (/billing/daily?date=…): one day's 会計 at the window — 請求, 入金, 未収, by payment method. */
export default function DailyReportPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useSearchParams();
  const date = search.get('date') || todayInJapan();
  const report = useQuery(trpc.billing.daily.queryOptions({ date }));
  const d = report.data;
  return (
    <section className="flex flex-col gap-4">
      <div className="no-print flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm font-medium text-slate-700">
          日付
          <input
            type="date"
            lang="ja"
            className={inputClass}
            value={date}
            onChange={(e) => e.target.value && setSearch({ date: e.target.value }, { replace: true })}
          />
        </label>
        {/* The browser may show the date field in its own (e.g. US) order: the 和暦 beside it is the one to read. */}
        <span className="pb-2 text-base font-medium" data-testid="daily-date-wareki">
          {toWareki(date)}
        </span>
        <button type="button" className={buttonClass} onClick={() => window.print()} disabled={!d}>
          印刷（A4）
        </button>
        <Link to="/reception/board" className="pb-2 text-sm underline">
          受付一覧へ
        </Link>
      </div>
      {report.isError && <Banner kind="error">{errorMessage(report.error)}</Banner>}
      {report.isPending && <p className="text-slate-500">読み込み中…</p>}
      {d && (
        <article className="a4-sheet bg-white p-2 text-sm text-black" aria-label="日計表">
          <h1 className="mb-2 text-xl font-bold">
            日計表 <span className="text-base font-normal">{toWareki(d.date)}</span>
          </h1>
          <table className="mb-4 w-full border-collapse text-right" aria-label="集計">
            <thead>
              <tr className="bg-slate-100">
                <th className={cell}>来院（会計）</th>
                <th className={cell}>総点数</th>
                <th className={cell}>請求</th>
                <th className={cell}>入金</th>
                <th className={cell}>返金</th>
                <th className={cell}>差引入金</th>
                <th className={cell}>未収</th>
              </tr>
            </thead>
            <tbody>
              <tr className="font-mono text-base font-bold">
                <td className={cell} data-testid="daily-visits">
                  {d.totals.visits}件
                </td>
                <td className={cell}>{d.totals.points.toLocaleString('ja-JP')}点</td>
                <td className={cell} data-testid="daily-charge">
                  {yen(d.totals.chargeYen)}
                </td>
                <td className={cell} data-testid="daily-paid">
                  {yen(d.totals.receivedYen)}
                </td>
                <td className={cell} data-testid="daily-refund">
                  {d.totals.refundYen ? `−${yen(d.totals.refundYen)}` : yen(0)}
                </td>
                <td className={cell} data-testid="daily-net">
                  {yen(d.totals.paidYen)}
                </td>
                <td className={cell} data-testid="daily-unpaid">
                  {yen(d.totals.unpaidYen)}
                </td>
              </tr>
            </tbody>
          </table>
          <h2 className="mb-1 font-bold">入金方法別</h2>
          <table className="mb-4 border-collapse text-right" aria-label="入金方法別">
            <thead>
              <tr className="bg-slate-100">
                <th className={cell} />
                <th className={cell}>入金</th>
                <th className={cell}>返金</th>
                <th className={cell}>差引</th>
              </tr>
            </thead>
            <tbody>
              {d.totals.byMethod.length === 0 && (
                <tr>
                  <td className={cell}>入金なし</td>
                </tr>
              )}
              {d.totals.byMethod.map((m) => (
                <tr key={m.method}>
                  <th className={`${cell} text-left font-normal`}>{m.label}</th>
                  <td className={`${cell} font-mono`} data-testid={`daily-method-${m.method}`}>
                    {yen(m.receivedYen)}
                  </td>
                  <td className={`${cell} font-mono`} data-testid={`daily-method-refund-${m.method}`}>
                    {m.refundYen ? `−${yen(m.refundYen)}` : yen(0)}
                  </td>
                  <td className={`${cell} font-mono`}>{yen(m.yen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 className="mb-1 font-bold">明細</h2>
          {d.rows.length === 0 ? (
            <p className="text-slate-600">この日の会計はありません。</p>
          ) : (
            <table className="w-full border-collapse" aria-label="会計一覧">
              <thead>
                <tr className="bg-slate-100">
                  <th className={cell}>患者番号</th>
                  <th className={cell}>氏名</th>
                  <th className={`${cell} text-right`}>点数</th>
                  <th className={`${cell} text-right`}>請求</th>
                  <th className={`${cell} text-right`}>入金（返金差引）</th>
                  <th className={`${cell} text-right`}>未収</th>
                  <th className={cell}>備考</th>
                  <th className={`${cell} no-print`} />
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.billId} data-testid="daily-row">
                    <td className={`${cell} font-mono`}>{r.patientNumber}</td>
                    <td className={cell}>{r.name}</td>
                    <td className={`${cell} text-right font-mono`}>{r.points}</td>
                    <td className={`${cell} text-right font-mono`}>{yen(r.chargeYen)}</td>
                    <td className={`${cell} text-right font-mono`}>{yen(r.paidYen)}</td>
                    <td className={`${cell} text-right font-mono ${r.unpaidYen > 0 ? 'font-bold' : ''}`}>
                      {yen(r.unpaidYen)}
                    </td>
                    <td className={cell}>{r.corrected ? '訂正あり' : ''}</td>
                    <td className={`${cell} no-print`}>
                      <Link to={`/billing/${r.visitId}`} className="underline">
                        会計
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      )}
    </section>
  );
}
