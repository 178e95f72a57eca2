import {
  ageOn,
  isFinalMove,
  nextStates,
  type Role,
  todayInJapan,
  toWareki,
  type VisitState,
  visitStateLabels,
  visitStates,
  waitingMinutes,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { BoardVitalsButton } from '../vitals/lazy';

const TodaysAppointments = lazy(() => import('../appointments/TodaysAppointments'));

import { preloadQuickVisit } from '../chart/ChartPage';

const stateColor: Record<VisitState, string> = {
  received: 'bg-slate-200 text-slate-900',
  waiting: 'bg-amber-100 text-amber-900',
  in_consult: 'bg-sky-100 text-sky-900',
  billing: 'bg-violet-100 text-violet-900',
  done: 'bg-emerald-100 text-emerald-900',
  on_hold: 'bg-orange-100 text-orange-900',
  cancelled: 'bg-slate-100 text-slate-500 line-through',
  absent: 'bg-red-100 text-red-900',
};

type Visit = NonNullable<ReturnType<typeof useBoard>['data']>[number];
type Move = { visit: Visit; to: VisitState };

function useBoard() {
  const trpc = useTRPC();
  return useQuery(trpc.reception.board.queryOptions());
}

const timeInJapan = (at: Date | string) =>
  new Date(at).toLocaleTimeString('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' });

const minutes = (n: number | null) => (n === null ? '—' : `${n}分`);

/**
 * Asks before a move with no way back (取消, 完了). The safe choice has the focus, so a stray Enter after
 * the key keeps the visit; Tab then Enter (or a click) confirms, Escape closes.
 */
function ConfirmMove(props: { move: Move; onConfirm: () => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const safe = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    safe.current?.focus();
  }, []);
  const { visit: v, to } = props.move;
  const label = visitStateLabels[to];
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-move-title"
      className="m-auto rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
    >
      <h2 id="confirm-move-title" className="mb-2 text-lg font-bold">
        受付番号 {v.receptionNumber} を「{label}」にしますか
      </h2>
      <p className="mb-4">
        {v.familyName} {v.givenName}（{v.familyNameKana} {v.givenNameKana}）
        <br />
        <span className="text-sm text-slate-600">「{label}」にした受付は元に戻せません。</span>
      </p>
      <div className="flex justify-end gap-2">
        <button
          ref={safe}
          type="button"
          className={secondaryButtonClass}
          onClick={() => ref.current?.close()}
        >
          やめる
        </button>
        <button
          type="button"
          className={`${buttonClass} ${to === 'cancelled' ? 'bg-red-700 hover:bg-red-800' : ''}`}
          onClick={() => {
            props.onConfirm();
            ref.current?.close();
          }}
        >
          {label}する
        </button>
      </div>
    </dialog>
  );
}

/** Today's visit queue; updates by itself within about a second of any change anywhere (stamp polled every 0.5 s). */
export function BoardPage({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [state, setState] = useState<VisitState | ''>('');
  const [department, setDepartment] = useState('');
  // The clinic's 診療科 (クリニック設定), and any older name today's visits still carry.
  const clinicDepartments = useQuery(trpc.clinic.departments.queryOptions());
  const [active, setActive] = useState(0);
  // The stamp carries no patient data: polling it costs nothing and reloads the board only on change.
  const stamp = useQuery({ ...trpc.reception.boardStamp.queryOptions(), refetchInterval: 500 });
  const board = useBoard();
  const [confirming, setConfirming] = useState<Move | null>(null);
  // 待ち時間 runs on by itself between board changes.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const stampValue = stamp.data;
  useEffect(() => {
    if (stampValue) void queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() });
  }, [stampValue, queryClient, trpc]);
  const move = useMutation(
    trpc.reception.moveVisit.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() }),
    }),
  );
  const begin = useMutation(
    trpc.chart.beginVisit.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() }),
    }),
  );
  // The chart's 前回Do and finishing bar are ready before the doctor's Enter opens it.
  useEffect(() => {
    if (me.user.role === 'doctor') void preloadQuickVisit();
  }, [me.user.role]);
  const request = (visit: Visit, to: VisitState) => {
    if (isFinalMove(to)) setConfirming({ visit, to });
    else move.mutate({ visitId: visit.id, to, version: visit.version });
  };
  // Doctors and nurses go from the queue to the chart; clerks and the admin to the patient page.
  const care = me.user.role === 'doctor' || me.user.role === 'nurse';
  // 会計 is the window's work.
  const cashier = me.user.role === 'clerk' || me.user.role === 'admin';
  const today = todayInJapan();
  const departmentNames = [
    ...new Set([
      ...(clinicDepartments.data ?? []).map((d) => d.name),
      ...(board.data ?? []).map((v) => v.department),
    ]),
  ];
  const rows = (board.data ?? []).filter(
    (v) => (!state || v.state === state) && (!department || v.department === department),
  );
  // The board listens to the keyboard while no field has the focus.
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (confirming) return; // the dialog has the keyboard
    if (e.altKey || e.ctrlKey || e.metaKey || (t && ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)))
      return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? Math.min(active + 1, rows.length - 1) : Math.max(active - 1, 0);
      setActive(next);
      // The focus follows the highlight: a link left focused in another row would open that row's patient.
      if (t?.closest('[aria-label="受付一覧"]')) rowRefs.current[next]?.focus();
    } else if (/^[1-9]$/.test(e.key) && rows[active]) {
      // 1, 2, … : the row's first, second, … action.
      const v = rows[active];
      const to = nextStates(v.state, me.user.role as Role)[Number(e.key) - 1];
      if (to) {
        e.preventDefault();
        request(v, to);
      }
    } else if (e.key === 'Enter' && rows[active]) {
      // A focused link or button acts by itself; its row is the highlighted one (see onFocus below).
      if (t && ['A', 'BUTTON'].includes(t.tagName)) return;
      const v = rows[active];
      if (cashier && v.state === 'billing') navigate(`/billing/${v.id}`);
      else if (me.user.role === 'doctor' && (v.state === 'waiting' || v.state === 'in_consult')) {
        // 再診を短く: one key starts the visit (encounter opened, 診察待 → 診察中) and the cursor is in S.
        e.preventDefault();
        begin.mutate(
          { visitId: v.id },
          {
            onSuccess: (r) => navigate(`/patients/${r.patientId}/chart`, { state: { focusSoap: true } }),
          },
        );
      } else navigate(`/patients/${v.patientId}${care ? '/chart' : ''}`);
    }
  };
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keyHandler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  const counts = Object.fromEntries(
    visitStates.map((s) => [s, (board.data ?? []).filter((v) => v.state === s).length]),
  );
  return (
    <section className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-bold">
          受付一覧 <span className="text-base font-normal text-slate-600">{toWareki(today)}</span>
        </h1>
        <div className="flex items-end gap-3">
          {cashier && (
            <Link to="/billing/daily" className={secondaryButtonClass}>
              日計表
            </Link>
          )}
          <label className="flex flex-col text-sm">
            状態
            <select
              className={inputClass}
              value={state}
              onChange={(e) => setState(e.target.value as VisitState | '')}
            >
              <option value="">すべて</option>
              {visitStates.map((s) => (
                <option key={s} value={s}>
                  {visitStateLabels[s]}（{counts[s]}）
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-sm">
            診療科
            <select className={inputClass} value={department} onChange={(e) => setDepartment(e.target.value)}>
              <option value="">すべて</option>
              {departmentNames.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <p className="text-xs text-slate-500">
        ↑↓ で選択、1〜9 で操作（完了・取消は確認あり）、Enter で{care ? 'カルテ' : '患者'}
        を開く{cashier ? '（会計待は会計）' : ''}
        {me.user.role === 'doctor' ? '（診察待は診察中にして本日の記載から）' : ''}
        。他の端末の変更も自動で反映されます。
      </p>
      <Suspense fallback={null}>{<TodaysAppointments me={me} stamp={stampValue} />}</Suspense>
      {board.isError && <Banner kind="error">{errorMessage(board.error)}</Banner>}
      {move.isError && <Banner kind="error">{errorMessage(move.error)}</Banner>}
      {begin.isError && <Banner kind="error">{errorMessage(begin.error)}</Banner>}
      {board.isSuccess && rows.length === 0 && <Banner kind="info">該当する受付はありません。</Banner>}
      {confirming && (
        <ConfirmMove
          move={confirming}
          onClose={() => setConfirming(null)}
          onConfirm={() =>
            move.mutate({
              visitId: confirming.visit.id,
              to: confirming.to,
              version: confirming.visit.version,
            })
          }
        />
      )}
      {rows.length > 0 && (
        <table className="w-full border-collapse bg-white text-left" aria-label="受付一覧">
          <thead>
            <tr className="border-b border-slate-300 text-sm text-slate-600">
              <th className="px-3 py-2">番号</th>
              <th className="px-3 py-2">状態</th>
              <th className="px-3 py-2">受付時刻</th>
              <th className="px-3 py-2">待ち時間</th>
              <th className="px-3 py-2">患者</th>
              <th className="px-3 py-2">診療科</th>
              <th className="px-3 py-2">来院目的・メモ</th>
              <th className="px-3 py-2">資格</th>
              <th className="px-3 py-2">操作</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v, i) => (
              <tr
                key={v.id}
                data-testid={`visit-${v.receptionNumber}`}
                aria-selected={i === active}
                tabIndex={-1}
                ref={(el) => {
                  rowRefs.current[i] = el;
                }}
                onClick={() => setActive(i)}
                onFocus={() => setActive(i)}
                className={`border-b border-slate-100 focus:outline-2 focus:outline-sky-600 ${i === active ? 'bg-sky-50' : ''}`}
              >
                <td className="px-3 py-2 font-mono text-lg">{v.receptionNumber}</td>
                <td className="px-3 py-2">
                  <span
                    className={`rounded px-2 py-0.5 text-sm ${stateColor[v.state]}`}
                    data-testid="visit-state"
                  >
                    {visitStateLabels[v.state]}
                  </span>
                  {v.state === 'billing' && v.unpaidYen > 0 && (
                    <span
                      className="ml-1 rounded bg-red-100 px-1.5 py-0.5 text-xs font-bold text-red-800"
                      data-testid="visit-unpaid"
                      title={`未収 ¥${v.unpaidYen.toLocaleString('ja-JP')}`}
                    >
                      未収
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono" data-testid="checked-in-at">
                  {timeInJapan(v.createdAt)}
                </td>
                <td className="px-3 py-2 font-mono" data-testid="waiting-time">
                  {minutes(waitingMinutes(v.state, v.createdAt, now))}
                </td>
                <td className="px-3 py-2">
                  <div className="text-xs text-slate-600">
                    {v.familyNameKana} {v.givenNameKana}
                  </div>
                  <div className="font-medium">
                    {v.familyName} {v.givenName}
                    <span className="ml-2 text-sm font-normal text-slate-600">
                      {ageOn(v.birthDate, today)}歳 {v.sex === 'male' ? '男' : v.sex === 'female' ? '女' : ''}
                    </span>
                  </div>
                </td>
                <td className="px-3 py-2">{v.department}</td>
                <td className="px-3 py-2">
                  {v.purpose}
                  {v.memo && <div className="text-sm text-slate-600">{v.memo}</div>}
                </td>
                <td className="px-3 py-2 text-sm">
                  {v.eligibilityConfirmed ? (
                    <span className="text-emerald-800">確認済</span>
                  ) : (
                    <span className="font-bold text-amber-800">未確認</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-wrap gap-1">
                    {/* 完了 too: to view, reprint or correct (訂正) a settled 会計. */}
                    {cashier && (v.state === 'billing' || v.state === 'done') && (
                      <Link to={`/billing/${v.id}`} className={`${buttonClass} px-2 py-1 text-sm`}>
                        会計
                      </Link>
                    )}
                    {me.user.role !== 'admin' && (
                      <Link
                        to={`/patients/${v.patientId}/chart`}
                        className={`${secondaryButtonClass} px-2 py-1 text-sm`}
                      >
                        カルテ
                      </Link>
                    )}
                    <BoardVitalsButton me={me} visit={v} />
                    {nextStates(v.state, me.user.role as Role).map((to, n) => (
                      <button
                        key={to}
                        type="button"
                        className={`${secondaryButtonClass} px-2 py-1 text-sm`}
                        disabled={move.isPending}
                        onClick={() => request(v, to)}
                      >
                        {n < 9 && <span className="mr-1 text-xs text-slate-500">{n + 1}</span>}
                        {visitStateLabels[to]}
                      </button>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
