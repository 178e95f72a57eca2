import { zodResolver } from '@hookform/resolvers/zod';
import { type BillingSettings, billingSettingsFields, localSchemeKinds } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type FieldError, type Resolver, type UseFormReturn, useFieldArray, useForm } from 'react-hook-form';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { BillSetsEditor } from './BillSetsEditor';
import { serverMessage } from './checks';
import { normalizeSettings, notANumber, selfPayIdFrom } from './settingsInput';

const weekdays = ['日', '月', '火', '水', '木', '金', '土'];
type Form = UseFormReturn<BillingSettings>;

/** 会計設定 (admin): 診療時間, 休診日, 届出, 地方単独 公費, 自費 price list, 会計セット; saved against the version read. */
export default function BillingSettingsPage() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.billing.settings.queryOptions());
  // The form starts afresh on each new version; the word that it was saved outlives it.
  const [saved, setSaved] = useState(false);
  if (settings.isError) return <Banner kind="error">{errorMessage(settings.error)}</Banner>;
  if (!settings.data) return <p className="text-slate-500">読み込み中…</p>;
  const { version, ...values } = settings.data;
  return (
    <SettingsForm
      key={version}
      version={version}
      values={values}
      saved={saved}
      onSaved={() => setSaved(true)}
    />
  );
}

/** The error beside a field, whatever its depth in the form. */
function Err({ error, id }: { error?: FieldError | { message?: string }; id?: string }) {
  return error?.message ? (
    <span id={id} role="alert" className="text-sm text-red-700">
      {error.message}
    </span>
  ) : null;
}

/** A list edited as text (one per line or separated by spaces/commas): 休診日, 施設基準, 加算コード. */
function ListText(props: {
  form: Form;
  name: 'closedDays' | 'standards' | 'facilityAddOns';
  label: string;
  hint: string;
}) {
  const [text, setText] = useState(() => props.form.getValues(props.name).join('\n'));
  const errors = props.form.formState.errors[props.name];
  const itemErrors = Array.isArray(errors)
    ? errors.map((e, i) => (e?.message ? `${i + 1}行目: ${e.message}` : ''))
    : [];
  const message = [errors?.message ?? errors?.root?.message, ...itemErrors].filter(Boolean).join(' / ');
  const id = `settings-${props.name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {props.label}
      </label>
      <textarea
        id={id}
        rows={4}
        className={`${inputClass} font-mono text-sm`}
        value={text}
        aria-invalid={!!message}
        aria-describedby={message ? `${id}-error` : `${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          const items = e.target.value.split(/[\s,、]+/).filter(Boolean);
          props.form.setValue(props.name, items, {
            shouldDirty: true,
            shouldValidate: props.form.formState.isSubmitted,
          });
        }}
      />
      {message ? (
        <Err id={`${id}-error`} error={{ message }} />
      ) : (
        <span id={`${id}-hint`} className="text-xs text-slate-500">
          {props.hint}
        </span>
      )}
    </div>
  );
}

function Hours({ form }: { form: Form }) {
  const hours = form.watch('hours');
  const errors = form.formState.errors.hours;
  const set = (d: number, periods: [string, string][]) =>
    form.setValue(`hours.${d}`, periods, { shouldDirty: true, shouldValidate: form.formState.isSubmitted });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 font-bold">診療時間</legend>
      {weekdays.map((w, d) => (
        <div key={w} className="flex flex-wrap items-center gap-2" data-testid={`hours-${d}`}>
          <span className="w-6 font-medium">{w}</span>
          {(hours[d] ?? []).length === 0 && <span className="text-sm text-slate-500">休診</span>}
          {(hours[d] ?? []).map((_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: periods are edited in place by position
            <span key={i} className="flex items-center gap-1">
              <input
                aria-label={`${w}曜 ${i + 1}枠 開始`}
                className={`${inputClass} w-20 px-2 py-1 font-mono`}
                {...form.register(`hours.${d}.${i}.0`)}
              />
              〜
              <input
                aria-label={`${w}曜 ${i + 1}枠 終了`}
                className={`${inputClass} w-20 px-2 py-1 font-mono`}
                {...form.register(`hours.${d}.${i}.1`)}
              />
              <button
                type="button"
                className={`${secondaryButtonClass} px-2 py-1 text-xs`}
                aria-label={`${w}曜 ${i + 1}枠を削除`}
                onClick={() =>
                  set(
                    d,
                    (hours[d] ?? []).filter((__, k) => k !== i),
                  )
                }
              >
                ×
              </button>
              <Err error={errors?.[d]?.[i]?.[0] ?? errors?.[d]?.[i]?.[1]} />
            </span>
          ))}
          {(hours[d] ?? []).length < 3 && (
            <button
              type="button"
              className={`${secondaryButtonClass} px-2 py-1 text-xs`}
              onClick={() => set(d, [...(hours[d] ?? []), ['09:00', '12:00']])}
            >
              枠を追加
            </button>
          )}
        </div>
      ))}
    </fieldset>
  );
}

function LocalSchemes({ form }: { form: Form }) {
  const list = useFieldArray({ control: form.control, name: 'localSchemes' });
  const errors = form.formState.errors.localSchemes;
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 font-bold">地方単独 公費（子ども医療費助成など）</legend>
      <table className="text-left text-sm">
        <thead>
          <tr className="text-slate-600">
            <th className="pr-2">公費負担者番号</th>
            <th className="pr-2">名称</th>
            <th className="pr-2">助成</th>
            <th className="pr-2">患者負担（円・全額助成は0）</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.fields.map((f, i) => {
            const e = errors?.[i];
            return (
              <tr key={f.id} className="align-top" data-testid="local-scheme">
                <td className="pb-2 pr-2">
                  <input
                    aria-label="公費負担者番号"
                    className={`${inputClass} w-32 py-1 font-mono`}
                    aria-invalid={!!e?.payerNumber}
                    {...form.register(`localSchemes.${i}.payerNumber`)}
                  />
                  <Err error={e?.payerNumber} />
                </td>
                <td className="pb-2 pr-2">
                  <input
                    aria-label="名称"
                    className={`${inputClass} py-1`}
                    aria-invalid={!!e?.name}
                    {...form.register(`localSchemes.${i}.name`)}
                  />
                  <Err error={e?.name} />
                </td>
                <td className="pb-2 pr-2">
                  <select
                    aria-label="助成"
                    className={`${inputClass} py-1`}
                    {...form.register(`localSchemes.${i}.kind`)}
                  >
                    {Object.entries(localSchemeKinds).map(([k, v]) => (
                      <option key={k} value={k}>
                        {v}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="pb-2 pr-2">
                  <input
                    aria-label="患者負担（円）"
                    type="text"
                    inputMode="numeric"
                    className={`${inputClass} w-28 py-1 text-right font-mono`}
                    aria-invalid={!!e?.yen}
                    {...form.register(`localSchemes.${i}.yen`)}
                  />
                  <Err error={e?.yen} />
                </td>
                <td className="pb-2">
                  <button
                    type="button"
                    className={`${secondaryButtonClass} px-2 py-1 text-xs`}
                    onClick={() => list.remove(i)}
                  >
                    削除
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className={`${secondaryButtonClass} self-start text-sm`}
        onClick={() => list.append({ payerNumber: '', name: '', kind: 'perVisit', yen: 0 })}
      >
        公費を追加
      </button>
    </fieldset>
  );
}

function PriceList({ form }: { form: Form }) {
  const list = useFieldArray({ control: form.control, name: 'selfPayItems' });
  const errors = form.formState.errors.selfPayItems;
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 font-bold">自費 価格表（保険外）</legend>
      <table className="text-left text-sm">
        <thead>
          <tr className="text-slate-600">
            <th className="pr-2">ID</th>
            <th className="pr-2">名称</th>
            <th className="pr-2">価格（円・税込）</th>
            <th className="pr-2">課税</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.fields.map((f, i) => {
            const e = errors?.[i];
            return (
              <tr key={f.id} className="align-top" data-testid="self-pay-item">
                <td className="pb-2 pr-2">
                  <input
                    aria-label="ID"
                    className={`${inputClass} w-36 py-1 font-mono`}
                    aria-invalid={!!e?.id}
                    placeholder="空欄なら名称から作成"
                    {...form.register(`selfPayItems.${i}.id`, {
                      // Lower-case as typed (the ID is lower-case letters, digits and -).
                      onChange: (ev: { target: { value: string } }) => {
                        const lower = selfPayIdFrom(ev.target.value);
                        if (lower !== ev.target.value) form.setValue(`selfPayItems.${i}.id`, lower);
                      },
                    })}
                  />
                  <Err error={e?.id} />
                </td>
                <td className="pb-2 pr-2">
                  <input
                    aria-label="名称"
                    className={`${inputClass} py-1`}
                    aria-invalid={!!e?.name}
                    {...form.register(`selfPayItems.${i}.name`)}
                  />
                  <Err error={e?.name} />
                </td>
                <td className="pb-2 pr-2">
                  <input
                    aria-label="価格（円）"
                    type="text"
                    inputMode="numeric"
                    className={`${inputClass} w-28 py-1 text-right font-mono`}
                    aria-invalid={!!e?.priceYen}
                    {...form.register(`selfPayItems.${i}.priceYen`)}
                  />
                  <Err error={e?.priceYen} />
                </td>
                <td className="pb-2 pr-2 text-center">
                  <input
                    aria-label="課税"
                    type="checkbox"
                    className="mt-2"
                    {...form.register(`selfPayItems.${i}.taxable`)}
                  />
                </td>
                <td className="pb-2">
                  <button
                    type="button"
                    className={`${secondaryButtonClass} px-2 py-1 text-xs`}
                    onClick={() => list.remove(i)}
                  >
                    削除
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className={`${secondaryButtonClass} self-start text-sm`}
        onClick={() => list.append({ id: '', name: '', priceYen: 0, taxable: true })}
      >
        品目を追加
      </button>
    </fieldset>
  );
}

/**
 * Full-width digits, an upper-case or empty 自費 ID are what a clerk types: normalize, then the contract; an
 * amount that is not a number gets a Japanese message beside its field.
 */
const contract = zodResolver(billingSettingsFields.required()); // the form always holds every field
const settingsResolver: Resolver<BillingSettings> = async (values, context, options) => {
  const normalized = normalizeSettings(values);
  const result = await contract(normalized, context, options);
  const errors = result.errors as Record<string, unknown>;
  const fix = (list: unknown, i: number, field: string, value: number) => {
    const e = (list as Record<number, Record<string, { message?: string }>> | undefined)?.[i]?.[field];
    if (e && Number.isNaN(value)) e.message = notANumber;
  };
  normalized.selfPayItems.forEach((it, i) => {
    fix(errors.selfPayItems, i, 'priceYen', it.priceYen);
  });
  normalized.localSchemes.forEach((it, i) => {
    fix(errors.localSchemes, i, 'yen', it.yen);
  });
  return result;
};

function SettingsForm(props: {
  version: number;
  values: BillingSettings;
  saved: boolean;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<BillingSettings>({
    resolver: settingsResolver,
    defaultValues: props.values,
  });
  const save = useMutation(
    trpc.billing.saveSettings.mutationOptions({
      onSuccess: (saved) => {
        props.onSaved();
        queryClient.setQueryData(trpc.billing.settings.queryKey(), saved);
      },
    }),
  );
  return (
    <form
      noValidate
      className="flex flex-col gap-6"
      onSubmit={form.handleSubmit((settings) => save.mutate({ expectedVersion: props.version, settings }))}
    >
      <div className="flex items-end justify-between">
        <h1 className="text-xl font-bold">
          会計設定 <span className="text-sm font-normal text-slate-600">（第{props.version}版）</span>
        </h1>
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          保存
        </button>
      </div>
      {save.isError && (
        <Banner kind="error">{serverMessage(errorMessage(save.error), fieldErrors(save.error))}</Banner>
      )}
      {props.saved && !form.formState.isDirty && <Banner kind="info">保存しました。</Banner>}
      {Object.keys(form.formState.errors).length > 0 && form.formState.isSubmitted && (
        <Banner kind="error">入力に誤りがあります。各欄の表示を確認してください。</Banner>
      )}
      <div className="grid grid-cols-1 gap-6 rounded border border-slate-200 bg-white p-4 lg:grid-cols-2">
        <Hours form={form} />
        <div className="flex flex-col gap-4">
          <ListText
            form={form}
            name="closedDays"
            label="休診日（臨時休診・年末年始の追加分）"
            hint="1行に1日（例: 2026-12-28）。祝日と12/29〜1/3は自動です。"
          />
          <ListText
            form={form}
            name="standards"
            label="届出 施設基準コード"
            hint="マスターの施設基準コード（数字）を空白・改行区切りで"
          />
          <ListText
            form={form}
            name="facilityAddOns"
            label="毎回提案する施設の加算（診療行為コード）"
            hint="例: 医療DX推進体制整備加算のコード（9桁）"
          />
        </div>
      </div>
      <div className="rounded border border-slate-200 bg-white p-4">
        <LocalSchemes form={form} />
      </div>
      <div className="rounded border border-slate-200 bg-white p-4">
        <PriceList form={form} />
      </div>
      <div className="rounded border border-slate-200 bg-white p-4">
        <BillSetsEditor form={form} />
      </div>
    </form>
  );
}
