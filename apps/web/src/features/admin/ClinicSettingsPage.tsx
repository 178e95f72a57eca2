import { zodResolver } from '@hookform/resolvers/zod';
import {
  type ClinicSettingsInput,
  clinicSettingsInput,
  DEPARTMENTS_MAX,
  ssmixDepartments,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type FieldError, useFieldArray, useForm } from 'react-hook-form';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { showServerFieldErrors } from '../../components/InputField';
import { errorCode, errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

/**
 * クリニック設定: name, address, phone, 医療機関コード and the clinic's own 診療科. Saved with the version the
 * form was opened at, so a second administrator's save is refused instead of overwritten.
 */
export default function ClinicSettingsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.clinic.settings.queryOptions());
  const [savedCode, setSavedCode] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<ClinicSettingsInput>({ resolver: zodResolver(clinicSettingsInput) });
  const departments = useFieldArray({ control: form.control, name: 'settings.departments' });
  const data = settings.data;
  useEffect(() => {
    if (!data) return;
    const { version, ...fields } = data;
    form.reset({ expectedVersion: version, settings: fields });
  }, [data, form]);
  const save = useMutation(
    trpc.clinic.save.mutationOptions({
      onSuccess: (result) => {
        setSaved(true);
        if (data && result.institutionCode !== data.institutionCode) setSavedCode(result.institutionCode);
        queryClient.invalidateQueries({ queryKey: trpc.clinic.settings.queryKey() });
        queryClient.invalidateQueries({ queryKey: trpc.clinic.departments.queryKey() });
        queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  const errors = form.formState.errors.settings;
  const codeChanged = !!data && form.watch('settings.institutionCode') !== data.institutionCode;
  if (settings.isError) return <Banner kind="error">{errorMessage(settings.error)}</Banner>;
  if (!data) return <p className="text-sm text-slate-500">読み込み中…</p>;
  return (
    <section className="flex max-w-3xl flex-col gap-4">
      <h1 className="text-xl font-bold">クリニック設定</h1>
      {save.isError &&
        (errorCode(save.error) === 'CONFLICT' && !fieldErrors(save.error)['settings.institutionCode'] ? (
          <Banner kind="error">
            {errorMessage(save.error)}{' '}
            <button type="button" className="underline" onClick={() => settings.refetch()}>
              最新の内容を読み込む
            </button>
          </Banner>
        ) : (
          <Banner kind="error">{errorMessage(save.error)}</Banner>
        ))}
      {saved && !save.isError && (
        <Banner kind="info">
          保存しました。
          {savedCode && `ログインには新しい医療機関コード ${savedCode} を使います（職員に伝えてください）。`}
        </Banner>
      )}
      <form
        className="flex flex-col gap-4 rounded border border-slate-200 bg-white p-4"
        onSubmit={form.handleSubmit((v) => {
          setSaved(false);
          setSavedCode(null);
          save.mutate(v);
        })}
        noValidate
      >
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field label="医療機関名" htmlFor="clinic-name" required error={errors?.name?.message}>
            <input id="clinic-name" className={inputClass} {...form.register('settings.name')} />
          </Field>
          <Field
            label="医療機関コード"
            htmlFor="clinic-code"
            required
            error={errors?.institutionCode?.message}
            hint={codeChanged ? undefined : '10桁（都道府県・点数表・郡市区・医療機関番号・検証番号）'}
          >
            <input
              id="clinic-code"
              className={`${inputClass} font-mono`}
              inputMode="numeric"
              maxLength={10}
              {...form.register('settings.institutionCode')}
            />
          </Field>
          <Field label="所在地" htmlFor="clinic-address" error={errors?.address?.message}>
            <input id="clinic-address" className={inputClass} {...form.register('settings.address')} />
          </Field>
          <Field label="電話番号" htmlFor="clinic-phone" error={errors?.phone?.message}>
            <input id="clinic-phone" className={inputClass} {...form.register('settings.phone')} />
          </Field>
        </div>
        {codeChanged && (
          <Banner kind="warn">
            医療機関コードを変えると、保存後のログインでは新しいコードを入力します。処方箋・紹介状などの文書にも新しいコードが載ります。
          </Banner>
        )}
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-bold">診療科</legend>
          <p className="text-sm text-slate-600">
            受付で選ぶ診療科です。標準の診療科（SS-MIX2
            診療科コード）は地域医療連携の送信に使います。削除しても、過去の受付の診療科はそのまま残ります。
          </p>
          {errors?.departments?.message && (
            <p role="alert" className="text-sm text-red-700">
              {errors.departments.message}
            </p>
          )}
          <table className="w-full border-collapse text-left text-sm" aria-label="診療科一覧">
            <thead>
              <tr className="border-b border-slate-300 text-slate-600">
                <th className="px-2 py-1">診療科名</th>
                <th className="px-2 py-1">標準の診療科</th>
                <th className="px-2 py-1" />
              </tr>
            </thead>
            <tbody>
              {departments.fields.map((f, i) => {
                const rowErrors = (
                  errors?.departments as unknown as { name?: FieldError; code?: FieldError }[] | undefined
                )?.[i];
                return (
                  <tr key={f.id} className="border-b border-slate-100 align-top">
                    <td className="px-2 py-1">
                      <input
                        aria-label={`診療科名 ${i + 1}`}
                        className={inputClass}
                        {...form.register(`settings.departments.${i}.name`)}
                      />
                      {rowErrors?.name?.message && (
                        <p role="alert" className="text-sm text-red-700">
                          {rowErrors.name.message}
                        </p>
                      )}
                    </td>
                    <td className="px-2 py-1">
                      <select
                        aria-label={`標準の診療科 ${i + 1}`}
                        className={inputClass}
                        {...form.register(`settings.departments.${i}.code`)}
                      >
                        {ssmixDepartments.map((d) => (
                          <option key={d.code} value={d.code}>
                            {d.code} {d.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="px-2 py-1 text-right whitespace-nowrap">
                      <button
                        type="button"
                        className={`${secondaryButtonClass} mr-1`}
                        aria-label={`${i + 1}行目を上へ`}
                        disabled={i === 0}
                        onClick={() => departments.move(i, i - 1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        aria-label={`${i + 1}行目を削除`}
                        onClick={() => departments.remove(i)}
                      >
                        削除
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div>
            <button
              type="button"
              className={secondaryButtonClass}
              disabled={departments.fields.length >= DEPARTMENTS_MAX}
              onClick={() => departments.append({ code: '01', name: '' })}
            >
              診療科を追加
            </button>
          </div>
          <p className="text-xs text-slate-500">
            先頭の診療科は、地域医療連携（電子カルテ情報共有）で送る記録の診療科になります。
          </p>
        </fieldset>
        <div>
          <button type="submit" className={buttonClass} disabled={save.isPending}>
            保存する
          </button>
        </div>
      </form>
    </section>
  );
}
