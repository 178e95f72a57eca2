import { type PrescriptionContent, type RpDrug, residualLabels } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { inputClass } from '../../components/Field';
import { useTRPC } from '../../lib/trpc';

type SheetPatch = Partial<Pick<PrescriptionContent, 'publicSubsidyIds' | 'refill' | 'residual'>>;

/** The server's message for one field of the prescription, shown under it. */
export const fieldError = (errors: Record<string, string>, key: string) =>
  errors[key] ? (
    <p role="alert" className="text-xs text-red-700">
      {errors[key]}
    </p>
  ) : null;

/** 変更不可（医療上必要）/ 患者希望 for one drug (様式第二号); 一般名処方 has neither. */
export function DrugSheetFlags({
  drug,
  onChange,
}: {
  drug: RpDrug;
  onChange: (patch: Pick<RpDrug, 'noChange' | 'patientWish'>) => void;
}) {
  const title = drug.generic ? '一般名処方には付けられません' : undefined;
  return (
    <span className="flex items-center gap-2 text-xs">
      <label className="flex items-center gap-1" title={title}>
        <input
          type="checkbox"
          disabled={drug.generic}
          checked={!!drug.noChange}
          aria-label={`${drug.name} 変更不可（医療上必要）`}
          onChange={(e) => onChange({ noChange: e.target.checked, patientWish: false })}
        />
        変更不可
      </label>
      <label className="flex items-center gap-1" title={title}>
        <input
          type="checkbox"
          disabled={drug.generic}
          checked={!!drug.patientWish}
          aria-label={`${drug.name} 患者希望`}
          onChange={(e) => onChange({ patientWish: e.target.checked, noChange: false })}
        />
        患者希望
      </label>
    </span>
  );
}

/**
 * What the 処方箋 carries besides the RPs: which of the patient's current 公費 apply to this prescription
 * (none unless the doctor ticks one), リフィル可 with its 回数, and the 残薬 handling for the pharmacy.
 */
export function PrescriptionSheetOptions({
  patientId,
  content,
  errors,
  onChange,
}: {
  patientId: string;
  content: PrescriptionContent;
  errors: Record<string, string>;
  onChange: (patch: SheetPatch) => void;
}) {
  const trpc = useTRPC();
  const insurance = useQuery(trpc.reception.insurance.queryOptions({ patientId }));
  const subsidies = insurance.data?.subsidies ?? [];
  const chosen = content.publicSubsidyIds ?? [];
  const err = (key: string) => fieldError(errors, key);
  return (
    <fieldset className="flex flex-col gap-2 rounded border border-slate-200 p-2 text-sm">
      <legend className="px-1 font-medium">処方箋の記載</legend>
      <div className="flex flex-wrap items-center gap-3">
        <span>公費</span>
        {subsidies.length === 0 && <span className="text-slate-500">登録された公費はありません</span>}
        {subsidies.map((s) => (
          <label key={s.id} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={chosen.includes(s.id)}
              aria-label={`公費 ${s.label}（${s.payerNumber}）をこの処方に適用`}
              onChange={(e) =>
                onChange({
                  publicSubsidyIds: e.target.checked ? [...chosen, s.id] : chosen.filter((id) => id !== s.id),
                })
              }
            />
            {s.label}（{s.payerNumber}）
          </label>
        ))}
        {subsidies.length > 0 && (
          <span className="text-xs text-slate-500">この処方に関係する公費だけ選んでください</span>
        )}
      </div>
      {err('content.publicSubsidyIds')}
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-1">
          リフィル
          <select
            className={`${inputClass} py-1`}
            aria-label="リフィル"
            value={content.refill ?? ''}
            disabled={content.place !== 'outside' && !content.refill}
            onChange={(e) =>
              onChange({ refill: e.target.value === '' ? null : e.target.value === '3' ? 3 : 2 })
            }
          >
            <option value="">なし</option>
            <option value="2">リフィル可（2回）</option>
            <option value="3">リフィル可（3回）</option>
          </select>
        </label>
        <span className="text-xs text-slate-500">
          院外処方のみ。麻薬・向精神薬・新薬など投薬量に限度のある薬と湿布薬は不可（医師が判断）
        </span>
      </div>
      {err('content.refill')}
      <div className="flex flex-wrap items-center gap-3">
        <span>残薬を確認した場合</span>
        {([null, 'inquire', 'inform'] as const).map((k) => (
          <label key={k ?? 'none'} className="flex items-center gap-1">
            <input
              type="radio"
              name={`residual-${patientId}`}
              checked={(content.residual ?? null) === k}
              onChange={() => onChange({ residual: k })}
            />
            {k ? residualLabels[k] : '指示なし'}
          </label>
        ))}
      </div>
      {err('content.residual')}
    </fieldset>
  );
}
