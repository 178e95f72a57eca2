import { zodResolver } from '@hookform/resolvers/zod';
import { type PublicSubsidyFields, publicSubsidyFields, publicSubsidyLabel, toWareki } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Outputs } from '../../App';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { dateHint } from '../../lib/dates';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

type Subsidy = Outputs['reception']['insurance']['subsidies'][number];

export function PublicSubsidyPanel(props: { patientId: string; subsidies: Subsidy[]; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const refresh = () =>
    queryClient.invalidateQueries({
      queryKey: trpc.reception.insurance.queryKey({ patientId: props.patientId }),
    });
  const free = [1, 2, 3, 4].find((p) => !props.subsidies.some((s) => s.priority === p));
  const form = useForm<PublicSubsidyFields>({
    resolver: zodResolver(publicSubsidyFields),
    values: {
      priority: free ?? 1,
      payerNumber: '',
      recipientNumber: '',
      validFrom: '',
      validUntil: '',
      monthlyCap: null,
    },
  });
  const add = useMutation(
    trpc.reception.addPublicSubsidy.mutationOptions({
      onSuccess: () => {
        setAdding(false);
        refresh();
      },
      onError: (error) =>
        showServerFieldErrors(
          form,
          Object.fromEntries(
            Object.entries(fieldErrors(error)).map(([k, v]) => [k.replace(/^subsidy\./, ''), v]),
          ),
        ),
    }),
  );
  const remove = useMutation(trpc.reception.removePublicSubsidy.mutationOptions({ onSuccess: refresh }));
  const payer = form.watch('payerNumber');
  const [validFrom, validUntil] = form.watch(['validFrom', 'validUntil']);
  return (
    <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="subsidy-heading">
      <div className="mb-3 flex items-center justify-between">
        <h2 id="subsidy-heading" className="text-lg font-bold">
          公費
        </h2>
        {props.canEdit && free && !adding && (
          <button type="button" className={secondaryButtonClass} onClick={() => setAdding(true)}>
            公費を追加
          </button>
        )}
      </div>
      {props.subsidies.length === 0 && !adding && <p className="text-slate-600">公費はありません</p>}
      <ul className="flex flex-col gap-2">
        {props.subsidies.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center gap-3">
            <span className="rounded bg-slate-100 px-2 py-0.5 text-sm">第{s.priority}公費</span>
            <span>
              {s.label} <span className="font-mono">{s.payerNumber}</span>・受給者 {s.recipientNumber || '—'}
            </span>
            {s.monthlyCap !== null && (
              <span className="text-sm">上限 {s.monthlyCap.toLocaleString()}円/月</span>
            )}
            {s.validUntil && <span className="text-sm">〜{toWareki(s.validUntil)}</span>}
            {s.recipientWarning && <span className="text-sm text-amber-800">⚠ {s.recipientWarning}</span>}
            {props.canEdit && (
              <button
                type="button"
                className="text-sm text-red-700 underline"
                onClick={() => remove.mutate({ patientId: props.patientId, id: s.id })}
              >
                終了
              </button>
            )}
          </li>
        ))}
      </ul>
      {adding && (
        <form
          className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-3"
          noValidate
          onSubmit={form.handleSubmit((subsidy) => add.mutate({ patientId: props.patientId, subsidy }))}
        >
          {add.isError && (
            <div className="md:col-span-3">
              <Banner kind="error">{errorMessage(add.error)}</Banner>
            </div>
          )}
          <Field label="優先順位" htmlFor="priority">
            <select
              id="priority"
              className={inputClass}
              {...form.register('priority', { valueAsNumber: true })}
            >
              {[1, 2, 3, 4].map((p) => (
                <option key={p} value={p} disabled={props.subsidies.some((s) => s.priority === p)}>
                  第{p}公費
                </option>
              ))}
            </select>
          </Field>
          <InputField
            form={form}
            name="payerNumber"
            label="公費負担者番号"
            required
            hint={/^\d{8}$/.test(payer) ? publicSubsidyLabel(payer) : '8桁'}
          />
          <InputField
            form={form}
            name="recipientNumber"
            label="受給者番号"
            hint="7桁（地方単独は30文字まで）"
          />
          <InputField
            form={form}
            name="validFrom"
            label="有効開始日"
            hint={dateHint(validFrom, '例: R6.4.1、2024-04-01、20240401')}
          />
          <InputField
            form={form}
            name="validUntil"
            label="有効期限"
            hint={dateHint(validUntil, '例: R7.3.31')}
          />
          <InputField
            form={form}
            name="monthlyCap"
            label="自己負担上限月額（円）"
            options={{ setValueAs: (v: string) => (v === '' || v === null ? null : Number(v)) }}
          />
          <div className="flex gap-2 md:col-span-3">
            <button type="submit" className={buttonClass} disabled={add.isPending}>
              公費を保存
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setAdding(false)}>
              やめる
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
