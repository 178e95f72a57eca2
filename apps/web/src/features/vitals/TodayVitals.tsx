import { VITAL_RANGES, type VitalField } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { errorMessage, useTRPC } from '../../lib/trpc';

const order: (VitalField | 'bmi')[] = ['temperature', 'systolic', 'diastolic', 'pulse', 'spo2', 'bmi'];

/** Today's measurements merged into the O line; values outside the usual range in red with ↑/↓. */
export function TodayVitals({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.vitals.list.queryOptions({ patientId }));
  if (list.isError) return <p className="text-sm text-red-700">{errorMessage(list.error)}</p>;
  const today = list.data?.today;
  if (!today) return <p className="text-sm text-slate-500">本日のバイタルは未入力です。</p>;
  const flagged = order.filter((f) => today.flags[f]);
  return (
    <div className="text-sm" data-testid="today-vitals">
      <p className="font-mono">{today.line}</p>
      {flagged.length > 0 && (
        <p className="mt-1 font-bold text-red-700" data-testid="vitals-flags">
          要注意:{' '}
          {flagged
            .map((f) => `${f === 'bmi' ? 'BMI' : VITAL_RANGES[f].label}${today.flags[f] === 'H' ? '↑' : '↓'}`)
            .join('、')}
        </p>
      )}
    </div>
  );
}
