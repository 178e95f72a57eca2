import { VITAL_FIELDS, VITAL_RANGES, type VitalField, type VitalFields, vitalFields } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

type Texts = Record<VitalField, string>;
const emptyTexts = Object.fromEntries(VITAL_FIELDS.map((f) => [f, ''])) as Texts;

// Full-width digits and point (IME input) read as ASCII.
const ascii = (t: string) =>
  t.trim().replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

/** The typed texts as the contract's values: '' is not measured; anything else must read as a number. */
export function toValues(texts: Texts): Record<VitalField, number | null> {
  return Object.fromEntries(
    VITAL_FIELDS.map((f) => {
      const t = ascii(texts[f]);
      return [f, t === '' ? null : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN];
    }),
  ) as Record<VitalField, number | null>;
}

const textsOf = (v: VitalFields): Texts =>
  Object.fromEntries(VITAL_FIELDS.map((f) => [f, v[f] === null ? '' : String(v[f])])) as Texts;

/** Field → message, whatever the path prefix (`values.`, `correction.values.`). */
const byField = (errors: Record<string, string>) =>
  Object.fromEntries(Object.entries(errors).map(([k, m]) => [k.split('.').at(-1) ?? k, m]));

// Shorter than the messages' names, so the row of inputs stays even.
const formLabels: Partial<Record<VitalField, string>> = { systolic: '収縮期血圧', diastolic: '拡張期血圧' };

const placeholders: Record<VitalField, string> = {
  temperature: '36.8',
  systolic: '128',
  diastolic: '76',
  pulse: '72',
  spo2: '98',
  heightCm: '170',
  weightKg: '65',
};

/**
 * バイタル入力: any of the values (at least one), checked as typed against the contract's ranges, with the
 * server's field errors beside the fields. `correcting` turns it into a 修正 with a reason.
 */
export function VitalsForm(props: {
  patientId: string;
  visitId: string | null;
  correcting?: { id: string; values: VitalFields };
  onDone?: () => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [texts, setTexts] = useState<Texts>(props.correcting ? textsOf(props.correcting.values) : emptyTexts);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const done = () => {
    queryClient.invalidateQueries({ queryKey: trpc.vitals.list.queryKey({ patientId: props.patientId }) });
    queryClient.invalidateQueries({ queryKey: trpc.vitals.draftSources.pathKey() });
    setTexts(emptyTexts);
    setReason('');
    setErrors({});
    props.onDone?.();
  };
  const onError = (e: unknown) => setErrors(byField(fieldErrors(e)));
  const record = useMutation(trpc.vitals.record.mutationOptions({ onSuccess: done, onError }));
  const correct = useMutation(trpc.vitals.correct.mutationOptions({ onSuccess: done, onError }));
  const pending = record.isPending || correct.isPending;
  const failed = record.error ?? correct.error;
  const submit = () => {
    const parsed = vitalFields.safeParse(toValues(texts));
    const local: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) local[String(i.path.at(-1))] ??= i.message;
    if (props.correcting && !reason.trim()) local.reason = '修正理由を入力してください';
    setErrors(local);
    if (!parsed.success || Object.keys(local).length > 0) return;
    if (props.correcting)
      correct.mutate({ vitalId: props.correcting.id, correction: { values: parsed.data, reason } });
    else record.mutate({ patientId: props.patientId, visitId: props.visitId, values: parsed.data });
  };
  // A fixed width per value: an error wraps below its own field instead of widening the row.
  const input = (f: VitalField, first = false) => (
    <div className="w-36">
      <Field
        label={`${formLabels[f] ?? VITAL_RANGES[f].label}（${VITAL_RANGES[f].unit}）`}
        htmlFor={`${id}-${f}`}
        error={errors[f]}
      >
        <input
          id={`${id}-${f}`}
          className={`${inputClass} w-24`}
          inputMode="decimal"
          autoComplete="off"
          placeholder={placeholders[f]}
          autoFocus={first && props.autoFocus}
          aria-invalid={!!errors[f]}
          value={texts[f]}
          onChange={(e) => setTexts((t) => ({ ...t, [f]: e.target.value }))}
        />
      </Field>
    </div>
  );
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      data-testid="vitals-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {failed && Object.keys(fieldErrors(failed)).length === 0 && (
        <Banner kind="error">{errorMessage(failed)}</Banner>
      )}
      <div className="flex flex-wrap items-start gap-3">
        {input('temperature', true)}
        {input('systolic')}
        {input('diastolic')}
        {input('pulse')}
        {input('spo2')}
        {input('heightCm')}
        {input('weightKg')}
      </div>
      {props.correcting && (
        <Field label="修正理由" htmlFor={`${id}-reason`} required error={errors.reason}>
          <input
            id={`${id}-reason`}
            className={inputClass}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {props.correcting ? '修正を保存' : 'バイタルを記録'}
        </button>
        {props.onCancel && (
          <button type="button" className={secondaryButtonClass} onClick={props.onCancel}>
            閉じる
          </button>
        )}
      </div>
    </form>
  );
}
