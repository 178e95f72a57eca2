import type { ReactNode } from 'react';

/** A labelled form field with its error beside it (announced to screen readers). */
export function Field(props: {
  label: string;
  htmlFor: string;
  error?: string;
  hint?: string;
  children: ReactNode;
  required?: boolean;
}) {
  const errorId = `${props.htmlFor}-error`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={props.htmlFor} className="text-sm font-medium text-slate-700">
        {props.label}
        {props.required && (
          <span className="ml-1 text-red-600" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {props.children}
      {props.hint && !props.error && <p className="text-xs text-slate-500">{props.hint}</p>}
      {props.error && (
        <p id={errorId} role="alert" className="text-sm text-red-700">
          {props.error}
        </p>
      )}
    </div>
  );
}

export const inputClass =
  'rounded border border-slate-300 bg-white px-3 py-2 text-base focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-200 aria-[invalid=true]:border-red-500';
export const buttonClass =
  'inline-flex items-center justify-center rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-300 disabled:opacity-50';
export const secondaryButtonClass =
  'inline-flex items-center justify-center rounded border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-sky-300 disabled:opacity-50';

export function Banner(props: { kind: 'error' | 'info' | 'warn'; children: ReactNode }) {
  const color = {
    error: 'border-red-300 bg-red-50 text-red-800',
    info: 'border-sky-300 bg-sky-50 text-sky-900',
    warn: 'border-amber-300 bg-amber-50 text-amber-900',
  }[props.kind];
  return (
    <div role={props.kind === 'error' ? 'alert' : 'status'} className={`rounded border px-4 py-3 ${color}`}>
      {props.children}
    </div>
  );
}
