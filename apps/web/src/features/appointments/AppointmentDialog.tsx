import { appointmentStateLabels, todayInJapan } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Outputs } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { warekiWithWeekday } from './format';

export type Appointment = Outputs['appointments']['calendar']['appointments'][number];

/** One appointment: its 予約票, a move to another date or time, 不来院, or a cancel with its reason. */
export function AppointmentDialog(props: { appointment: Appointment; onClose: () => void }) {
  const a = props.appointment;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const [date, setDate] = useState(a.date);
  const [time, setTime] = useState(a.startTime);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const done = {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: trpc.appointments.calendar.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.appointments.today.queryKey() });
      ref.current?.close();
    },
  };
  const move = useMutation(trpc.appointments.move.mutationOptions(done));
  const cancel = useMutation(trpc.appointments.cancel.mutationOptions(done));
  const noShow = useMutation(trpc.appointments.markNoShow.mutationOptions(done));
  const error = move.error ?? cancel.error ?? noShow.error;
  const errors = fieldErrors(error);
  const booked = a.state === 'booked';
  return (
    <dialog
      ref={ref}
      aria-labelledby="appointment-title"
      className="m-auto w-[32rem] rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
    >
      <div className="flex flex-col gap-3">
        <h2 id="appointment-title" className="text-lg font-bold">
          {a.familyName} {a.givenName}（{a.familyNameKana} {a.givenNameKana}）
        </h2>
        <p>
          {warekiWithWeekday(a.date)} {a.startTime}（{a.durationMinutes}分）　{a.department}　
          {a.doctorName ?? '担当医指定なし'}
          <span className="ml-2 rounded bg-slate-100 px-2 text-sm">{appointmentStateLabels[a.state]}</span>
        </p>
        {a.purpose && <p className="text-sm">目的: {a.purpose}</p>}
        {a.memo && <p className="text-sm text-slate-600">{a.memo}</p>}
        {a.cancelReason && <p className="text-sm text-slate-600">取消理由: {a.cancelReason}</p>}
        <div className="flex flex-wrap gap-2">
          <Link className={secondaryButtonClass} to={`/appointments/${a.id}/slip`}>
            予約票
          </Link>
          {booked && a.date <= todayInJapan() && (
            <button
              type="button"
              className={secondaryButtonClass}
              disabled={noShow.isPending}
              onClick={() => noShow.mutate({ appointmentId: a.id, version: a.version })}
            >
              不来院
            </button>
          )}
        </div>
        {booked && (
          <form
            className="flex items-end gap-2 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              move.mutate({
                appointmentId: a.id,
                version: a.version,
                date,
                startTime: time,
                doctorId: a.doctorId,
                durationMinutes: a.durationMinutes,
              });
            }}
          >
            <label className="flex flex-col">
              変更後の日付
              <input
                type="date"
                className={inputClass}
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            </label>
            <label className="flex flex-col">
              時刻
              <input
                type="time"
                step={300}
                className={inputClass}
                value={time}
                onChange={(e) => setTime(e.target.value)}
              />
            </label>
            <button type="submit" className={secondaryButtonClass} disabled={move.isPending}>
              日時を変更
            </button>
          </form>
        )}
        {booked && (
          <form
            className="flex items-end gap-2 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              cancel.mutate({ appointmentId: a.id, version: a.version, reason });
            }}
          >
            <label className="flex flex-1 flex-col">
              取消の理由
              <input
                className={inputClass}
                value={reason}
                aria-invalid={!!errors.reason}
                onChange={(e) => setReason(e.target.value)}
              />
              {errors.reason && (
                <span role="alert" className="text-red-700">
                  {errors.reason}
                </span>
              )}
            </label>
            <button
              type="submit"
              className={`${buttonClass} bg-red-700 hover:bg-red-800`}
              disabled={cancel.isPending}
            >
              予約を取消
            </button>
          </form>
        )}
        {(errors.date || errors.startTime) && (
          <p role="alert" className="text-sm text-red-700">
            {errors.date ?? errors.startTime}
          </p>
        )}
        {error && !Object.keys(errors).length && <Banner kind="error">{errorMessage(error)}</Banner>}
        <div className="flex justify-end">
          <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>
            閉じる
          </button>
        </div>
      </div>
    </dialog>
  );
}
