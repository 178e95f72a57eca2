import { type BillingSettings, todayInJapan } from '@karte/domain';
import { useState } from 'react';
import { type UseFormReturn, useFieldArray } from 'react-hook-form';
import { inputClass, secondaryButtonClass } from '../../components/Field';
import { ItemSearch } from './ItemSearch';

type Form = UseFormReturn<BillingSettings>;

/**
 * 会計セット on 会計設定: a name and lines found by the 会計 screen's search (診療行為 with 回数, 特定器材 with
 * 数量). The server checks every code against today's tariff when the settings are saved.
 */
export function BillSetsEditor({ form }: { form: Form }) {
  const list = useFieldArray({ control: form.control, name: 'sets' });
  const errors = form.formState.errors.sets;
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 font-bold">会計セット</legend>
      <p className="text-xs text-slate-500">会計画面の「セットから追加」で、まとめて行を追加できます。</p>
      {list.fields.map((f, i) => (
        <SetRow key={f.id} form={form} index={i} onRemove={() => list.remove(i)} />
      ))}
      {errors?.message && <span className="text-sm text-red-700">{errors.message}</span>}
      <button
        type="button"
        className={`${secondaryButtonClass} self-start text-sm`}
        onClick={() => list.append({ id: crypto.randomUUID(), name: '', items: [] })}
      >
        セットを追加
      </button>
    </fieldset>
  );
}

function SetRow({ form, index, onRemove }: { form: Form; index: number; onRemove: () => void }) {
  const items = useFieldArray({ control: form.control, name: `sets.${index}.items` });
  const e = form.formState.errors.sets?.[index];
  // Names of the lines picked now (a セット keeps codes only; saved lines show their code).
  const [names, setNames] = useState<Record<string, string>>({});
  const setName = form.watch(`sets.${index}.name`) || `セット${index + 1}`;
  return (
    <div className="flex flex-col gap-2 rounded border border-slate-200 p-3" data-testid="bill-set">
      <div className="flex items-start gap-2">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">セット名</span>
          <input
            className={`${inputClass} py-1`}
            aria-invalid={!!e?.name}
            {...form.register(`sets.${index}.name`)}
          />
          {e?.name?.message && <span className="text-sm text-red-700">{e.name.message}</span>}
        </label>
        <button type="button" className={`${secondaryButtonClass} mt-6 px-2 py-1 text-xs`} onClick={onRemove}>
          セットを削除
        </button>
      </div>
      <ul className="flex flex-col gap-1 text-sm">
        {items.fields.map((item, k) => (
          <li key={item.id} className="flex items-center gap-2" data-testid="bill-set-item">
            <span className="font-mono text-xs text-slate-500">{item.code}</span>
            <span className="flex-1">{names[item.code] ?? ''}</span>
            <input
              type="number"
              min={1}
              aria-label={`${names[item.code] ?? item.code}の${item.kind === 'procedure' ? '回数' : '数量'}`}
              className={`${inputClass} w-20 py-1 text-right font-mono`}
              {...form.register(
                item.kind === 'procedure'
                  ? `sets.${index}.items.${k}.count`
                  : `sets.${index}.items.${k}.amount`,
                { valueAsNumber: true },
              )}
            />
            <button
              type="button"
              className={`${secondaryButtonClass} px-2 py-0.5 text-xs`}
              aria-label={`${names[item.code] ?? item.code}をセットから削除`}
              onClick={() => items.remove(k)}
            >
              削除
            </button>
          </li>
        ))}
      </ul>
      {e?.items?.message && <span className="text-sm text-red-700">{e.items.message}</span>}
      <ItemSearch
        date={todayInJapan()}
        kinds={['procedure', 'material']}
        label={`「${setName}」に行を追加（カナ・コードで検索）`}
        onPick={(hit) => {
          if (items.fields.some((x) => x.code === hit.code)) return;
          setNames((n) => ({ ...n, [hit.code]: hit.name }));
          items.append(
            hit.kind === 'material'
              ? { kind: 'material', code: hit.code, amount: 1 }
              : { kind: 'procedure', code: hit.code, count: 1 },
          );
        }}
      />
    </div>
  );
}
