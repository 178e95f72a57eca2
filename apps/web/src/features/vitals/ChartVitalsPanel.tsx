import type { VitalField } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Me } from '../../App';
import { secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { TrendChart } from '../orders/TrendChart';
import { TodayVitals } from './TodayVitals';
import { VitalsForm } from './VitalsForm';

type Series = VitalField | 'bmi';
const seriesLabels: Record<Series, string> = {
  temperature: '体温',
  systolic: '収縮期血圧',
  diastolic: '拡張期血圧',
  pulse: '脈拍',
  spo2: 'SpO2',
  heightCm: '身長',
  weightKg: '体重',
  bmi: 'BMI',
};
// The usual range drawn as the band (the flags' limits).
const bands: Partial<Record<Series, [number | null, number | null, string]>> = {
  temperature: [35, 37.5, '℃'],
  systolic: [90, 140, 'mmHg'],
  diastolic: [null, 90, 'mmHg'],
  pulse: [50, 100, '/分'],
  spo2: [96, 100, '%'],
  weightKg: [null, null, 'kg'],
  heightCm: [null, null, 'cm'],
  bmi: [18.5, 25, ''],
};
const choices: Series[] = ['temperature', 'systolic', 'diastolic', 'pulse', 'spo2', 'weightKg', 'bmi'];

/** The chart's バイタル panel: today's line, entry, the trend of one value, and the recent measurements. */
export function ChartVitalsPanel(props: { me: Me; patientId: string; visitId: string | null }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.vitals.list.queryOptions({ patientId: props.patientId }));
  const [entering, setEntering] = useState(false);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [series, setSeries] = useState<Series>('systolic');
  const canWrite = props.me.user.role !== 'admin';
  const rows = list.data?.rows ?? [];
  const seriesValue = (r: (typeof rows)[number], s: Series) => (s === 'bmi' ? r.bmi : r.values[s]);
  // One point per day (the day's last value): a trend over months, labelled by date.
  const byDay = new Map<string, { date: string; value: number; flag: string }>();
  for (const r of rows) {
    const value = seriesValue(r, series);
    if (value !== null) byDay.set(r.measuredOn, { date: r.measuredOn, value, flag: r.flags[series] });
  }
  const points = [...byDay.values()];
  const band = bands[series] ?? [null, null, ''];
  const target = rows.find((r) => r.id === correcting);
  return (
    <section
      className="rounded border border-slate-200 bg-white p-3"
      aria-labelledby="vitals-panel-heading"
      data-testid="vitals-panel"
    >
      <div className="mb-2 flex items-center">
        <h2 id="vitals-panel-heading" className="font-bold">
          バイタル
        </h2>
        {canWrite && (
          <button
            type="button"
            className={`${secondaryButtonClass} no-print ml-auto px-2 py-0.5 text-sm`}
            aria-expanded={entering}
            onClick={() => setEntering((e) => !e)}
          >
            入力
          </button>
        )}
      </div>
      {list.isError && <p className="text-sm text-red-700">{errorMessage(list.error)}</p>}
      <TodayVitals patientId={props.patientId} />
      {entering && (
        <div className="mt-2 rounded bg-slate-50 p-2">
          <VitalsForm
            patientId={props.patientId}
            visitId={props.visitId}
            autoFocus
            onDone={() => setEntering(false)}
            onCancel={() => setEntering(false)}
          />
        </div>
      )}
      {target && (
        <div className="mt-2 rounded bg-amber-50 p-2">
          <p className="mb-1 text-sm font-medium">
            {new Date(target.measuredAt).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })} の記録を修正
          </p>
          <VitalsForm
            patientId={props.patientId}
            visitId={target.visitId}
            correcting={{ id: target.id, values: target.values }}
            onDone={() => setCorrecting(null)}
            onCancel={() => setCorrecting(null)}
          />
        </div>
      )}
      {rows.length > 0 && (
        <>
          <label className="mt-3 flex items-center gap-2 text-sm">
            推移
            <select
              aria-label="推移の項目"
              className="rounded border border-slate-300 px-1 py-0.5"
              value={series}
              onChange={(e) => setSeries(e.target.value as Series)}
            >
              {choices.map((c) => (
                <option key={c} value={c}>
                  {seriesLabels[c]}
                </option>
              ))}
            </select>
          </label>
          <TrendChart
            points={points}
            low={band[0]}
            high={band[1]}
            unit={band[2]}
            title={seriesLabels[series]}
          />
          <table className="mt-2 w-full text-xs" aria-label="バイタルの記録">
            <tbody>
              {rows
                .slice(-8)
                .reverse()
                .map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 align-top">
                    <td className="py-1 pr-2 whitespace-nowrap text-slate-600">
                      {r.measuredOn.slice(5).replace('-', '/')}
                    </td>
                    <td className="py-1 font-mono">
                      {r.line}
                      {r.corrected && (
                        <span className="ml-1 text-amber-800" title={r.correctionReason}>
                          （修正）
                        </span>
                      )}
                    </td>
                    <td className="whitespace-nowrap py-1 pl-1">
                      {canWrite && (
                        <button
                          type="button"
                          className="text-sky-800 underline"
                          onClick={() => setCorrecting(r.id)}
                        >
                          修正
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
