import { formatBirthDate } from '@karte/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { warekiWithWeekday } from './format';

export interface Doctor {
  id: string;
  displayName: string;
}

type Picked = {
  id: string;
  patientNumber: number;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
};

/** 患者検索 (カナ・漢字・患者番号・生年月日) as on the search page: ↑↓ to choose, Enter to take. */
function PatientPicker(props: { onPick: (p: Picked) => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(text.trim());
      setActive(0);
    }, 200);
    return () => clearTimeout(timer);
  }, [text]);
  const results = useQuery({
    ...trpc.reception.searchPatients.queryOptions({ query, limit: 8 }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
  const rows = query ? (results.data ?? []) : [];
  const current = query === text.trim() && results.isSuccess && !results.isPlaceholderData;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="appointment-patient" className="text-sm font-medium text-slate-700">
        患者（カナ・漢字・患者番号・生年月日）
      </label>
      <input
        id="appointment-patient"
        type="search"
        autoFocus
        autoComplete="off"
        className={inputClass}
        placeholder="例: やまだ　／　123"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, rows.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const row = current ? rows[active] : undefined;
            if (row) props.onPick(row);
          }
        }}
      />
      {rows.length > 0 && (
        <ul
          aria-label="患者の候補"
          className={`max-h-56 overflow-auto rounded border border-slate-200 ${current ? '' : 'opacity-60'}`}
        >
          {rows.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                tabIndex={-1}
                aria-current={i === active}
                className={`flex w-full gap-3 px-2 py-1 text-left text-sm ${i === active ? 'bg-sky-100' : 'hover:bg-slate-50'}`}
                onClick={() => props.onPick(p)}
                onMouseEnter={() => setActive(i)}
              >
                <span className="w-14 font-mono">{p.patientNumber}</span>
                <span className="font-medium">
                  {p.familyName} {p.givenName}
                </span>
                <span className="text-slate-600">
                  {p.familyNameKana} {p.givenNameKana}
                </span>
                <span className="ml-auto text-slate-600">{formatBirthDate(p.birthDate)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {current && rows.length === 0 && <p className="text-sm text-slate-600">該当する患者はいません</p>}
    </div>
  );
}

/** 予約の登録: a slot chosen on the calendar, a patient found by search, the doctor and 診療科. */
export function BookingDialog(props: {
  date: string;
  startTime: string;
  doctors: Doctor[];
  departments: string[];
  doctorId: string | null;
  department: string;
  onBooked: (appointmentId: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const [patient, setPatient] = useState<Picked | null>(null);
  const [doctorId, setDoctorId] = useState(props.doctorId ?? '');
  const [department, setDepartment] = useState(props.department || props.departments[0] || '');
  const [duration, setDuration] = useState(15);
  const [purpose, setPurpose] = useState('再診');
  const [memo, setMemo] = useState('');
  const submit = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  useEffect(() => {
    if (patient) submit.current?.focus();
  }, [patient]);
  const book = useMutation(
    trpc.appointments.book.mutationOptions({
      onSuccess: (a) => {
        void queryClient.invalidateQueries({ queryKey: trpc.appointments.calendar.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.appointments.today.queryKey() });
        props.onBooked(a.id);
      },
    }),
  );
  const errors = fieldErrors(book.error);
  const conflict = book.error && !Object.keys(errors).length ? errorMessage(book.error) : null;
  return (
    <dialog
      ref={ref}
      aria-labelledby="booking-title"
      className="m-auto w-[36rem] rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!patient) return;
          book.mutate({
            patientId: patient.id,
            doctorId: doctorId || null,
            department,
            date: props.date,
            startTime: props.startTime,
            durationMinutes: duration,
            purpose,
            memo,
          });
        }}
      >
        <h2 id="booking-title" className="text-lg font-bold">
          予約の登録　{warekiWithWeekday(props.date)} {props.startTime}
        </h2>
        {patient ? (
          <p className="flex items-center gap-3 rounded bg-sky-50 px-3 py-2" data-testid="booking-patient">
            <span className="font-mono">{patient.patientNumber}</span>
            <span className="font-bold">
              {patient.familyName} {patient.givenName}
            </span>
            <span className="text-slate-600">
              {patient.familyNameKana} {patient.givenNameKana}
            </span>
            <button
              type="button"
              className="ml-auto text-sm text-sky-800 underline"
              onClick={() => setPatient(null)}
            >
              変更
            </button>
          </p>
        ) : (
          <PatientPicker onPick={setPatient} />
        )}
        {errors.patientId && (
          <p role="alert" className="text-sm text-red-700">
            {errors.patientId}
          </p>
        )}
        <div className="grid grid-cols-3 gap-3 text-sm">
          <label className="flex flex-col">
            担当医
            <select className={inputClass} value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
              <option value="">指定なし</option>
              {props.doctors.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.displayName}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col">
            診療科
            <select
              className={inputClass}
              value={department}
              aria-invalid={!!errors.department}
              onChange={(e) => setDepartment(e.target.value)}
            >
              {props.departments.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            {errors.department && (
              <span role="alert" className="text-red-700">
                {errors.department}
              </span>
            )}
          </label>
          <label className="flex flex-col">
            所要時間
            <select
              className={inputClass}
              value={duration}
              onChange={(e) => setDuration(Number(e.target.value))}
            >
              {[15, 30, 45, 60].map((m) => (
                <option key={m} value={m}>
                  {m}分
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="flex flex-col text-sm">
          予約目的
          <input className={inputClass} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
          {errors.purpose && (
            <span role="alert" className="text-red-700">
              {errors.purpose}
            </span>
          )}
        </label>
        <label className="flex flex-col text-sm">
          メモ
          <input className={inputClass} value={memo} onChange={(e) => setMemo(e.target.value)} />
          {errors.memo && (
            <span role="alert" className="text-red-700">
              {errors.memo}
            </span>
          )}
        </label>
        {(errors.date || errors.startTime) && (
          <p role="alert" className="text-sm text-red-700">
            {errors.date ?? errors.startTime}
          </p>
        )}
        {conflict && <Banner kind="error">{conflict}</Banner>}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>
            閉じる
          </button>
          <button ref={submit} type="submit" className={buttonClass} disabled={!patient || book.isPending}>
            予約する
          </button>
        </div>
      </form>
    </dialog>
  );
}
