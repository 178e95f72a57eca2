import { useEffect, useRef, useState } from 'react';
import { buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { checkReason } from './checks';

/**
 * Asks why (削除・初診/再診の変更・訂正): the reason is required, Enter confirms, Escape cancels. The
 * message stays beside the field.
 */
export function ReasonDialog(props: {
  title: string;
  label: string;
  action: string;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const submit = () => {
    // The contract's rule (no tab, newline or control character; ≤ 200), so 確定 never refuses it later.
    const checked = checkReason(reason);
    if (!checked.ok) return setError(checked.message);
    props.onConfirm(checked.reason);
    ref.current?.close();
  };
  return (
    <dialog
      ref={ref}
      aria-labelledby="reason-title"
      className="m-auto w-[28rem] rounded border border-slate-300 p-5 shadow-lg backdrop:bg-slate-900/40"
      onClose={props.onClose}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        className="flex flex-col gap-3"
      >
        <h2 id="reason-title" className="text-lg font-bold">
          {props.title}
        </h2>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {props.label}
          <input
            autoFocus
            className={inputClass}
            value={reason}
            aria-invalid={!!error}
            aria-describedby={error ? 'reason-error' : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setError('');
            }}
          />
        </label>
        {error && (
          <p id="reason-error" role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={secondaryButtonClass} onClick={() => ref.current?.close()}>
            やめる
          </button>
          <button type="submit" className={buttonClass}>
            {props.action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
