import { useEffect, useRef, useState } from 'react';
import type { Me } from '../../App';
import { secondaryButtonClass } from '../../components/Field';
import { IntakeForm } from './IntakeForm';
import { TodayVitals } from './TodayVitals';
import { VitalsForm } from './VitalsForm';

/** The board row's バイタル action (nurses and clerks): a small dialog for the values and the 問診. */
export function BoardVitalsButton(props: {
  me: Me;
  visit: { id: string; patientId: string; familyName: string; givenName: string; state: string };
}) {
  const [open, setOpen] = useState(false);
  if (props.me.user.role !== 'nurse' && props.me.user.role !== 'clerk') return null;
  return (
    <>
      <button
        type="button"
        className={`${secondaryButtonClass} px-2 py-1 text-sm`}
        onClick={() => setOpen(true)}
      >
        バイタル
      </button>
      {open && (
        <VitalsDialog
          id={props.visit.id}
          patientId={props.visit.patientId}
          familyName={props.visit.familyName}
          givenName={props.visit.givenName}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

/** Modal: Escape closes it, the first value has the focus. */
export function VitalsDialog(props: {
  id: string;
  patientId: string;
  familyName: string;
  givenName: string;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState<'vitals' | 'intake'>('vitals');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control (the tab): the first value is what is typed first.
    dialog?.querySelector<HTMLInputElement>('input[inputmode=decimal]')?.focus();
  }, []);
  const tabClass = (t: typeof tab) =>
    `border-b-2 px-3 py-1 ${tab === t ? 'border-sky-700 font-bold text-sky-900' : 'border-transparent text-slate-600'}`;
  return (
    <dialog
      ref={ref}
      aria-labelledby="vitals-dialog-title"
      className="m-auto w-[52rem] max-w-[95vw] rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
      data-testid="vitals-dialog"
    >
      <h2 id="vitals-dialog-title" className="mb-2 text-lg font-bold">
        {props.familyName} {props.givenName} さん
      </h2>
      <div className="mb-3 flex gap-1" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'vitals'}
          className={tabClass('vitals')}
          onClick={() => setTab('vitals')}
        >
          バイタル
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'intake'}
          className={tabClass('intake')}
          onClick={() => setTab('intake')}
        >
          問診
        </button>
      </div>
      {tab === 'vitals' ? (
        <div className="flex flex-col gap-3">
          <TodayVitals patientId={props.patientId} />
          <VitalsForm patientId={props.patientId} visitId={props.id} onCancel={() => ref.current?.close()} />
        </div>
      ) : (
        <IntakeForm visitId={props.id} onClose={() => ref.current?.close()} />
      )}
    </dialog>
  );
}
