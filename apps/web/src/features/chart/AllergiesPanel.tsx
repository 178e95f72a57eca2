import {
  type AllergyFields,
  allergyCategoryLabels,
  allergyStatusLabels,
  criticalityLabels,
  infectionKinds,
  infectionLabels,
} from '@karte/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { InputControl, SelectControl } from '../../components/Controls';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { DrugClassChoices } from './DrugClassChoices';

const blank: AllergyFields = {
  category: 'drug',
  drugCode: null,
  substance: '',
  criticality: 'high',
  reaction: '',
  onsetDate: '',
  status: 'active',
};

/** アレルギー・薬剤禁忌 (a listed drug by name or code, or free text) and 感染症. */
export function AllergiesPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const allergies = useQuery(trpc.chart.allergies.queryOptions({ patientId }));
  const summary = useQuery(trpc.chart.summary.queryOptions({ patientId }));
  const [form, setForm] = useState<AllergyFields | null>(null);
  const [drugQuery, setDrugQuery] = useState('');
  const drugs = useQuery({
    ...trpc.chart.searchDrugs.queryOptions({ query: drugQuery, limit: 10 }),
    enabled: form?.category === 'drug' && drugQuery.trim().length > 0,
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: trpc.chart.allergies.queryKey({ patientId }) });
    queryClient.invalidateQueries({ queryKey: trpc.chart.summary.queryKey({ patientId }) });
  };
  const add = useMutation(
    trpc.chart.addAllergy.mutationOptions({
      onSuccess: () => {
        setForm(null);
        setDrugQuery('');
        refresh();
      },
    }),
  );
  const setStatus = useMutation(trpc.chart.setAllergyStatus.mutationOptions({ onSuccess: refresh }));
  const addInfection = useMutation(trpc.chart.addInfection.mutationOptions({ onSuccess: refresh }));
  const [infection, setInfection] = useState({
    kind: 'HBs' as (typeof infectionKinds)[number],
    result: 'negative' as 'positive' | 'negative' | 'unknown',
    testedOn: '',
  });
  const errors = Object.fromEntries(
    Object.entries(fieldErrors(add.error)).map(([k, v]) => [k.replace(/^allergy\./, ''), v]),
  );
  const set = (patch: Partial<AllergyFields>) => setForm((f) => (f ? { ...f, ...patch } : f));
  return (
    <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="allergies-heading">
      <div className="mb-2 flex items-center justify-between">
        <h2 id="allergies-heading" className="text-lg font-bold">
          アレルギー・禁忌
        </h2>
        {canWrite && !form && (
          <button type="button" className={`${secondaryButtonClass} no-print`} onClick={() => setForm(blank)}>
            追加
          </button>
        )}
      </div>
      <ul className="flex flex-col gap-1 text-sm">
        {allergies.data?.map((a) => (
          <li key={a.id} className={a.status === 'active' ? '' : 'text-slate-400 line-through'}>
            [{allergyCategoryLabels[a.category]}] <strong>{a.substance}</strong>（重篤度{' '}
            {criticalityLabels[a.criticality]}）{a.reaction && `: ${a.reaction}`} —{' '}
            {allergyStatusLabels[a.status]}
            {canWrite && a.status === 'active' && (
              <button
                type="button"
                className="no-print ml-2 text-sky-800 underline"
                onClick={() =>
                  setStatus.mutate({ patientId, id: a.id, version: a.version, status: 'resolved' })
                }
              >
                解消
              </button>
            )}
          </li>
        ))}
        {allergies.isSuccess && allergies.data.length === 0 && <li className="text-slate-600">登録なし</li>}
      </ul>
      {form && (
        <div className="mt-3 flex flex-col gap-2 rounded bg-slate-50 p-3 text-sm">
          {add.isError && <Banner kind="error">{errorMessage(add.error)}</Banner>}
          <SelectControl
            label="種類"
            value={form.category}
            options={allergyCategoryLabels}
            onChange={(category) => set({ category, drugCode: null })}
          />
          {form.category === 'drug' && (
            <label className="flex flex-col">
              薬剤を検索（品名・コード）
              <input
                aria-label="薬剤を検索"
                className={inputClass}
                value={drugQuery}
                onChange={(e) => setDrugQuery(e.target.value)}
              />
            </label>
          )}
          {form.category === 'drug' && (
            <DrugClassChoices
              value={form.substance}
              onPick={(substance) => set({ substance, drugCode: null })}
            />
          )}
          {form.category === 'drug' && drugQuery && (
            <ul
              className="max-h-40 overflow-auto rounded border border-slate-200 bg-white"
              aria-label="薬剤の候補"
            >
              {drugs.data?.map((d) => (
                <li key={d.code}>
                  <button
                    type="button"
                    className={`w-full px-2 py-1 text-left hover:bg-sky-50 ${form.drugCode === d.code ? 'bg-sky-100' : ''}`}
                    onClick={() => set({ drugCode: d.code, substance: d.name })}
                  >
                    {d.name}{' '}
                    <span className="text-xs text-slate-500">
                      {d.ingredient} {d.spec}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <InputControl
            label="原因物質"
            value={form.substance}
            error={errors.substance}
            onChange={(substance) => set({ substance, drugCode: null })}
          />
          <div className="grid grid-cols-2 gap-2">
            <SelectControl
              label="重篤度"
              value={form.criticality}
              options={criticalityLabels}
              onChange={(criticality) => set({ criticality })}
            />
            <InputControl label="症状" value={form.reaction} onChange={(reaction) => set({ reaction })} />
            <InputControl
              label="発症日"
              type="date"
              value={form.onsetDate}
              onChange={(onsetDate) => set({ onsetDate })}
            />
          </div>
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass}
              onClick={() => add.mutate({ patientId, allergy: form })}
              disabled={add.isPending}
            >
              保存
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setForm(null)}>
              やめる
            </button>
          </div>
        </div>
      )}
      <h3 className="mt-4 font-bold">感染症</h3>
      <ul className="text-sm">
        {summary.data?.infections.map((i) => (
          <li key={i.kind}>
            {infectionLabels[i.kind]}:{' '}
            {i.result === 'positive' ? '陽性' : i.result === 'negative' ? '陰性' : '不明'}
            {i.testedOn && `（${i.testedOn}）`}
          </li>
        ))}
        {summary.isSuccess && summary.data.infections.length === 0 && (
          <li className="text-slate-600">記録なし</li>
        )}
      </ul>
      {canWrite && (
        <div className="no-print mt-2 flex flex-wrap items-end gap-2 text-sm">
          <select
            aria-label="感染症の検査"
            className={inputClass}
            value={infection.kind}
            onChange={(e) => setInfection((v) => ({ ...v, kind: e.target.value as typeof v.kind }))}
          >
            {infectionKinds.map((k) => (
              <option key={k} value={k}>
                {infectionLabels[k]}
              </option>
            ))}
          </select>
          <select
            aria-label="結果"
            className={inputClass}
            value={infection.result}
            onChange={(e) => setInfection((v) => ({ ...v, result: e.target.value as typeof v.result }))}
          >
            <option value="negative">陰性</option>
            <option value="positive">陽性</option>
            <option value="unknown">不明</option>
          </select>
          <input
            type="date"
            aria-label="検査日"
            className={inputClass}
            value={infection.testedOn}
            onChange={(e) => setInfection((v) => ({ ...v, testedOn: e.target.value }))}
          />
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => addInfection.mutate({ patientId, infection })}
          >
            記録
          </button>
        </div>
      )}
      {addInfection.isError && <Banner kind="error">{errorMessage(addInfection.error)}</Banner>}
    </section>
  );
}
