/** 推移グラフ: one item's numeric results over time, with the reference range as a band. */
export function TrendChart(props: {
  points: { date: string; value: number; flag: string }[];
  low: number | null;
  high: number | null;
  unit: string;
  title: string;
}) {
  const W = 640;
  const H = 220;
  const pad = { l: 48, r: 12, t: 16, b: 32 };
  const pts = props.points;
  if (pts.length === 0) return <p className="text-sm text-slate-500">数値の結果がありません。</p>;
  const values = [
    ...pts.map((p) => p.value),
    ...(props.low !== null ? [props.low] : []),
    ...(props.high !== null ? [props.high] : []),
  ];
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const span = max - min;
  min -= span * 0.1;
  max += span * 0.1;
  const t0 = Date.parse(pts[0]?.date ?? '');
  const t1 = Date.parse(pts.at(-1)?.date ?? '');
  const x = (d: string) =>
    pad.l + (t1 === t0 ? (W - pad.l - pad.r) / 2 : ((Date.parse(d) - t0) / (t1 - t0)) * (W - pad.l - pad.r));
  const y = (v: number) => pad.t + (1 - (v - min) / (max - min)) * (H - pad.t - pad.b);
  const ticks = [min, (min + max) / 2, max];
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="w-full max-w-3xl"
      role="img"
      aria-label={`${props.title}の推移`}
    >
      {props.low !== null || props.high !== null ? (
        <rect
          x={pad.l}
          width={W - pad.l - pad.r}
          y={y(props.high ?? max)}
          height={y(props.low ?? min) - y(props.high ?? max)}
          className="fill-emerald-50"
        />
      ) : null}
      <line x1={pad.l} x2={pad.l} y1={pad.t} y2={H - pad.b} className="stroke-slate-400" />
      <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} className="stroke-slate-400" />
      {ticks.map((v) => (
        <text key={v} x={pad.l - 4} y={y(v) + 4} textAnchor="end" className="fill-slate-600 text-[10px]">
          {+v.toPrecision(3)}
        </text>
      ))}
      <text x={pad.l} y={10} className="fill-slate-600 text-[10px]">
        {props.unit}
      </text>
      <polyline
        fill="none"
        className="stroke-sky-700"
        strokeWidth={2}
        points={pts.map((p) => `${x(p.date)},${y(p.value)}`).join(' ')}
      />
      {pts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: several results may share a date
        <g key={`${p.date}-${i}`}>
          <circle
            cx={x(p.date)}
            cy={y(p.value)}
            r={pts.length > 200 ? 1.5 : 3.5}
            className={p.flag === 'H' ? 'fill-red-600' : p.flag === 'L' ? 'fill-blue-600' : 'fill-sky-700'}
          >
            <title>{`${p.date} ${p.value}${props.unit}${p.flag ? ` ${p.flag}` : ''}`}</title>
          </circle>
        </g>
      ))}
      <text x={pad.l} y={H - 8} className="fill-slate-600 text-[10px]">
        {pts[0]?.date}
      </text>
      <text x={W - pad.r} y={H - 8} textAnchor="end" className="fill-slate-600 text-[10px]">
        {pts.at(-1)?.date}
      </text>
    </svg>
  );
}
