import { type AppointmentState, appointmentStateLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import type { Me } from '../../App';
import { Banner } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

const stateClass: Record<AppointmentState, string> = {
  booked: 'text-sky-900',
  checked_in: 'text-emerald-800',
  no_show: 'text-red-700',
  cancelled: 'text-slate-400 line-through',
};
const smallBase =
  'rounded border px-2 py-0.5 text-xs font-medium focus:outline-none focus:ring-2 focus:ring-sky-300 disabled:opacity-50';
const small = `${smallBase} border-slate-300 bg-white hover:bg-slate-100`;
const smallPrimary = `${smallBase} border-sky-700 bg-sky-700 text-white hover:bg-sky-800`;

/**
 * 本日の予約 on 受付一覧: 受付 in one step (today's visit made and linked), 不来院; follows the board's stamp,
 * so a booking or a 受付 at another terminal shows within about a second.
 */
export function TodaysAppointments({ me, stamp }: { me: Me; stamp: string | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const today = useQuery(trpc.appointments.today.queryOptions());
  useEffect(() => {
    if (stamp) void queryClient.invalidateQueries({ queryKey: trpc.appointments.today.queryKey() });
  }, [stamp, queryClient, trpc]);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.appointments.today.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() });
  };
  const checkIn = useMutation(trpc.appointments.checkIn.mutationOptions({ onSettled: refresh }));
  const noShow = useMutation(trpc.appointments.markNoShow.mutationOptions({ onSettled: refresh }));
  // 受付 is reception's (as the check-in itself).
  const reception = me.user.role === 'clerk' || me.user.role === 'admin';
  const rows = (today.data ?? []).filter((a) => a.state !== 'cancelled');
  const waiting = rows.filter((a) => a.state === 'booked').length;
  const error = checkIn.error ?? noShow.error;
  return (
    <details open className="rounded border border-slate-300 bg-white" data-testid="todays-appointments">
      <summary className="cursor-pointer px-3 py-1.5 text-sm font-bold">
        本日の予約 {rows.length}件（未受付 {waiting}件）
        <Link to="/appointments" className="ml-3 text-xs font-normal text-sky-800 underline">
          予約表
        </Link>
      </summary>
      {today.isError && <Banner kind="error">{errorMessage(today.error)}</Banner>}
      {error && <Banner kind="error">{errorMessage(error)}</Banner>}
      {rows.length > 0 && (
        <ul className="grid max-h-48 grid-cols-1 gap-x-4 overflow-auto px-3 pb-2 text-sm md:grid-cols-2 xl:grid-cols-3">
          {rows.map((a) => (
            <li
              key={a.id}
              className="flex items-center gap-2 border-b border-slate-100 py-0.5"
              data-testid="appointment-row"
            >
              <span className="font-mono">{a.startTime}</span>
              <span className="min-w-0 truncate font-medium" title={`${a.familyNameKana} ${a.givenNameKana}`}>
                {a.familyName} {a.givenName}
              </span>
              <span className="truncate text-xs text-slate-600">
                {a.department}
                {a.doctorName ? `・${a.doctorName}` : ''}
              </span>
              <span className={`ml-auto shrink-0 text-xs ${stateClass[a.state]}`}>
                {appointmentStateLabels[a.state]}
              </span>
              {a.state === 'booked' && reception && (
                <button
                  type="button"
                  className={smallPrimary}
                  disabled={checkIn.isPending}
                  aria-label={`${a.familyName} ${a.givenName} を受付`}
                  onClick={() => checkIn.mutate({ appointmentId: a.id, version: a.version })}
                >
                  受付
                </button>
              )}
              {a.state === 'booked' && (
                <button
                  type="button"
                  className={small}
                  disabled={noShow.isPending}
                  aria-label={`${a.familyName} ${a.givenName} を不来院にする`}
                  onClick={() => noShow.mutate({ appointmentId: a.id, version: a.version })}
                >
                  不来院
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {today.isSuccess && rows.length === 0 && (
        <p className="px-3 pb-2 text-sm text-slate-600">本日の予約はありません。</p>
      )}
    </details>
  );
}

export default TodaysAppointments;
