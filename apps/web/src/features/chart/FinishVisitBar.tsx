import { findingLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import type { Me } from '../../App';
import { buttonClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { DraftFlushContext, flushAll } from './draftFlush';

/**
 * 診察の終わり: today's SOAP and prescriptions confirmed together in one transaction (a finding needing a reason
 * stops both), and — for the doctor of a visit at 診察中 — the visit moved to 会計待 in the same step (the default,
 * Ctrl+Enter). `children` is the slot for other finishing actions (次回予約).
 */
export function FinishVisitBar(props: {
  me: Me;
  patientId: string;
  encounterId: string;
  /** Today's visit of the encounter, if it has one. */
  visitId: string | null;
  /** After a successful 確定 (the chart closes today's editors). */
  onFinished?: () => void;
  children?: ReactNode;
}) {
  const { me, patientId, encounterId, visitId } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const editors = useContext(DraftFlushContext);
  const confirm = useMutation(trpc.chart.confirmTogether.mutationOptions());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const busy = useRef(false);
  // Whether the default also moves the visit to 会計待 (the doctor's move from 診察中).
  const insurance = useQuery(trpc.reception.insurance.queryOptions({ patientId }));
  const todayVisit = insurance.data?.todayVisit?.id === visitId ? insurance.data?.todayVisit : null;
  const canBill = me.user.role === 'doctor' && todayVisit?.state === 'in_consult';

  const finish = async (toBilling: boolean) => {
    if (busy.current) return;
    busy.current = true;
    setMessage(null);
    try {
      if (editors && !(await flushAll(editors))) {
        setMessage({
          kind: 'error',
          text: '保存できていない入力があります（入力途中の処方や競合）。確認してからもう一度確定してください',
        });
        return;
      }
      // What the server has now: the drafts with their revisions, and the visit's version.
      const [chart, fresh] = await Promise.all([
        queryClient.fetchQuery({ ...trpc.chart.chart.queryOptions({ patientId }), staleTime: 0 }),
        queryClient.fetchQuery({ ...trpc.reception.insurance.queryOptions({ patientId }), staleTime: 0 }),
      ]);
      const encounter = chart.encounters.find((e) => e.id === encounterId);
      const drafts = (encounter?.entries ?? []).filter(
        (e) => e.draft !== null && (e.kind === 'soap' || e.kind === 'prescription'),
      );
      if (drafts.some((e) => e.currentVersion > 0)) {
        setMessage({
          kind: 'error',
          text: '修正中の記載があります。修正の理由を入力して、その記載の「確定」で確定してください',
        });
        return;
      }
      const visit = fresh.todayVisit?.id === visitId ? fresh.todayVisit : null;
      const billing =
        toBilling && visit?.state === 'in_consult' ? { visitId: visit.id, version: visit.version } : null;
      if (drafts.length === 0 && !billing) {
        setMessage({ kind: 'error', text: '確定する下書きがありません' });
        return;
      }
      const r = await confirm.mutateAsync({
        encounterId,
        entries: drafts.map((e) => ({ entryId: e.id, baseRev: e.draftRev })),
        billing,
      });
      if (r.status === 'needs-override') {
        const kinds = [...new Set(r.findings.map((f) => findingLabels[f.type] ?? f.type))].join('・');
        setMessage({
          kind: 'error',
          text: `処方チェック（${kinds}）に理由が必要です。処方欄で理由を入力してから、もう一度確定してください（記載も処方もまだ確定していません）`,
        });
        document.querySelector<HTMLInputElement>('input[aria-label$="を承知で処方する理由"]')?.focus();
        return;
      }
      props.onFinished?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.reception.insurance.queryKey({ patientId }) }),
      ]);
      const kinds = r.confirmed.map((c) => (c.kind === 'soap' ? '記載' : '処方'));
      setMessage({
        kind: 'ok',
        text: `${kinds.length > 0 ? `${[...new Set(kinds)].join('と')}を確定しました` : ''}${r.visit ? `${kinds.length > 0 ? '。' : ''}会計待にしました（Alt+B で受付一覧へ）` : ''}`,
      });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      busy.current = false;
    }
  };
  const finishRef = useRef(finish);
  finishRef.current = finish;
  const billRef = useRef(canBill);
  billRef.current = canBill;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.altKey && !e.metaKey && e.key === 'Enter') {
        // Only where the bar is shown (a doctor's visit at 診察中).
        if (!billRef.current) return;
        e.preventDefault();
        void finishRef.current(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The bar finishes a visit: the doctor's, at 診察中. Its buttons do not say 確定 (each editor's own 確定 stays
  // the one button of that name), the caption beside them does.
  if (!canBill && !message) return null;
  if (!canBill)
    return (
      <p
        className={`no-print sticky bottom-0 z-10 rounded border p-2 text-sm shadow ${message?.kind === 'ok' ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-red-300 bg-red-50 text-red-900'}`}
        role={message?.kind === 'ok' ? 'status' : 'alert'}
        data-testid="finish-message"
      >
        {message?.text}
      </p>
    );
  return (
    <section
      className="no-print sticky bottom-0 z-10 flex flex-wrap items-center gap-2 rounded border border-slate-300 bg-white/95 p-2 shadow"
      aria-label="診察の終了"
    >
      <button
        type="button"
        className={buttonClass}
        disabled={confirm.isPending}
        aria-keyshortcuts="Control+Enter"
        aria-describedby="finish-visit-caption"
        onClick={() => void finish(true)}
      >
        診察を終える（会計待へ）
        <span className="ml-2 text-xs opacity-75">Ctrl+Enter</span>
      </button>
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={confirm.isPending}
        onClick={() => void finish(false)}
      >
        会計待にしないで記載・処方だけ終える
      </button>
      {props.children}
      <span id="finish-visit-caption" className="text-xs text-slate-600">
        本日の記載と処方をまとめて確定します（どれかに理由が必要なら、どれも確定しません）
      </span>
      {message && (
        <span
          className={`text-sm ${message.kind === 'ok' ? 'text-emerald-800' : 'text-red-800'}`}
          role={message.kind === 'ok' ? 'status' : 'alert'}
          data-testid="finish-message"
        >
          {message.text}
        </span>
      )}
    </section>
  );
}
