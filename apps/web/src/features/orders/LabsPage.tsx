import { todayInJapan, toWareki } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass } from '../../components/Field';
import { changesSafetyData } from '../../lib/roles';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { PatientHeader } from '../reception/PatientHeader';
import { correctionTitle, LabResultList } from './LabResultList';
import { TrendChart } from './TrendChart';

const flagClass = (flag: string) =>
  flag === 'H' ? 'font-bold text-red-700' : flag === 'L' ? 'font-bold text-blue-700' : '';

/** 検査結果: the cumulative table (items × collection dates), the trend of an item, and hand entry. */
export function LabsPage({ me }: { me: Me }) {
  const { id: patientId = '' } = useParams();
  const trpc = useTRPC();
  const patient = useQuery(trpc.reception.getPatient.queryOptions({ id: patientId }));
  const [before, setBefore] = useState<string | undefined>(undefined);
  const table = useQuery(trpc.orders.labTable.queryOptions({ patientId, dates: 10, before }));
  const [item, setItem] = useState<string | null>(null);
  const trend = useQuery({
    ...trpc.orders.labTrend.queryOptions({ patientId, code: item ?? '' }),
    enabled: !!item,
  });
  if (patient.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (patient.isError) return <Banner kind="error">{errorMessage(patient.error)}</Banner>;
  const dates = table.data?.dates ?? [];
  // Rows: one per item code, in the order the results come (by code).
  const items = new Map<
    string,
    {
      name: string;
      unit: string;
      range: string;
      byDate: Map<string, { value: string; flag: string; corrected: string | null }[]>;
    }
  >();
  for (const r of table.data?.results ?? []) {
    let row = items.get(r.code);
    if (!row) {
      row = { name: r.name, unit: r.unit, range: r.refText, byDate: new Map() };
      items.set(r.code, row);
    }
    const list = row.byDate.get(r.collectedOn) ?? [];
    list.push({ value: r.value, flag: r.flag, corrected: r.correction && correctionTitle(r.correction) });
    row.byDate.set(r.collectedOn, list);
  }
  const trendRows = trend.data ?? [];
  const lastRef = trendRows.at(-1);
  return (
    <div className="flex flex-col gap-4">
      <PatientHeader patient={patient.data} />
      <div className="no-print flex items-center gap-3">
        <h1 className="text-xl font-bold">検査結果（累積表）</h1>
        <Link className="text-sky-800 underline" to={`/patients/${patientId}/chart`}>
          カルテへ
        </Link>
        <Link className="text-sky-800 underline" to="/labs/import">
          検査結果の取込
        </Link>
        <button type="button" className="ml-auto text-sky-800 underline" onClick={() => window.print()}>
          印刷
        </button>
      </div>
      {table.isError && <Banner kind="error">{errorMessage(table.error)}</Banner>}
      {dates.length === 0 && !table.isPending && <Banner kind="info">検査結果はまだありません。</Banner>}
      {dates.length > 0 && (
        <div className="overflow-x-auto">
          <table className="border-collapse bg-white text-sm" aria-label="累積表">
            <thead>
              <tr className="bg-slate-100">
                <th className="border border-slate-300 px-2 py-1 text-left">項目</th>
                <th className="border border-slate-300 px-2 py-1">基準値</th>
                <th className="border border-slate-300 px-2 py-1">単位</th>
                {dates.map((d) => (
                  <th key={d} className="border border-slate-300 px-2 py-1 whitespace-nowrap">
                    {toWareki(d)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[...items.entries()].map(([code, row]) => (
                <tr key={code} className={item === code ? 'bg-sky-50' : ''}>
                  <th className="border border-slate-300 px-2 py-1 text-left font-normal">
                    <button
                      type="button"
                      className="text-sky-800 underline"
                      onClick={() => setItem(code)}
                      title={code}
                    >
                      {row.name}
                    </button>
                  </th>
                  <td className="border border-slate-300 px-2 py-1 text-center">{row.range}</td>
                  <td className="border border-slate-300 px-2 py-1 text-center">{row.unit}</td>
                  {dates.map((d) => (
                    <td key={d} className="border border-slate-300 px-2 py-1 text-right">
                      {(row.byDate.get(d) ?? []).map((v, i) => (
                        <span
                          // biome-ignore lint/suspicious/noArrayIndexKey: repeated results on one day
                          key={i}
                          className={`block ${flagClass(v.flag)}`}
                          title={v.corrected ? `修正済 ${v.corrected}` : undefined}
                        >
                          {v.value}
                          {v.flag && <span className="ml-0.5 text-xs">{v.flag}</span>}
                          {v.corrected && <sup className="ml-0.5 text-xs font-normal text-amber-800">修</sup>}
                        </span>
                      ))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="no-print mt-2 flex gap-3 text-sm">
            {before && (
              <button type="button" className="text-sky-800 underline" onClick={() => setBefore(undefined)}>
                最新に戻る
              </button>
            )}
            {dates.length === 10 && (
              <button
                type="button"
                className="text-sky-800 underline"
                onClick={() => setBefore(dates.at(-1))}
              >
                さらに前を表示
              </button>
            )}
          </div>
        </div>
      )}
      {item && (
        <section
          className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-3"
          aria-label="推移"
        >
          <h2 className="font-bold">
            推移: {lastRef?.name ?? item}
            <span className="ml-2 text-sm font-normal text-slate-500">{item}</span>
          </h2>
          {trend.isPending ? (
            <p className="text-slate-500">読み込み中…</p>
          ) : (
            <TrendChart
              title={lastRef?.name ?? item}
              unit={lastRef?.unit ?? ''}
              low={lastRef?.refLow ?? null}
              high={lastRef?.refHigh ?? null}
              points={trendRows.flatMap((r) =>
                r.valueNum === null ? [] : [{ date: r.collectedOn, value: r.valueNum, flag: r.flag }],
              )}
            />
          )}
          <p className="text-sm text-slate-600">{trendRows.length} 件</p>
          <LabResultList
            patientId={patientId}
            results={trendRows}
            canCorrect={changesSafetyData(me.user.role)}
          />
        </section>
      )}
      {changesSafetyData(me.user.role) && <LabEntryForm patientId={patientId} />}
    </div>
  );
}

/** 手入力: one result at a time, coded from the JP-CLINS JLAC10 lists or with a local code. */
function LabEntryForm({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const empty = { collectedOn: todayInJapan(), code: '', name: '', value: '', unit: '', range: '' };
  const [f, setF] = useState(empty);
  const [q, setQ] = useState('');
  const codes = useQuery({
    ...trpc.orders.searchLabCodes.queryOptions({ query: q.trim(), limit: 20 }),
    enabled: q.trim().length > 0,
  });
  const add = useMutation(
    trpc.orders.addLabResults.mutationOptions({
      onSuccess: () => {
        setF({ ...empty, collectedOn: f.collectedOn });
        queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        queryClient.invalidateQueries({ queryKey: trpc.chart.summary.queryKey({ patientId }) });
      },
    }),
  );
  const errors = add.isError ? fieldErrors(add.error) : {};
  const err = (k: string) =>
    errors[`results.0.${k}`] ? (
      <p role="alert" className="text-xs text-red-700">
        {errors[`results.0.${k}`]}
      </p>
    ) : null;
  const field = (k: keyof typeof empty, label: string, width = 'w-32') => (
    <label className="flex flex-col gap-1 text-sm">
      {label}
      <input
        className={`${inputClass} ${width} py-1`}
        type={k === 'collectedOn' ? 'date' : 'text'}
        value={f[k]}
        aria-invalid={!!errors[`results.0.${k}`]}
        onChange={(e) => setF((x) => ({ ...x, [k]: e.target.value }))}
      />
      {err(k)}
    </label>
  );
  return (
    <section
      className="no-print flex flex-col gap-2 rounded border border-slate-200 bg-white p-3"
      aria-label="検査結果の手入力"
    >
      <h2 className="font-bold">検査結果の手入力</h2>
      <label className="flex flex-col gap-1 text-sm">
        項目を検索（JLAC10・項目名）
        <input
          className={`${inputClass} w-80 py-1`}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="ALB、アルブミン、HBs…"
        />
      </label>
      {q && (codes.data?.length ?? 0) > 0 && (
        <ul className="max-h-48 overflow-auto rounded border border-slate-200 text-sm">
          {codes.data?.map((c) => (
            <li key={c.code}>
              <button
                type="button"
                className="w-full px-2 py-1 text-left hover:bg-sky-50"
                onClick={() => {
                  setF((x) => ({ ...x, code: c.code, name: c.name }));
                  setQ('');
                }}
              >
                {c.item} {c.name}（{c.specimen}・{c.method}）
                <span className="ml-2 font-mono text-xs">{c.code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-start gap-2">
        {field('collectedOn', '採取日', 'w-40')}
        {field('code', '項目コード', 'w-48')}
        {field('name', '項目名（院内コードのとき）', 'w-48')}
        {field('value', '結果値', 'w-24')}
        {field('unit', '単位', 'w-24')}
        {field('range', '基準値（例 3.8-5.2）', 'w-32')}
        <button
          type="button"
          className={`${buttonClass} mt-6`}
          disabled={add.isPending}
          onClick={() => add.mutate({ patientId, results: [f] })}
        >
          登録
        </button>
      </div>
      {add.isError && !Object.keys(errors).length && <Banner kind="error">{errorMessage(add.error)}</Banner>}
      {add.isSuccess && <Banner kind="info">登録しました</Banner>}
    </section>
  );
}
