import {
  doseText,
  durationText,
  type PrescriptionContent,
  placeLabels,
  residualLabels,
  usageKindLabels,
} from '@karte/domain';

/** A prescription as the chart and the 処方箋 show it: RP by RP. */
export function PrescriptionView({ c }: { c: PrescriptionContent }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="prescription">
      <p className="text-xs text-slate-500">処方（{placeLabels[c.place]}）</p>
      <ol className="flex flex-col gap-2">
        {c.rps.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: RPs are numbered by position
          <li key={i} className="grid grid-cols-[3rem_1fr] gap-1">
            <span className="font-medium">RP{i + 1}</span>
            <div>
              {r.drugs.map((d) => (
                <p key={d.code} className="flex flex-wrap justify-between gap-2">
                  <span>
                    {d.name}
                    {d.noChange && <span className="ml-1 text-xs text-slate-600">［変更不可］</span>}
                    {d.patientWish && <span className="ml-1 text-xs text-slate-600">［患者希望］</span>}
                  </span>
                  <span>{doseText(r, d)}</span>
                </p>
              ))}
              <p className="text-slate-700">
                【{usageKindLabels[r.kind]}】{r.usageText} {durationText(r)}
              </p>
            </div>
          </li>
        ))}
      </ol>
      {(c.refill || c.residual || (c.publicSubsidyIds?.length ?? 0) > 0) && (
        <p className="text-xs text-slate-600">
          {c.refill ? `リフィル可（${c.refill}回） ` : ''}
          {c.residual ? `残薬: ${residualLabels[c.residual]} ` : ''}
          {(c.publicSubsidyIds?.length ?? 0) > 0 ? `公費 ${c.publicSubsidyIds?.length}件を適用` : ''}
        </p>
      )}
      {c.overrides.length > 0 && (
        <ul className="rounded border border-amber-200 bg-amber-50 p-2 text-xs text-amber-900">
          {c.overrides.map((o) => (
            <li key={o.key}>チェックを確認のうえ処方: {o.reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
