import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { barRuns, cardBarcodeText, code128Modules, QUIET_ZONE_MODULES } from './cardBarcode';

/** One module of the barcode: 2 CSS px (0.53 mm on paper), whole pixels on screen so the bars stay sharp. */
const MODULE_PX = 2;
const BAR_HEIGHT_PX = 40;

/** The 患者番号 as a Code128 barcode (SVG), quiet zones included. */
export function CardBarcode({ text }: { text: string }) {
  const modules = code128Modules(text);
  const width = modules.length + 2 * QUIET_ZONE_MODULES;
  return (
    <svg
      role="img"
      aria-label={`患者番号バーコード ${text}`}
      data-testid="card-barcode"
      width={width * MODULE_PX}
      height={BAR_HEIGHT_PX}
      viewBox={`0 0 ${width} ${BAR_HEIGHT_PX / MODULE_PX}`}
      shapeRendering="crispEdges"
      className="bg-white"
    >
      <rect x={0} y={0} width={width} height={BAR_HEIGHT_PX / MODULE_PX} fill="#fff" />
      {barRuns(modules).map(([start, run]) => (
        <rect
          key={start}
          x={QUIET_ZONE_MODULES + start}
          y={0}
          width={run}
          height={BAR_HEIGHT_PX / MODULE_PX}
          fill="#000"
        />
      ))}
    </svg>
  );
}

/**
 * 診察券 (patient card), credit-card size (85.6 × 54 mm): the clinic's name and phone, the patient's 氏名 and カナ, and
 * the 患者番号 as a Code128 barcode that 患者検索 opens when scanned. Printing records the issue (再発行 after the first).
 */
/**
 * While the card page is open, the printed sheet is the card: credit-card size (ID-1), no margin (`card-sheet` on
 * <html> selects the named page in index.css; a class, since the CSP allows no inline style).
 */
function useCardSheet() {
  useEffect(() => {
    document.documentElement.classList.add('card-sheet');
    return () => document.documentElement.classList.remove('card-sheet');
  }, []);
}

export function PatientCardPage() {
  useCardSheet();
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const card = useQuery(trpc.reception.card.queryOptions({ patientId: id }));
  const [issued, setIssued] = useState<{ issue: number; reissue: boolean } | null>(null);
  const issue = useMutation(
    trpc.reception.issueCard.mutationOptions({
      onSuccess: async (result) => {
        setIssued(result);
        await queryClient.invalidateQueries({ queryKey: trpc.reception.card.queryKey({ patientId: id }) });
        window.print();
      },
    }),
  );
  if (card.isError) return <Banner kind="error">{errorMessage(card.error)}</Banner>;
  if (!card.data) return <p className="text-slate-500">読み込み中…</p>;
  const { clinic, patient: p } = card.data;
  const text = cardBarcodeText(p.patientNumber);
  return (
    <div className="flex flex-col gap-4">
      <div className="no-print flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-bold">診察券</h1>
        <button
          type="button"
          className={buttonClass}
          disabled={issue.isPending}
          onClick={() => issue.mutate({ patientId: p.id })}
        >
          {card.data.issued > 0 ? '再発行して印刷' : '印刷'}
        </button>
        <Link to={`/patients/${p.id}`} className={secondaryButtonClass}>
          患者画面へ戻る
        </Link>
        <span className="text-sm text-slate-600">
          {card.data.issued > 0
            ? `これまでに ${card.data.issued} 回発行（印刷すると再発行として記録されます）`
            : 'まだ発行されていません（印刷すると発行として記録されます）'}
        </span>
      </div>
      {issue.isError && <Banner kind="error">{errorMessage(issue.error)}</Banner>}
      {issued && (
        <output className="no-print text-sm text-emerald-700">
          {issued.reissue ? `再発行（${issued.issue} 回目）を記録しました` : '発行を記録しました'}
        </output>
      )}
      <article
        className="patient-card flex h-[54mm] w-[85.6mm] flex-col justify-between overflow-hidden rounded-[3mm] border border-slate-400 bg-white px-[4mm] py-[3mm] text-black print:rounded-none print:border-0"
        aria-label="診察券"
      >
        <header className="flex items-baseline justify-between gap-2 border-b border-slate-700 pb-[1mm]">
          <span className="truncate text-[11pt] font-bold">{clinic.name}</span>
          <span className="shrink-0 text-[7pt]">診察券</span>
        </header>
        <div className="flex flex-col">
          <span className="text-[7pt] leading-tight">
            {p.familyNameKana}　{p.givenNameKana}
          </span>
          <span className="text-[13pt] font-bold leading-tight">
            {p.familyName}　{p.givenName} 様
          </span>
        </div>
        <div className="flex items-end justify-between gap-2">
          <div className="flex flex-col items-center">
            <CardBarcode text={text} />
            <span className="font-mono text-[8pt] tracking-widest">患者番号 {p.patientNumber}</span>
          </div>
          {clinic.phone && <span className="text-[7pt]">TEL {clinic.phone}</span>}
        </div>
      </article>
    </div>
  );
}
