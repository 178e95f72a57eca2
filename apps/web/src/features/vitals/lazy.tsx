import { type ComponentProps, lazy, Suspense } from 'react';
import { secondaryButtonClass } from '../../components/Field';
import type { BoardVitalsButton as Board } from './VitalsDialog';

// The vitals UI mounted in the always-loaded pages (board, patient, chart) is fetched on first use, so the SPA's
// first load stays within its budget.

const ChartPanel = lazy(() => import('./ChartVitalsPanel').then((m) => ({ default: m.ChartVitalsPanel })));
const CheckIn = lazy(() => import('./CheckInVitals').then((m) => ({ default: m.CheckInVitals })));
const SoapImport = lazy(() => import('./SoapImportButtons').then((m) => ({ default: m.SoapImportButtons })));
const BoardButton = lazy(() => import('./VitalsDialog').then((m) => ({ default: m.BoardVitalsButton })));

export function ChartVitalsPanel(props: ComponentProps<typeof ChartPanel>) {
  return (
    <Suspense fallback={null}>
      <ChartPanel {...props} />
    </Suspense>
  );
}

export function CheckInVitals(props: ComponentProps<typeof CheckIn>) {
  // The panel's height while its code loads, so that what is below does not jump.
  return (
    <Suspense
      fallback={
        <div className="mt-3 border-t border-slate-200 pt-3">
          <div className="h-10" />
        </div>
      }
    >
      <CheckIn {...props} />
    </Suspense>
  );
}

export function SoapImportButtons(props: ComponentProps<typeof SoapImport>) {
  return (
    <Suspense fallback={null}>
      <SoapImport {...props} />
    </Suspense>
  );
}

export function BoardVitalsButton(props: ComponentProps<typeof Board>) {
  if (props.me.user.role !== 'nurse' && props.me.user.role !== 'clerk') return null;
  // Not for a visit that did not happen.
  if (props.visit.state === 'cancelled' || props.visit.state === 'absent') return null;
  // The same button while its code loads: the row's other actions do not move under the pointer.
  const placeholder = (
    <button type="button" className={`${secondaryButtonClass} px-2 py-1 text-sm`} disabled>
      バイタル
    </button>
  );
  return (
    <Suspense fallback={placeholder}>
      <BoardButton {...props} />
    </Suspense>
  );
}
