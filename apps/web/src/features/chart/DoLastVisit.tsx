import { toWareki } from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useContext, useEffect, useRef, useState } from 'react';
import type { Outputs } from '../../App';
import { Banner, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { DraftFlushContext, flushAll } from './draftFlush';

export type CopyResult = Outputs['chart']['copyLastVisit'];

/**
 * 前回Do (Alt+D): the last visit's SOAP and prescription become today's drafts in one step (opening today's
 * encounter first if needed). What each open editor has pending is saved first, so nothing typed is lost.
 */
export function DoLastVisitButton(props: {
  encounterId: string | null;
  /** Opens today's encounter when there is none yet; resolves to its id. */
  openToday: () => Promise<string>;
  /** The responsible doctor for 代行入力 (null when the author is a doctor). */
  doctorId: string | null;
  /** After the copy, once the chart has been read again. */
  onCopied: (r: CopyResult) => Promise<void>;
}) {
  const trpc = useTRPC();
  const editors = useContext(DraftFlushContext);
  const copy = useMutation(trpc.chart.copyLastVisit.mutationOptions());
  const [problem, setProblem] = useState<string | null>(null);
  const busy = useRef(false);
  const run = async () => {
    if (busy.current) return;
    busy.current = true;
    setProblem(null);
    try {
      if (editors && !(await flushAll(editors))) {
        setProblem(
          '保存できていない入力があります（入力途中の処方など）。確認してからもう一度前回Doしてください',
        );
        return;
      }
      const encounterId = props.encounterId ?? (await props.openToday());
      const r = await copy.mutateAsync({ encounterId, doctorId: props.doctorId });
      await props.onCopied(r);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      busy.current = false;
    }
  };
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyD' || e.key.toLowerCase() === 'd')) {
        e.preventDefault();
        void runRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={copy.isPending}
        aria-keyshortcuts="Alt+D"
        title="前回の記載と処方を本日の下書きに写す"
        onClick={() => void run()}
      >
        前回Do <span className="ml-1 text-xs opacity-75">Alt+D</span>
      </button>
      {problem && (
        <span className="text-sm text-red-800" role="alert">
          {problem}
        </span>
      )}
    </>
  );
}

/** What 前回Do copied, from which day, and what needs the doctor's eye before 確定. */
export function DoReview({ result, onClose }: { result: CopyResult; onClose: () => void }) {
  // The review and what follows it (today's prescription) come into view; the cursor stays in S.
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'start' });
  }, []);
  if (result.status === 'none')
    return (
      <Banner kind="info">
        前回の記載・処方がありません（写すものはありません）。{' '}
        <button type="button" className="text-sky-800 underline" onClick={onClose}>
          閉じる
        </button>
      </Banner>
    );
  const drugs = result.prescriptions.reduce((n, p) => n + p.drugs, 0);
  return (
    <section
      ref={box}
      className="no-print scroll-mt-28 flex flex-col gap-1 rounded border border-sky-300 bg-sky-50 p-3 text-sm"
      aria-label="前回Doの確認"
      data-testid="do-review"
    >
      <p className="font-medium text-sky-950">
        {toWareki(result.from.date)}（{result.from.date}
        ）の記載と処方を本日の下書きに写しました。内容を確認して確定してください。
      </p>
      <ul className="list-disc pl-5 text-slate-700">
        <li>
          記載（S・O・A・P）:{' '}
          {result.soap
            ? result.soap.appended
              ? '本日の下書きの後に追記しました'
              : '写しました'
            : '前回の記載はありません'}
        </li>
        <li>
          処方:{' '}
          {result.prescriptions.length > 0
            ? `${drugs}剤${result.prescriptions.some((p) => p.appended) ? '（本日の処方の後に追加）' : ''}。処方チェックは処方欄に表示されます（理由が必要なものは確定前に入力）`
            : '前回の処方はありません'}
        </li>
        {result.droppedSubsidies > 0 && (
          <li>前回選んだ公費 {result.droppedSubsidies}件は現在の公費ではないため写していません</li>
        )}
      </ul>
      {result.missingDrugs.length > 0 && (
        <p className="font-medium text-red-800" role="alert" data-testid="do-missing-drugs">
          薬価基準にない薬剤があります（このままでは確定できません。削除して別の薬剤を選んでください）:{' '}
          {result.missingDrugs.map((d) => `${d.name}（${d.code}）`).join('、')}
        </p>
      )}
      <div>
        <button type="button" className="text-sky-800 underline" onClick={onClose}>
          確認しました（閉じる）
        </button>
      </div>
    </section>
  );
}
