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

/**
 * 傷病名: incremental search of the standard disease master, operable by keyboard (↑↓ Enter); free text
 * becomes 未コード化 only when asked for explicitly. An entry made in error is removed with a reason.
 */
export function ProblemsPanel({ patientId, canWrite }: { patientId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const problems = useQuery(trpc.chart.problems.queryOptions({ patientId }));
  const [form, setForm] = useState<ProblemFields | null>(null);
  const [editing, setEditing] = useState<{ id: string; version: number } | null>(null);
  const [query, setQuery] = useState('');
  // The candidate ↑↓ points at (-1: none). Enter takes it; Enter with none takes nothing.
  const [highlight, setHighlight] = useState(-1);
  const [freeText, setFreeText] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; version: number; name: string } | null>(null);
  const [removeReason, setRemoveReason] = useState('');
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
    setHighlight(-1);
    setFreeText(false);
    refresh();
  };
  const add = useMutation(trpc.chart.addProblem.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.chart.updateProblem.mutationOptions({ onSuccess: done }));
  const remove = useMutation(
    trpc.chart.removeProblem.mutationOptions({
      onSuccess: () => {
        setRemoving(null);
        setRemoveReason('');
        refresh();
      },
    }),
  );
  const candidates = query.trim() ? (found.data ?? []) : [];
  const pick = (d: { code: string; name: string }) => {
    set({ diseaseCode: d.code, name: d.name });
    setFreeText(false);
  };
  const onSearchKey = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return; // Enter that confirms the IME conversion
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (candidates.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setHighlight((h) => (h + step + candidates.length) % candidates.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const d = candidates[highlight];
      if (d) pick(d);
    } else if (e.key === 'Escape') {
      setHighlight(-1);
    }
  };
  // Free text is saved as 未コード化 only when the user says so.
  const needsChoice = !!form && !editing && !form.diseaseCode && !freeText;
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
      <table className="w-full table-fixed text-left text-sm" aria-label="傷病名一覧">
        <tbody>
          {problems.data?.map((p) => (
            <tr key={p.id} className="border-b border-slate-100 align-top">
              <td className="py-1 pr-2 break-words">
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
                {/* Dates on their own line: the side panel is too narrow for them beside the name. */}
                <span className="block text-xs text-slate-600" data-testid="problem-dates">
                  <span className="whitespace-nowrap">{toWareki(p.onsetDate)}〜</span>
                  <span className="whitespace-nowrap">{p.endDate ? toWareki(p.endDate) : ''}</span>
                  {p.outcome && <span className="ml-1 whitespace-nowrap">{outcomeLabels[p.outcome]}</span>}
                </span>
              </td>
              <td className="no-print w-12 py-1 text-right">
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
                {canWrite && (
                  <button
                    type="button"
                    className="block w-full text-right text-red-700 underline"
                    aria-label={`${p.prefix}${p.name}${p.suffix} を削除（誤登録）`}
                    onClick={() => {
                      setRemoving({ id: p.id, version: p.version, name: `${p.prefix}${p.name}${p.suffix}` });
                      setRemoveReason('');
                      remove.reset();
                    }}
                  >
                    削除
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {removing && (
        <fieldset
          className="mt-3 flex flex-col gap-2 rounded border border-red-200 bg-red-50 p-3 text-sm"
          aria-label="削除（誤登録）"
        >
          <p>
            削除（誤登録）: <strong>{removing.name}</strong>
          </p>
          <p className="text-xs text-slate-600">一覧と共有データから外れ、理由とともに履歴に残ります。</p>
          {remove.isError && <Banner kind="error">{errorMessage(remove.error)}</Banner>}
          <InputControl label="削除の理由" value={removeReason} onChange={setRemoveReason} />
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass}
              disabled={!removeReason.trim() || remove.isPending}
              onClick={() =>
                remove.mutate({ id: removing.id, version: removing.version, reason: removeReason })
              }
            >
              誤登録として削除
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setRemoving(null)}>
              やめる
            </button>
          </div>
        </fieldset>
      )}
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
                aria-controls="disease-candidates"
                aria-activedescendant={
                  candidates[highlight] ? `disease-${candidates[highlight].code}` : undefined
                }
                onKeyDown={onSearchKey}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setHighlight(-1);
                  setFreeText(false);
                  set({ name: e.target.value, diseaseCode: null });
                }}
              />
              <span className="text-xs text-slate-500">↑↓で候補を選び Enter で決定</span>
            </label>
          )}
          {!editing && candidates.length > 0 && (
            <ul
              id="disease-candidates"
              className="max-h-48 overflow-auto rounded border border-slate-200 bg-white text-sm"
              aria-label="病名の候補"
            >
              {candidates.map((d, i) => (
                <li key={d.code} id={`disease-${d.code}`}>
                  <button
                    type="button"
                    tabIndex={-1}
                    aria-current={i === highlight ? 'true' : undefined}
                    ref={(el) => {
                      if (el && i === highlight) el.scrollIntoView({ block: 'nearest' });
                    }}
                    className={`w-full border-l-4 px-2 py-1 text-left hover:bg-sky-50 ${i === highlight ? 'border-sky-600 bg-sky-200 font-semibold' : form.diseaseCode === d.code ? 'border-transparent bg-sky-100' : 'border-transparent'}`}
                    onClick={() => pick(d)}
                  >
                    {d.name} <span className="text-xs text-slate-500">{d.icd10}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="text-sm">
            {form.diseaseCode ? '選択中' : '入力中（未選択）'}: <strong>{form.name || '—'}</strong>
          </p>
          {!editing && !form.diseaseCode && form.name.trim() && (
            <label className="flex items-center gap-1 text-sm text-amber-900">
              <input type="checkbox" checked={freeText} onChange={(e) => setFreeText(e.target.checked)} />
              マスターにない病名として登録する（未コード化）
            </label>
          )}
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
          {/* One per line: a date field needs the panel's whole width to show the full date. */}
          <div className="grid grid-cols-1 gap-2 text-sm">
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
              disabled={add.isPending || update.isPending || needsChoice}
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
