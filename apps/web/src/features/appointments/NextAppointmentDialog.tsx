import { hhmmOf, SLOT_MINUTES, todayInJapan } from '@karte/domain';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Outputs } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { addDays, nowMinutesInJapan, shortDate, warekiWithWeekday } from './format';
import { firstFreeSlot, isFree } from './slots';

type Calendar = Outputs['appointments']['calendar'];
const WEEKS = [2, 4, 8] as const;

/**
 * The proposal for a target day: the wanted time or the first free slot; when that day is closed (祝日, 年末年始,
 * 休診日) or full, the next open day of the week after it, saying why.
 */
function proposalOf(cal: Calendar | undefined, doctorId: string | null, wanted: string) {
  const target = cal?.days[0];
  if (!cal || !target) return { date: null, time: null, note: '確認中…' };
  // With no doctor named there is nobody to double-book: the wanted time (or the first slot) is offered.
  const taken = doctorId ? cal.appointments.filter((a) => a.doctorId === doctorId) : [];
  for (const day of cal.days) {
    if (day.closed) continue;
    const time = firstFreeSlot(
      day.slots,
      taken.filter((a) => a.date === day.date),
      SLOT_MINUTES,
      wanted,
    );
    if (!time) continue;
    const why = target.closed ? `休診（${target.closed}）` : '空き枠なし';
    return {
      date: day.date,
      time,
      note: day.date === target.date ? '' : `${shortDate(target.date)}は${why}のため`,
    };
  }
  return { date: null, time: null, note: target.closed ? `休診（${target.closed}）` : '空き枠なし' };
}

export default function NextAppointmentDialog(props: {
  patientId: string;
  department?: string;
  doctorId?: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const today = todayInJapan();
  const doctorId = props.doctorId ?? null;
  // The time of now on the slot grid: a patient seen at 10:20 comes back at 10:15.
  const wanted = hhmmOf(Math.floor(nowMinutesInJapan() / SLOT_MINUTES) * SLOT_MINUTES);
  const dates = WEEKS.map((w) => addDays(today, w * 7));
  const calendars = useQueries({
    queries: dates.map((from) => trpc.appointments.calendar.queryOptions({ from, days: 7, doctorId })),
  });
  const [custom, setCustom] = useState('');
  const [customTime, setCustomTime] = useState('');
  const customCal = useQuery({
    ...trpc.appointments.calendar.queryOptions({ from: custom || today, days: 1, doctorId }),
    enabled: custom >= today,
  });
  const customSlots = (customCal.data?.days[0]?.slots ?? []).filter((s) =>
    isFree(
      s,
      SLOT_MINUTES,
      doctorId ? (customCal.data?.appointments ?? []).filter((a) => a.doctorId === doctorId) : [],
    ),
  );
  // The chosen time, or the day's first free slot while none (or a taken one) is chosen.
  const slotTime = customSlots.includes(customTime) ? customTime : (customSlots[0] ?? '');
  const departments = calendars[0]?.data?.departments ?? [];
  const department = props.department ?? departments[0] ?? '';
  const book = useMutation(
    trpc.appointments.book.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.appointments.calendar.queryKey() });
      },
    }),
  );
  const bookAt = (date: string, startTime: string) =>
    book.mutate({
      patientId: props.patientId,
      doctorId,
      department,
      date,
      startTime,
      durationMinutes: SLOT_MINUTES,
      purpose: '再診',
      memo: '',
    });
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const errors = fieldErrors(book.error);
  const booked = book.data;
  return (
    <dialog
      ref={ref}
      aria-labelledby="next-appointment-title"
      className="m-auto w-[30rem] rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
    >
      <div className="flex flex-col gap-3">
        <h2 id="next-appointment-title" className="text-lg font-bold">
          次回予約
        </h2>
        {booked ? (
          <>
            <Banner kind="info">
              {warekiWithWeekday(booked.date)} {booked.startTime}（{booked.department}
              {booked.doctorName ? `・${booked.doctorName}` : ''}）に予約しました。
            </Banner>
            <div className="flex justify-end gap-2">
              <Link className={buttonClass} to={`/appointments/${booked.id}/slip`} autoFocus>
                予約票を印刷
              </Link>
              <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>
                閉じる
              </button>
            </div>
          </>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              同じ曜日の {wanted}（空いていなければその日の最初の空き枠）。{department}
            </p>
            <div className="flex flex-col gap-2">
              {WEEKS.map((w, i) => {
                const p = proposalOf(calendars[i]?.data, doctorId, wanted);
                return (
                  <button
                    key={w}
                    type="button"
                    className={`${secondaryButtonClass} justify-between`}
                    disabled={!p.date || !p.time || book.isPending}
                    autoFocus={w === 4}
                    onClick={() => p.date && p.time && bookAt(p.date, p.time)}
                  >
                    <span className="font-bold">{w}週後</span>
                    <span>
                      {p.note && <span className="mr-2 text-xs text-amber-800">{p.note}</span>}
                      {p.date ? `${shortDate(p.date)} ${p.time}` : shortDate(dates[i] ?? today)}
                    </span>
                  </button>
                );
              })}
            </div>
            <form
              className="flex items-end gap-2 text-sm"
              onSubmit={(e) => {
                e.preventDefault();
                if (custom && slotTime) bookAt(custom, slotTime);
              }}
            >
              <label className="flex flex-col">
                日付を指定
                <input
                  type="date"
                  min={today}
                  className={inputClass}
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                />
              </label>
              <label className="flex flex-col">
                時刻
                <select
                  className={inputClass}
                  value={slotTime}
                  disabled={!custom}
                  onChange={(e) => setCustomTime(e.target.value)}
                >
                  {customSlots.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="submit"
                className={secondaryButtonClass}
                disabled={!custom || !slotTime || book.isPending}
              >
                予約
              </button>
            </form>
            {custom && customCal.data?.days[0]?.closed && (
              <p className="text-sm text-red-700">この日は休診です（{customCal.data.days[0].closed}）</p>
            )}
            {(errors.date || errors.startTime || errors.department) && (
              <p role="alert" className="text-sm text-red-700">
                {errors.date ?? errors.startTime ?? errors.department}
              </p>
            )}
            {book.error && !Object.keys(errors).length && (
              <Banner kind="error">{errorMessage(book.error)}</Banner>
            )}
            <div className="flex justify-end">
              <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>
                閉じる
              </button>
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}
