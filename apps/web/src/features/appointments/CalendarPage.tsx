import { type AppointmentState, appointmentStateLabels, hhmmOf, todayInJapan } from '@karte/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Me } from '../../App';
import { Banner, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { type Appointment, AppointmentDialog } from './AppointmentDialog';
import { BookingDialog } from './BookingDialog';
import { addDays, minutesOf, mondayOf, shortDate, warekiWithWeekday } from './format';

const stateClass: Record<AppointmentState, string> = {
  booked: 'bg-sky-100 text-sky-950 border-sky-300',
  checked_in: 'bg-emerald-100 text-emerald-950 border-emerald-300',
  no_show: 'bg-red-50 text-red-800 border-red-200 line-through',
  cancelled: 'bg-slate-50 text-slate-400 border-slate-200 line-through',
};

/**
 * 予約表: a day or a week of the clinic's slots (from its 診療時間 and 休診日), per doctor and 診療科.
 * ←↑→↓ move between slots, Enter books the chosen slot, D / W switch 日 / 週, PageUp / PageDown page.
 */
export function CalendarPage({ me }: { me: Me }) {
  const trpc = useTRPC();
  const today = todayInJapan();
  const [view, setView] = useState<'day' | 'week'>('week');
  const [anchor, setAnchor] = useState(today);
  const [doctorId, setDoctorId] = useState(me.user.role === 'doctor' ? me.user.id : '');
  const [department, setDepartment] = useState('');
  const [showCancelled, setShowCancelled] = useState(false);
  const from = view === 'week' ? mondayOf(anchor) : anchor;
  const days = view === 'week' ? 7 : 1;
  const calendar = useQuery({
    ...trpc.appointments.calendar.queryOptions({
      from,
      days,
      doctorId: doctorId || null,
      department: department || undefined,
    }),
    placeholderData: keepPreviousData,
  });
  const data = calendar.data;
  const slotMinutes = data?.slotMinutes ?? 15;
  // Rows: every slot any shown day has, in time order.
  const times = useMemo(() => [...new Set((data?.days ?? []).flatMap((d) => d.slots))].sort(), [data]);
  const [cell, setCell] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const [booking, setBooking] = useState<{ date: string; time: string } | null>(null);
  const [opened, setOpened] = useState<Appointment | null>(null);
  const [justBooked, setJustBooked] = useState<string | null>(null);
  const grid = useRef<HTMLDivElement>(null);
  // A new week or day: the cursor on today's column (or the first) and the first row.
  useEffect(() => {
    const col = Math.max(
      0,
      (data?.days ?? []).findIndex((d) => d.date === anchor),
    );
    setCell({ row: 0, col });
  }, [data?.days, anchor]);

  const inCell = (date: string, time: string) => {
    const start = minutesOf(time);
    return (data?.appointments ?? []).filter(
      (a) =>
        a.date === date &&
        minutesOf(a.startTime) >= start &&
        minutesOf(a.startTime) < start + slotMinutes &&
        (showCancelled || a.state !== 'cancelled'),
    );
  };
  const open = (row: number, col: number) => {
    const day = data?.days[col];
    const time = times[row];
    if (!day || !time || day.closed || !day.slots.includes(time)) return;
    if (day.date < today) return;
    setBooking({ date: day.date, time });
  };
  const page = (n: number) => setAnchor(addDays(anchor, n * days));
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null;
    if (booking || opened) return; // the dialog has the keyboard
    if (e.altKey || e.ctrlKey || e.metaKey || (t && ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)))
      return;
    const cols = data?.days.length ?? 1;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      setCell(({ row, col }) => ({
        row: Math.min(Math.max(row + m[0], 0), Math.max(times.length - 1, 0)),
        col: Math.min(Math.max(col + m[1], 0), cols - 1),
      }));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(cell.row, cell.col);
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      page(e.key === 'PageDown' ? 1 : -1);
    } else if (e.key === 'd' || e.key === 'w') {
      setView(e.key === 'd' ? 'day' : 'week');
    }
  };
  // The table listens to the keyboard while no field has the focus (as the board does).
  const keys = useRef(onKeyDown);
  keys.current = onKeyDown;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  // The chosen cell stays in view.
  useEffect(() => {
    grid.current
      ?.querySelector(`[data-row="${cell.row}"][data-col="${cell.col}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [cell]);

  const activeDay = data?.days[cell.col];
  const activeTime = times[cell.row];
  return (
    <section className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <h1 className="text-xl font-bold">予約</h1>
        <fieldset className="flex rounded border border-slate-300">
          <legend className="sr-only">表示</legend>
          {(['day', 'week'] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              className={`px-3 py-2 text-sm ${view === v ? 'bg-sky-700 text-white' : 'bg-white hover:bg-slate-100'}`}
              onClick={() => setView(v)}
            >
              {v === 'day' ? '日' : '週'}
            </button>
          ))}
        </fieldset>
        <div className="flex items-center gap-1">
          <button type="button" className={secondaryButtonClass} onClick={() => page(-1)} aria-label="前へ">
            ←
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => setAnchor(today)}>
            今日
          </button>
          <button type="button" className={secondaryButtonClass} onClick={() => page(1)} aria-label="次へ">
            →
          </button>
          <input
            type="date"
            aria-label="日付"
            className={inputClass}
            value={anchor}
            onChange={(e) => e.target.value && setAnchor(e.target.value)}
          />
        </div>
        <label className="flex flex-col text-sm">
          担当医
          <select className={inputClass} value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
            <option value="">すべて</option>
            {(data?.doctors ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col text-sm">
          診療科
          <select className={inputClass} value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">すべて</option>
            {(data?.departments ?? []).map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input
            type="checkbox"
            checked={showCancelled}
            onChange={(e) => setShowCancelled(e.target.checked)}
          />
          取消も表示
        </label>
      </div>
      <p className="text-xs text-slate-500">
        ←↑→↓ で枠を選択、Enter で予約、PageUp/PageDown で前後、D/W
        で日・週。予約をクリックすると変更・取消・予約票。
        {activeDay && activeTime && (
          <span className="ml-2 font-medium text-slate-700" data-testid="active-slot">
            選択中: {warekiWithWeekday(activeDay.date)} {activeTime}
          </span>
        )}
      </p>
      {justBooked && (
        <Banner kind="info">
          予約しました。
          <Link className="ml-2 text-sky-800 underline" to={`/appointments/${justBooked}/slip`}>
            予約票を印刷
          </Link>
        </Banner>
      )}
      {calendar.isError && <Banner kind="error">{errorMessage(calendar.error)}</Banner>}
      {data && times.length === 0 && <Banner kind="info">この期間は休診です。</Banner>}
      {data && times.length > 0 && (
        <div
          ref={grid}
          className="max-h-[calc(100vh-13rem)] overflow-auto rounded border border-slate-300 bg-white"
        >
          <table
            className="w-full table-fixed border-collapse text-sm"
            aria-label="予約表"
            aria-busy={calendar.isPlaceholderData}
          >
            <thead className="sticky top-0 z-10 bg-slate-100">
              <tr>
                <th className="w-16 border-b border-slate-300 px-1 py-1 text-left font-normal text-slate-600">
                  時刻
                </th>
                {data.days.map((d) => (
                  <th
                    key={d.date}
                    className={`border-b border-l border-slate-300 px-2 py-1 text-left ${d.date === today ? 'bg-sky-100' : ''}`}
                  >
                    {shortDate(d.date)}
                    {d.closed && (
                      <span className="ml-1 text-xs font-normal text-red-700">休診（{d.closed}）</span>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {times.map((time, row) => (
                <tr
                  key={time}
                  className={time.endsWith(':00') ? 'border-t border-slate-300' : 'border-t border-slate-100'}
                >
                  <th className="px-1 py-0.5 text-left align-top font-mono text-xs font-normal text-slate-600">
                    {time}
                  </th>
                  {data.days.map((d, col) => {
                    const isSlot = !d.closed && d.slots.includes(time);
                    const active = cell.row === row && cell.col === col;
                    const here = inCell(d.date, time);
                    return (
                      <td
                        key={d.date}
                        aria-current={active}
                        data-row={row}
                        data-col={col}
                        data-slot={`${d.date} ${time}`}
                        className={`h-8 border-l border-slate-200 p-0.5 align-top ${
                          isSlot ? (d.date < today ? 'bg-slate-50' : '') : 'bg-slate-200/70'
                        } ${active ? 'outline outline-2 -outline-offset-2 outline-sky-600' : ''}`}
                      >
                        <div className="flex flex-col gap-0.5">
                          {here.map((a) => (
                            <button
                              key={a.id}
                              type="button"
                              tabIndex={-1}
                              title={`${a.startTime}〜${hhmmOf(minutesOf(a.startTime) + a.durationMinutes)} ${a.familyName} ${a.givenName}（${appointmentStateLabels[a.state]}）`}
                              className={`truncate rounded border px-1 text-left text-xs ${stateClass[a.state]}`}
                              onClick={() => {
                                setCell({ row, col });
                                setOpened(a);
                              }}
                            >
                              {a.startTime !== time && `${a.startTime} `}
                              {a.familyName} {a.givenName}
                              {!doctorId && a.doctorName && (
                                <span className="ml-1 opacity-70">{a.doctorName}</span>
                              )}
                            </button>
                          ))}
                          {isSlot && d.date >= today && (
                            <button
                              type="button"
                              tabIndex={-1}
                              aria-label={`${shortDate(d.date)} ${time} に予約`}
                              className="min-h-5 rounded text-left text-xs text-transparent hover:bg-sky-50 hover:text-sky-800"
                              onClick={() => {
                                setCell({ row, col });
                                open(row, col);
                              }}
                            >
                              ＋予約
                            </button>
                          )}
                        </div>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {booking && data && (
        <BookingDialog
          date={booking.date}
          startTime={booking.time}
          doctors={data.doctors}
          departments={data.departments}
          doctorId={doctorId || null}
          department={department}
          onBooked={(id) => {
            setJustBooked(id);
            setBooking(null);
          }}
          onClose={() => {
            setBooking(null);
          }}
        />
      )}
      {opened && (
        <AppointmentDialog
          appointment={opened}
          onClose={() => {
            setOpened(null);
          }}
        />
      )}
    </section>
  );
}

export default CalendarPage;
