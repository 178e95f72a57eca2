import { zodResolver } from '@hookform/resolvers/zod';
import { type LabCorrectionFields, labCorrectionFields, toWareki } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Outputs } from '../../App';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorCode, errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

type LabResult = Outputs['orders']['labTrend'][number];

const flagClass = (flag: string) =>
  flag === 'H' ? 'font-bold text-red-700' : flag === 'L' ? 'font-bold text-blue-700' : '';

/** What a corrected value shows on hover: the value it replaced and why. */
export const correctionTitle = (c: NonNullable<LabResult['correction']>) =>
  `修正前 ${c.previousValue}${c.previousUnit ? ` ${c.previousUnit}` : ''}／理由 ${c.reason}`;

/** One item's results, newest first, each with 修正 (a new result in its place, with the reason). */
export function LabResultList(props: { patientId: string; results: LabResult[]; canCorrect: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  const rows = [...props.results].reverse();
  return (
    <table className="border-collapse bg-white text-sm" aria-label="結果の一覧">
      <thead>
        <tr className="bg-slate-100">
          <th className="border border-slate-300 px-2 py-1">採取日</th>
          <th className="border border-slate-300 px-2 py-1">結果</th>
          <th className="border border-slate-300 px-2 py-1">基準値</th>
          <th className="no-print border border-slate-300 px-2 py-1" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid={`lab-result-${r.collectedOn}`}>
            <td className="border border-slate-300 px-2 py-1 whitespace-nowrap">{toWareki(r.collectedOn)}</td>
            <td className="border border-slate-300 px-2 py-1">
              <span className={flagClass(r.flag)}>
                {r.value}
                {r.unit && ` ${r.unit}`}
                {r.flag && <span className="ml-0.5 text-xs">{r.flag}</span>}
              </span>
              {r.correction && (
                <span className="ml-2 text-xs text-amber-800" title={correctionTitle(r.correction)}>
                  修正済（{correctionTitle(r.correction)}）
                </span>
              )}
              {editing === r.id && (
                <CorrectionForm patientId={props.patientId} result={r} onDone={() => setEditing(null)} />
              )}
            </td>
            <td className="border border-slate-300 px-2 py-1 whitespace-nowrap">{r.refText}</td>
            <td className="no-print border border-slate-300 px-2 py-1 whitespace-nowrap">
              {props.canCorrect && editing !== r.id && (
                <button
                  type="button"
                  className={`${secondaryButtonClass} px-2 py-0.5 text-sm`}
                  onClick={() => setEditing(r.id)}
                >
                  修正
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CorrectionForm(props: { patientId: string; result: LabResult; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const r = props.result;
  // The same zod contract as the server: the messages appear beside the field before anything is sent.
  const form = useForm<LabCorrectionFields>({
    resolver: zodResolver(labCorrectionFields),
    defaultValues: { value: r.value, unit: r.unit, range: r.refText, reason: '' },
  });
  const correct = useMutation(
    trpc.orders.correctLabResult.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
        queryClient.invalidateQueries({
          queryKey: trpc.chart.summary.queryKey({ patientId: props.patientId }),
        });
        props.onDone();
      },
      onError: (error) => {
        const errors = Object.fromEntries(
          Object.entries(fieldErrors(error)).map(([k, v]) => [k.replace(/^correction\./, ''), v]),
        );
        showServerFieldErrors(form, errors);
      },
    }),
  );
  const id = (name: string) => `correction-${r.id}-${name}`;
  return (
    <form
      className="mt-2 flex flex-col gap-2 rounded border border-amber-300 bg-amber-50 p-2"
      aria-label="検査結果の修正"
      noValidate
      onSubmit={form.handleSubmit((correction) => correct.mutate({ resultId: r.id, correction }))}
    >
      <p className="text-xs text-slate-700">
        元の結果は消えずに残り、修正した結果がその位置に表示されます（共有サービスにも再送されます）。
      </p>
      <div className="grid grid-cols-2 gap-2 md:grid-cols-4">
        <InputField form={form} id={id('value')} name="value" label="結果値" required />
        <InputField form={form} id={id('unit')} name="unit" label="単位" />
        <InputField form={form} id={id('range')} name="range" label="基準値" hint="例 3.8-5.2" />
        <InputField form={form} id={id('reason')} name="reason" label="修正の理由" required autoFocus />
      </div>
      {correct.isError && Object.keys(fieldErrors(correct.error)).length === 0 && (
        <Banner kind={errorCode(correct.error) === 'CONFLICT' ? 'warn' : 'error'}>
          {errorMessage(correct.error)}
        </Banner>
      )}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={correct.isPending}>
          修正を登録
        </button>
        <button type="button" className={secondaryButtonClass} onClick={props.onDone}>
          やめる
        </button>
      </div>
    </form>
  );
}
