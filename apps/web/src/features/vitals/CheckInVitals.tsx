import { useState } from 'react';
import { secondaryButtonClass } from '../../components/Field';
import { IntakeForm } from './IntakeForm';
import { TodayVitals } from './TodayVitals';
import { VitalsForm } from './VitalsForm';

/** After 受付: today's vitals and the 問診 for the visit, on the patient page's check-in panel. */
export function CheckInVitals({ patientId, visitId }: { patientId: string; visitId: string }) {
  const [open, setOpen] = useState<'vitals' | 'intake' | null>(null);
  const toggle = (k: 'vitals' | 'intake') => setOpen((o) => (o === k ? null : k));
  return (
    <div className="mt-3 flex flex-col gap-3 border-t border-slate-200 pt-3" data-testid="checkin-vitals">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className={secondaryButtonClass}
          aria-expanded={open === 'vitals'}
          onClick={() => toggle('vitals')}
        >
          バイタル入力
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          aria-expanded={open === 'intake'}
          onClick={() => toggle('intake')}
        >
          問診
        </button>
        <TodayVitals patientId={patientId} />
      </div>
      {open === 'vitals' && (
        <VitalsForm patientId={patientId} visitId={visitId} autoFocus onDone={() => setOpen(null)} />
      )}
      {open === 'intake' && <IntakeForm visitId={visitId} onClose={() => setOpen(null)} />}
    </div>
  );
}
