import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/**
 * 問診を取り込む / バイタルを取り込む: when the note was begun before the 問診 or vitals arrived, the editor
 * offers them instead of overwriting — each appended to S or O once, shown only while not yet in the text.
 */
export function SoapImportButtons(props: {
  encounterId: string;
  s: string;
  o: string;
  onImport: (field: 's' | 'o', text: string) => void;
}) {
  const trpc = useTRPC();
  const sources = useQuery({
    ...trpc.vitals.draftSources.queryOptions({ encounterId: props.encounterId }),
    refetchInterval: 30_000,
  });
  const intake = sources.data?.intakeText;
  const vitals = sources.data?.vitalsLine;
  const offerIntake = !!intake && !props.s.includes(intake);
  const offerVitals = !!vitals && !props.o.includes(vitals);
  if (!offerIntake && !offerVitals) return null;
  const button =
    'rounded border border-emerald-600 bg-emerald-50 px-2 py-0.5 text-sm text-emerald-900 hover:bg-emerald-100';
  return (
    <div className="no-print flex flex-wrap items-center gap-2 text-sm" data-testid="soap-import">
      <span className="text-slate-600">受付で入力された内容があります:</span>
      {offerIntake && (
        <button type="button" className={button} onClick={() => props.onImport('s', intake)}>
          問診を取り込む
        </button>
      )}
      {offerVitals && (
        <button type="button" className={button} onClick={() => props.onImport('o', vitals)}>
          バイタルを取り込む
        </button>
      )}
    </div>
  );
}
