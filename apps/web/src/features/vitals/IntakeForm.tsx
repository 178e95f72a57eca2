import { ALLERGY_CHOICES, type IntakeFields, intakeFields, PREGNANCY_CHOICES } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorCode, errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

const blank: IntakeFields = {
  chiefComplaint: '',
  course: '',
  medication: '',
  allergy: 'unknown',
  allergyDetail: '',
  pregnancy: 'na',
};

/** 問診: filled at reception for today's visit; each save a new version (an older base is a conflict). */
export function IntakeForm({ visitId, onClose }: { visitId: string; onClose?: () => void }) {
  const trpc = useTRPC();
  const intake = useQuery(trpc.vitals.intake.queryOptions({ visitId }));
  if (intake.isError) return <Banner kind="error">{errorMessage(intake.error)}</Banner>;
  if (!intake.data) return <p className="text-sm text-slate-500">読み込み中…</p>;
  const current = intake.data.intake;
  // Remounted on a new version (after a reload), so the form starts from it.
  return (
    <IntakeEditor
      key={current?.version ?? 0}
      visitId={visitId}
      base={current?.version ?? 0}
      initial={current?.fields ?? blank}
      savedBy={
        current ? `${current.enteredBy} ${new Date(current.savedAt).toLocaleTimeString('ja-JP')}` : null
      }
      onClose={onClose}
    />
  );
}

function IntakeEditor(props: {
  visitId: string;
  base: number;
  initial: IntakeFields;
  savedBy: string | null;
  onClose?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [v, setV] = useState<IntakeFields>(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const reload = () =>
    queryClient.invalidateQueries({ queryKey: trpc.vitals.intake.queryKey({ visitId: props.visitId }) });
  const save = useMutation(
    trpc.vitals.saveIntake.mutationOptions({
      onSuccess: () => {
        reload();
        queryClient.invalidateQueries({ queryKey: trpc.vitals.draftSources.pathKey() });
      },
      onError: (e) =>
        setErrors(
          Object.fromEntries(Object.entries(fieldErrors(e)).map(([k, m]) => [k.replace(/^fields\./, ''), m])),
        ),
    }),
  );
  const set = <K extends keyof IntakeFields>(k: K, value: IntakeFields[K]) =>
    setV((o) => ({ ...o, [k]: value }));
  const submit = () => {
    const parsed = intakeFields.safeParse(v);
    if (!parsed.success) {
      const local: Record<string, string> = {};
      for (const i of parsed.error.issues) local[String(i.path[0])] ??= i.message;
      setErrors(local);
      return;
    }
    setErrors({});
    save.mutate({ visitId: props.visitId, baseVersion: props.base, fields: parsed.data });
  };
  const conflict = errorCode(save.error) === 'CONFLICT';
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      data-testid="intake-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {conflict ? (
        <Banner kind="warn">
          {errorMessage(save.error)}
          <button type="button" className="ml-2 underline" onClick={reload}>
            最新の内容を読み込む
          </button>
        </Banner>
      ) : (
        save.isError &&
        Object.keys(fieldErrors(save.error)).length === 0 && (
          <Banner kind="error">{errorMessage(save.error)}</Banner>
        )
      )}
      {save.isSuccess && <Banner kind="info">問診を保存しました（第{save.data.version}版）。</Banner>}
      {!save.isSuccess && props.savedBy && (
        <p className="text-sm text-slate-500">
          第{props.base}版 保存済み（{props.savedBy}）
        </p>
      )}
      <Field label="主訴" htmlFor={`${id}-cc`} required error={errors.chiefComplaint}>
        <input
          id={`${id}-cc`}
          className={inputClass}
          value={v.chiefComplaint}
          onChange={(e) => set('chiefComplaint', e.target.value)}
        />
      </Field>
      <Field label="症状の経過" htmlFor={`${id}-course`} error={errors.course}>
        <textarea
          id={`${id}-course`}
          className={`${inputClass} min-h-16`}
          value={v.course}
          onChange={(e) => set('course', e.target.value)}
        />
      </Field>
      <Field label="服薬（現在飲んでいる薬）" htmlFor={`${id}-med`} error={errors.medication}>
        <textarea
          id={`${id}-med`}
          className={`${inputClass} min-h-12`}
          value={v.medication}
          onChange={(e) => set('medication', e.target.value)}
        />
      </Field>
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className="mb-1 font-medium text-slate-700">アレルギーの有無</legend>
        {(Object.keys(ALLERGY_CHOICES) as IntakeFields['allergy'][]).map((k) => (
          <label key={k} className="flex items-center gap-1">
            <input
              type="radio"
              name={`${id}-allergy`}
              checked={v.allergy === k}
              onChange={() => set('allergy', k)}
            />
            {ALLERGY_CHOICES[k]}
          </label>
        ))}
        <input
          aria-label="アレルギーの内容"
          placeholder="内容（例: ペニシリン、卵）"
          className={`${inputClass} min-w-60 flex-1`}
          aria-invalid={!!errors.allergyDetail}
          value={v.allergyDetail}
          onChange={(e) => set('allergyDetail', e.target.value)}
        />
        {errors.allergyDetail && (
          <p role="alert" className="w-full text-sm text-red-700">
            {errors.allergyDetail}
          </p>
        )}
      </fieldset>
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className="mb-1 font-medium text-slate-700">妊娠・授乳</legend>
        {(Object.keys(PREGNANCY_CHOICES) as IntakeFields['pregnancy'][]).map((k) => (
          <label key={k} className="flex items-center gap-1">
            <input
              type="radio"
              name={`${id}-pregnancy`}
              checked={v.pregnancy === k}
              onChange={() => set('pregnancy', k)}
            />
            {PREGNANCY_CHOICES[k]}
          </label>
        ))}
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          問診を保存
        </button>
        {props.onClose && (
          <button type="button" className={secondaryButtonClass} onClick={props.onClose}>
            閉じる
          </button>
        )}
      </div>
    </form>
  );
}
