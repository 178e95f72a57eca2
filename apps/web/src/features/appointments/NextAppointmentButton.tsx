import { lazy, Suspense, useState } from 'react';
import { secondaryButtonClass } from '../../components/Field';

const NextAppointmentDialog = lazy(() => import('./NextAppointmentDialog'));

/** 次回予約: 2/4/8週後 (same weekday, the time of now or the day's first free slot) or a date chosen. */
export function NextAppointmentButton(props: { patientId: string; department?: string; doctorId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={secondaryButtonClass} onClick={() => setOpen(true)}>
        次回予約
      </button>
      {open && (
        <Suspense fallback={null}>
          <NextAppointmentDialog {...props} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
