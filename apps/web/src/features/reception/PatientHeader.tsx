import { formatBirthDate, infectionLabels, sexLabels } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import type { Outputs } from '../../App';
import { useTRPC } from '../../lib/trpc';

export type Patient = Outputs['reception']['getPatient'];

/** The band at the top of every patient screen: who this is, unmistakably. */
export function PatientHeader({ patient }: { patient: Patient }) {
  const trpc = useTRPC();
  // Allergies, contraindications and infections are always in sight.
  const summary = useQuery(trpc.chart.summary.queryOptions({ patientId: patient.id }));
  const positives = summary.data?.infections.filter((i) => i.result === 'positive') ?? [];
  // Sticky: who this is, and the allergies, stay in sight while a long chart or prescription scrolls.
  return (
    <section
      aria-label="患者情報"
      className="sticky top-0 z-20 flex flex-wrap items-end gap-x-6 gap-y-1 rounded border border-sky-200 bg-sky-50 px-4 py-3 shadow-sm print:static print:shadow-none"
      data-testid="patient-header"
    >
      <div className="text-sm text-slate-600">
        患者番号 <span className="font-mono text-lg font-bold text-slate-900">{patient.patientNumber}</span>
      </div>
      <div>
        <div className="text-xs text-slate-600">
          {patient.familyNameKana} {patient.givenNameKana}
        </div>
        <div className="text-2xl font-bold">
          {patient.familyName} {patient.givenName}
        </div>
      </div>
      <div className="text-base">{sexLabels[patient.sex]}</div>
      <div className="text-base" data-testid="patient-birth">
        {formatBirthDate(patient.birthDate)}
      </div>
      {patient.phone && <div className="text-sm text-slate-600">☎ {patient.phone}</div>}
      <div className="flex w-full flex-wrap gap-2 text-sm" data-testid="header-alerts">
        {summary.data?.allergies.map((a) => (
          <span
            key={a.id}
            className={`rounded px-2 py-0.5 ${a.criticality === 'high' ? 'bg-red-600 text-white' : 'bg-red-100 text-red-900'}`}
          >
            {a.category === 'drug' ? '禁忌' : 'アレルギー'}: {a.substance}
          </span>
        ))}
        {positives.map((i) => (
          <span key={i.kind} className="rounded bg-purple-100 px-2 py-0.5 text-purple-900">
            {infectionLabels[i.kind]} 陽性
          </span>
        ))}
        {summary.isSuccess && summary.data.allergies.length === 0 && (
          <span className="text-slate-500">アレルギー・禁忌の登録なし</span>
        )}
      </div>
    </section>
  );
}
