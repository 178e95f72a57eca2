import { formatBirthDate, sexLabels } from '@karte/domain';
import type { Outputs } from '../../App';

export type Patient = Outputs['reception']['getPatient'];

/** The band at the top of every patient screen: who this is, unmistakably. */
export function PatientHeader({ patient }: { patient: Patient }) {
  return (
    <section
      aria-label="患者情報"
      className="flex flex-wrap items-end gap-x-6 gap-y-1 rounded border border-sky-200 bg-sky-50 px-4 py-3"
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
    </section>
  );
}
