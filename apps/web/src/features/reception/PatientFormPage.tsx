import { zodResolver } from '@hookform/resolvers/zod';
import {
  emptyPatientFields,
  formatBirthDate,
  type PatientFields,
  parseDateText,
  patientFields,
  sexLabels,
  sexValues,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type DefaultValues, useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorCode, errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { type Patient, PatientHeader } from './PatientHeader';

function PatientForm(props: {
  defaultValues: DefaultValues<PatientFields>;
  submitLabel: string;
  pending: boolean;
  serverError: unknown;
  onSubmit: (values: PatientFields) => void;
  children?: React.ReactNode;
}) {
  const form = useForm<PatientFields>({
    resolver: zodResolver(patientFields),
    defaultValues: props.defaultValues,
  });
  const errors = form.formState.errors;
  const [shownServerError, setShownServerError] = useState<unknown>(null);
  // Field messages from the server go beside their fields, like the browser's own checks.
  if (props.serverError && props.serverError !== shownServerError) {
    setShownServerError(props.serverError);
    showServerFieldErrors(form, fieldErrors(props.serverError));
  }
  const birthDate = form.watch('birthDate');
  const text = (
    name: keyof PatientFields,
    label: string,
    opts: { required?: boolean; hint?: string; autoFocus?: boolean; autoComplete?: string } = {},
  ) => <InputField form={form} name={name} label={label} {...opts} />;
  return (
    <form className="flex flex-col gap-4" onSubmit={form.handleSubmit(props.onSubmit)} noValidate>
      {props.children}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {text('familyName', '姓（漢字）', { required: true, autoFocus: true })}
        {text('givenName', '名（漢字）', { required: true })}
        {text('familyNameKana', 'セイ（カナ）', {
          required: true,
          hint: 'ひらがな・半角カナでも入力できます',
        })}
        {text('givenNameKana', 'メイ（カナ）', { required: true })}
        <Field label="性別" htmlFor="sex" error={errors.sex?.message} required>
          <select
            id="sex"
            className={inputClass}
            aria-invalid={!!errors.sex}
            aria-describedby={errors.sex ? 'sex-error' : undefined}
            {...form.register('sex')}
          >
            <option value="">選択してください</option>
            {sexValues.map((s) => (
              <option key={s} value={s}>
                {sexLabels[s]}
              </option>
            ))}
          </select>
        </Field>
        <InputField
          form={form}
          name="birthDate"
          label="生年月日"
          required
          hint={
            birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) && !errors.birthDate
              ? formatBirthDate(birthDate)
              : '例: 1975-04-01、19750401、S50.4.1'
          }
          options={{ setValueAs: (v: string) => parseDateText(v) ?? v.trim() }}
        />
        {text('postalCode', '郵便番号', { hint: '例: 100-0001', autoComplete: 'postal-code' })}
        {text('phone', '電話番号', { hint: '例: 03-1234-5678', autoComplete: 'tel' })}
        <div className="md:col-span-2">{text('address', '住所', { autoComplete: 'street-address' })}</div>
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={props.pending}>
          {props.pending ? '保存中…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

export function PatientRegisterPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<PatientFields | null>(null);
  const register = useMutation(
    trpc.reception.registerPatient.mutationOptions({
      onSuccess: (result) => {
        if (result.status === 'created') {
          queryClient.invalidateQueries({ queryKey: trpc.reception.searchPatients.pathKey() });
          navigate(`/patients/${result.patient.id}`, { state: { created: true } });
        }
      },
    }),
  );
  const duplicates = register.data?.status === 'duplicate' ? register.data.candidates : null;
  return (
    <section className="flex max-w-3xl flex-col gap-4">
      <h1 className="text-xl font-bold">新患登録</h1>
      <PatientForm
        defaultValues={emptyPatientFields}
        submitLabel="登録する"
        pending={register.isPending}
        serverError={register.error}
        onSubmit={(values) => {
          setPending(values);
          register.mutate(values);
        }}
      >
        {register.isError && <Banner kind="error">{errorMessage(register.error)}</Banner>}
        {duplicates && pending && (
          <Banner kind="warn">
            <p className="font-medium">
              同じ氏名・生年月日の患者が既に登録されています。重複登録ではありませんか？
            </p>
            <ul className="my-2 list-disc pl-6">
              {duplicates.map((d) => (
                <li key={d.id}>
                  <Link className="underline" to={`/patients/${d.id}`}>
                    患者番号 {d.patientNumber}: {d.familyName} {d.givenName}（{d.familyNameKana}{' '}
                    {d.givenNameKana}）{formatBirthDate(d.birthDate)}
                  </Link>
                </li>
              ))}
            </ul>
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() => register.mutate({ ...pending, confirmDuplicate: true })}
            >
              別の患者として登録する
            </button>
          </Banner>
        )}
      </PatientForm>
    </section>
  );
}

export function PatientEditPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const patient = useQuery(trpc.reception.getPatient.queryOptions({ id }, { staleTime: 0 }));
  const update = useMutation(
    trpc.reception.updatePatient.mutationOptions({
      onSuccess: (p) => {
        queryClient.setQueryData(trpc.reception.getPatient.queryKey({ id }), p);
        queryClient.invalidateQueries({ queryKey: trpc.reception.searchPatients.pathKey() });
        navigate(`/patients/${id}`);
      },
    }),
  );
  if (patient.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (patient.isError) return <Banner kind="error">{errorMessage(patient.error)}</Banner>;
  const p: Patient = patient.data;
  const { id: _id, patientNumber: _n, version, updatedAt: _u, ...fields } = p;
  return (
    <section className="flex max-w-3xl flex-col gap-4">
      <PatientHeader patient={p} />
      <h1 className="text-xl font-bold">患者情報の編集</h1>
      <PatientForm
        key={version}
        defaultValues={fields}
        submitLabel="保存する"
        pending={update.isPending}
        serverError={update.error}
        onSubmit={(values) => update.mutate({ ...values, id, version })}
      >
        {update.isError && (
          <Banner kind={errorCode(update.error) === 'CONFLICT' ? 'warn' : 'error'}>
            {errorMessage(update.error)}
            {errorCode(update.error) === 'CONFLICT' && (
              <button
                type="button"
                className={`${secondaryButtonClass} ml-3`}
                onClick={() => {
                  update.reset();
                  patient.refetch();
                }}
              >
                最新の内容を読み込む
              </button>
            )}
          </Banner>
        )}
      </PatientForm>
    </section>
  );
}
