import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

/**
 * 薬効分類 (ペニシリン系, NSAIDs …) to register a drug allergy as a whole class: the prescription check
 * then matches every drug of that class (drug-classes.csv as loaded).
 */
export function DrugClassChoices({ value, onPick }: { value: string; onPick: (className: string) => void }) {
  const trpc = useTRPC();
  const classes = useQuery({ ...trpc.chart.drugClassNames.queryOptions(), staleTime: 5 * 60_000 });
  if (!classes.data?.length) return null;
  return (
    <fieldset className="flex flex-wrap items-center gap-1">
      <legend className="mb-1">薬効分類で登録（系統すべてに警告）</legend>
      {classes.data.map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={value === name}
          className={`rounded border px-2 py-0.5 ${value === name ? 'border-sky-600 bg-sky-100' : 'border-slate-300 bg-white hover:bg-sky-50'}`}
          onClick={() => onPick(name)}
        >
          {name}
        </button>
      ))}
    </fieldset>
  );
}
