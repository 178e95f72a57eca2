import { outcomeLabels, type ProblemFields, todayInJapan, toWareki } from '@karte/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { InputControl, SelectControl } from '../../components/Controls';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

const blank = (): ProblemFields => ({
  diseaseCode: null,
  name: '',
  prefix: '',
  suffix: '',
  main: false,
  suspected: false,
  onsetDate: todayInJapan(),
  outcome: '',
  endDate: '',
  undisclosed: false,
  notShared: false,
});

/** 傷病名: incremental search of the standard disease master; free text is kept as 未コード化. */
export function ProblemsPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const problems = useQuery(trpc.chart.problems.queryOptions({ patientId }));
  const [form, setForm] = useState<ProblemFields | null>(null);
  const [editing, setEditing] = useState<{ id: string; version: number } | null>(null);
  const [query, setQuery] = useState('');
  const found = useQuery({
    ...trpc.chart.searchDiseases.queryOptions({ query, limit: 12 }),
    enabled: query.trim().length > 0,
    placeholderData: keepPreviousData,
  });
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.chart.problems.queryKey({ patientId }) });
  const done = () => {
    setForm(null);
    setEditing(null);
    setQuery('');
    refresh();
  };
  const add = useMutation(trpc.chart.addProblem.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.chart.updateProblem.mutationOptions({ onSuccess: done }));
  const error = add.error ?? update.error;
  const errors = Object.fromEntries(
    Object.entries(fieldErrors(error)).map(([k, v]) => [k.replace(/^problem\./, ''), v]),
  );
  const set = (patch: Partial<ProblemFields>) => setForm((f) => (f ? { ...f, ...patch } : f));
  const submit = () => {
    if (!form) return;
    if (editing) update.mutate({ ...editing, problem: form });
    else add.mutate({ patientId, problem: form });
  };
  const check = (key: 'main' | 'suspected' | 'undisclosed' | 'notShared', label: string) => (
    <label className="flex items-center gap-1 text-sm">
      <input
        type="checkbox"
        checked={form?.[key] ?? false}
        onChange={(e) => set({ [key]: e.target.checked })}
      />
      {label}
    </label>
  );
  return (
    <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="problems-heading">
      <div className="mb-2 flex items-center justify-between">
        <h2 id="problems-heading" className="text-lg font-bold">
          傷病名
        </h2>
        {canWrite && !form && (
          <button
            type="button"
            className={`${secondaryButtonClass} no-print`}
            onClick={() => setForm(blank())}
          >
            病名を追加
          </button>
        )}
      </div>
      {problems.isError && <Banner kind="error">{errorMessage(problems.error)}</Banner>}
      <table className="w-full text-left text-sm" aria-label="傷病名一覧">
        <tbody>
          {problems.data?.map((p) => (
            <tr key={p.id} className="border-b border-slate-100">
              <td className="py-1 pr-2">
                {p.main ? <span className="mr-1 rounded bg-sky-100 px-1 text-xs">主</span> : null}
                {p.prefix}
                {p.name}
                {p.suffix}
                {p.suspected ? 'の疑い' : ''}
                {p.uncoded && (
                  <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">未コード化</span>
                )}
                {p.undisclosed ? (
                  <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-900">未告知</span>
                ) : null}
                {p.notShared ? <span className="ml-1 rounded bg-slate-200 px-1 text-xs">未提供</span> : null}
              </td>
              <td className="py-1 pr-2 text-slate-600">
                {toWareki(p.onsetDate)}〜{p.endDate ? toWareki(p.endDate) : ''}
              </td>
              <td className="py-1 pr-2">{outcomeLabels[p.outcome]}</td>
              <td className="no-print py-1 text-right">
                {canWrite && (
                  <button
                    type="button"
                    className="text-sky-800 underline"
                    onClick={() => {
                      setEditing({ id: p.id, version: p.version });
                      setForm({
                        diseaseCode: p.diseaseCode,
                        name: p.name,
                        prefix: p.prefix,
                        suffix: p.suffix,
                        main: !!p.main,
                        suspected: !!p.suspected,
                        onsetDate: p.onsetDate,
                        outcome: p.outcome,
                        endDate: p.endDate ?? '',
                        undisclosed: !!p.undisclosed,
                        notShared: !!p.notShared,
                      });
                    }}
                  >
                    編集
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {form && (
        <div className="mt-3 flex flex-col gap-2 rounded bg-slate-50 p-3">
          {error && <Banner kind="error">{errorMessage(error)}</Banner>}
          {!editing && (
            <label className="flex flex-col gap-1 text-sm">
              病名を検索（カナ・漢字）
              <input
                aria-label="病名を検索"
                className={inputClass}
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  set({ name: e.target.value, diseaseCode: null });
                }}
              />
            </label>
          )}
          {!editing && query && (found.data?.length ?? 0) > 0 && (
            <ul
              className="max-h-48 overflow-auto rounded border border-slate-200 bg-white text-sm"
              aria-label="病名の候補"
            >
              {found.data?.map((d) => (
                <li key={d.code}>
                  <button
                    type="button"
                    className={`w-full px-2 py-1 text-left hover:bg-sky-50 ${form.diseaseCode === d.code ? 'bg-sky-100' : ''}`}
                    onClick={() => set({ diseaseCode: d.code, name: d.name })}
                  >
                    {d.name} <span className="text-xs text-slate-500">{d.icd10}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="text-sm">
            選択中: <strong>{form.name || '—'}</strong>
            {!form.diseaseCode && form.name && (
              <span className="ml-1 text-amber-800">（マスターにない病名は未コード化として登録）</span>
            )}
          </p>
          <div className="grid grid-cols-2 gap-2 text-sm">
            <InputControl label="接頭語" value={form.prefix} onChange={(prefix) => set({ prefix })} />
            <InputControl label="接尾語" value={form.suffix} onChange={(suffix) => set({ suffix })} />
          </div>
          <div className="flex flex-wrap gap-4">
            {check('main', '主病名')}
            {check('suspected', '疑い')}
            {check('undisclosed', '未告知')}
            {check('notShared', '未提供（共有しない）')}
          </div>
          <div className="grid grid-cols-3 gap-2 text-sm">
            <InputControl
              label="開始日"
              type="date"
              value={form.onsetDate}
              error={errors.onsetDate}
              onChange={(onsetDate) => set({ onsetDate })}
            />
            <SelectControl
              label="転帰"
              value={form.outcome}
              options={outcomeLabels}
              error={errors.outcome}
              onChange={(outcome) => set({ outcome })}
            />
            <InputControl
              label="終了日"
              type="date"
              value={form.endDate}
              error={errors.endDate}
              onChange={(endDate) => set({ endDate })}
            />
          </div>
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass}
              onClick={submit}
              disabled={add.isPending || update.isPending}
            >
              病名を保存
            </button>
            <button type="button" className={secondaryButtonClass} onClick={done}>
              やめる
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
