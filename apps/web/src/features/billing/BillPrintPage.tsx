import { type BillPrint, sexLabels, toWareki } from '@karte/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC, useTRPCClient } from '../../lib/trpc';
import { sectionName, sectionPoints, statementLines, yen } from './money';

const cell = 'border border-black px-1.5 py-1';
const dateOf = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

/**
 * 領収証 (/billing/bills/:billId/receipt) and 診療明細書 (…/statement), printed from the browser. Opening the
 * page is a preview and records nothing; 印刷 issues the print (the server marks a second issue of the same
 * version 再発行), shows what was issued, then opens the browser's print dialog.
 */
export default function BillPrintPage() {
  const { billId = '', kind = 'receipt' } = useParams();
  const [search] = useSearchParams();
  const version = Number(search.get('version')) || undefined;
  const trpc = useTRPC();
  const client = useTRPCClient();
  const navigate = useNavigate();
  const printKind = kind === 'statement' ? 'statement' : 'receipt';
  const which = { billId, kind: printKind, ...(version ? { version } : {}) } as const;
  const preview = useQuery({
    ...trpc.billing.print.queryOptions(which),
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  const [issued, setIssued] = useState<BillPrint | null>(null);
  const issue = useMutation({
    mutationFn: () => client.billing.print.query({ ...which, issue: true }),
    onSuccess: (data) => {
      // Render what was issued (with 再発行 if it applies) before the print dialog takes the page.
      flushSync(() => setIssued(data));
      window.print();
    },
  });
  if (preview.isError) return <Banner kind="error">{errorMessage(preview.error)}</Banner>;
  const d = issued ?? preview.data;
  if (!d) return <p className="text-slate-500">読み込み中…</p>;
  return (
    <div className="flex flex-col gap-3">
      <div className="no-print flex items-center gap-2">
        <button
          type="button"
          className={buttonClass}
          disabled={issue.isPending}
          onClick={() => issue.mutate()}
        >
          印刷（{printKind === 'receipt' ? 'A5横' : 'A4'}）
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => navigate(-1)}>
          戻る
        </button>
        {!issued && (
          <span className="text-sm text-slate-500">プレビュー（印刷を押すと発行を記録します）</span>
        )}
      </div>
      {issue.isError && <Banner kind="error">{errorMessage(issue.error)}</Banner>}
      {printKind === 'receipt' ? <Receipt d={d} /> : <Statement d={d} />}
    </div>
  );
}

/** 訂正: a version ≥ 2 says so, with its version and what changed from the previous one. */
function Correction({ d }: { d: BillPrint }) {
  const c = d.correction;
  if (!c) return null;
  const diff = c.differenceYen;
  return (
    <p className="mb-2 border border-black p-1 text-[11px]" data-testid="print-correction">
      訂正後（第{d.version}版）：第{c.previousVersion}版の請求 {yen(c.previousChargeYen)} から
      {diff > 0 ? `追加徴収 ${yen(diff)}` : diff < 0 ? `返金 ${yen(-diff)}` : '請求額の変更なし'}
    </p>
  );
}

function Reissue({ d }: { d: BillPrint }) {
  return d.reissue ? (
    <span className="ml-3 border-2 border-black px-2 text-base font-bold" data-testid="reissue">
      再発行
    </span>
  ) : null;
}

function Facility({ d }: { d: BillPrint }) {
  return (
    <div className="text-right text-[11px] leading-snug">
      <div className="text-sm font-bold">{d.facility.name}</div>
      <div>{d.facility.address}</div>
      <div>TEL {d.facility.phone}</div>
      <div>医療機関コード {d.facility.institutionCode}</div>
    </div>
  );
}

/** 領収証 in the customary form: 区分別の点数, 保険/保険外, 負担割合, 負担金額, 領収金額, 領収印欄. */
function Receipt({ d }: { d: BillPrint }) {
  const t = d.totals;
  const sections = sectionPoints(t);
  const top = sections.slice(0, 8);
  const bottom = sections.slice(8);
  const publicYen = t.publicByPayer.reduce((a, p) => a + p.yen, 0);
  return (
    <article
      className="receipt-sheet mx-auto w-[194mm] bg-white p-2 text-[12px] leading-tight text-black"
      aria-label="領収証"
    >
      <div className="mb-2 flex items-start justify-between">
        <h1 className="text-2xl font-bold tracking-[0.5em]">
          {d.correction ? '領収証（訂正）' : '領収証'}
          <Reissue d={d} />
        </h1>
        <div className="text-right">
          <div>発行日 {toWareki(dateOf(d.issuedAt))}</div>
          <div className="text-[10px]">
            No. {d.billId.slice(0, 8)}-{d.version}
          </div>
        </div>
      </div>
      <Correction d={d} />
      <table className="mb-2 w-full border-collapse">
        <tbody>
          <tr>
            <th className={cell}>患者番号</th>
            <td className={`${cell} font-mono`}>{d.patient.patientNumber}</td>
            <th className={cell}>氏名</th>
            <td className={`${cell} text-base font-bold`} data-testid="receipt-name">
              {d.patient.name} 様
            </td>
            <th className={cell}>診療日</th>
            <td className={cell} data-testid="receipt-date">
              {toWareki(d.visitDate)}
            </td>
          </tr>
          <tr>
            <th className={cell}>性別</th>
            <td className={cell}>{sexLabels[d.patient.sex as keyof typeof sexLabels] ?? ''}</td>
            <th className={cell}>負担割合</th>
            <td className={cell} data-testid="receipt-ratio">
              {d.ratio}割
            </td>
            <th className={cell}>入外</th>
            <td className={cell}>外来</td>
          </tr>
        </tbody>
      </table>
      <table className="mb-2 w-full table-fixed border-collapse text-center" aria-label="区分別の点数">
        <tbody>
          <tr>
            <th className={`${cell} w-8`} rowSpan={4}>
              保険
            </th>
            {top.map((s) => (
              <th key={s.label} className={`${cell} text-[10px] font-normal`}>
                {s.label}
              </th>
            ))}
          </tr>
          <tr>
            {top.map((s) => (
              <td key={s.label} className={`${cell} text-right font-mono`} data-testid={`section-${s.label}`}>
                {s.points ? `${s.points}点` : ''}
              </td>
            ))}
          </tr>
          <tr>
            {bottom.map((s) => (
              <th key={s.label} className={`${cell} text-[10px] font-normal`}>
                {s.label}
              </th>
            ))}
            <th className={`${cell} text-[10px]`}>合計</th>
          </tr>
          <tr>
            {bottom.map((s) => (
              <td key={s.label} className={`${cell} text-right font-mono`} data-testid={`section-${s.label}`}>
                {s.points ? `${s.points}点` : ''}
              </td>
            ))}
            <td className={`${cell} text-right font-mono font-bold`} data-testid="receipt-points">
              {t.points}点
            </td>
          </tr>
        </tbody>
      </table>
      <div className="flex gap-3">
        <table className="w-2/3 border-collapse">
          <tbody>
            <tr>
              <th className={cell}>保険 負担金額</th>
              <td className={`${cell} text-right font-mono`} data-testid="receipt-patient-yen">
                {yen(t.patientYen)}
              </td>
              <th className={cell}>保険外負担（自費）</th>
              <td className={`${cell} text-right font-mono`}>{yen(t.selfPayYen)}</td>
            </tr>
            {publicYen > 0 && (
              <tr>
                <th className={cell}>公費負担</th>
                <td className={`${cell} text-right font-mono`} colSpan={3}>
                  {t.publicByPayer.map((p) => `${p.label} ${yen(p.yen)}`).join('　')}
                </td>
              </tr>
            )}
            {t.selfPay.length > 0 && (
              <tr>
                <th className={cell}>保険外の内訳</th>
                <td className={`${cell} text-[11px]`} colSpan={3}>
                  {t.selfPay
                    .map(
                      (s) =>
                        `${s.name}×${s.count} ${yen(s.priceYen * s.count)}${s.taxYen ? `（内消費税 ${yen(s.taxYen)}）` : ''}`,
                    )
                    .join('　')}
                </td>
              </tr>
            )}
            <tr>
              <th className={cell}>合計（請求額）</th>
              <td className={`${cell} text-right font-mono font-bold`} data-testid="receipt-charge">
                {yen(t.chargeYen)}
              </td>
              <th className={cell}>領収金額</th>
              <td className={`${cell} text-right font-mono text-base font-bold`} data-testid="receipt-paid">
                {yen(d.paidYen)}
              </td>
            </tr>
            {d.unpaidYen > 0 && (
              <tr>
                <th className={cell}>未収金</th>
                <td className={`${cell} text-right font-mono`} colSpan={3}>
                  {yen(d.unpaidYen)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="flex w-1/3 flex-col justify-between gap-2">
          <Facility d={d} />
          <div className="ml-auto flex h-20 w-20 items-start justify-center border border-black text-[10px]">
            領収印
          </div>
        </div>
      </div>
      <p className="mt-2 text-[10px]">
        厚生労働省が定める診療報酬や薬価等には、医療機関が仕入れ時に負担する消費税が反映されています。この領収証は大切に保管してください。
      </p>
    </article>
  );
}

/** 診療明細書: every billed line with its code and points; issued free of charge. */
function Statement({ d }: { d: BillPrint }) {
  const t = d.totals;
  const lines = statementLines(t.lines);
  return (
    <article
      className="a4-sheet mx-auto w-[186mm] bg-white p-2 text-[12px] leading-snug text-black"
      aria-label="診療明細書"
    >
      <div className="mb-2 flex items-start justify-between">
        <h1 className="text-2xl font-bold tracking-[0.3em]">
          {d.correction ? '診療明細書（訂正）' : '診療明細書'}
          <Reissue d={d} />
        </h1>
        <Facility d={d} />
      </div>
      <Correction d={d} />
      <table className="mb-3 w-full border-collapse">
        <tbody>
          <tr>
            <th className={cell}>患者番号</th>
            <td className={`${cell} font-mono`}>{d.patient.patientNumber}</td>
            <th className={cell}>氏名</th>
            <td className={`${cell} font-bold`}>{d.patient.name} 様</td>
            <th className={cell}>受診日</th>
            <td className={cell}>{toWareki(d.visitDate)}</td>
          </tr>
          <tr>
            <th className={cell}>負担割合</th>
            <td className={cell}>{d.ratio}割</td>
            <th className={cell}>入外</th>
            <td className={cell}>外来</td>
            <th className={cell}>発行日</th>
            <td className={cell}>{toWareki(dateOf(d.issuedAt))}</td>
          </tr>
        </tbody>
      </table>
      <table className="w-full border-collapse" aria-label="明細">
        <thead>
          <tr>
            <th className={`${cell} w-24`}>区分</th>
            <th className={cell}>項目名</th>
            <th className={`${cell} w-24`}>コード</th>
            <th className={`${cell} w-16`}>点数</th>
            <th className={`${cell} w-12`}>回数</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are printed in order; codes may repeat
            <tr key={i} data-testid="statement-line">
              <td className={cell}>{sectionName(l.section)}</td>
              <td className={cell}>{l.name}</td>
              <td className={`${cell} font-mono`}>{l.code}</td>
              <td className={`${cell} text-right font-mono`}>{l.points}</td>
              <td className={`${cell} text-right font-mono`}>{l.count}</td>
            </tr>
          ))}
          <tr>
            <th className={`${cell} text-right`} colSpan={3}>
              合計
            </th>
            <td className={`${cell} text-right font-mono font-bold`} data-testid="statement-points">
              {t.points}
            </td>
            <td className={cell} />
          </tr>
        </tbody>
      </table>
      {t.selfPay.length > 0 && (
        <table className="mt-3 w-full border-collapse" aria-label="保険外">
          <tbody>
            {t.selfPay.map((s) => (
              <tr key={s.itemId}>
                <td className={cell}>保険外（自費）</td>
                <td className={cell}>{s.name}</td>
                <td className={`${cell} text-right font-mono`}>{yen(s.priceYen * s.count)}</td>
                <td className={`${cell} text-right`}>{s.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="mt-4 border border-black p-2 text-[11px]" data-testid="statement-free">
        明細書は無料で発行しています。
        <br />
        ・厚生労働省が定める診療報酬や薬価等には、医療機関が仕入れ時に負担する消費税が反映されています。
      </p>
    </article>
  );
}
