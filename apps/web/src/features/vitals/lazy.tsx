import { type ComponentProps, lazy, Suspense } from 'react';
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
  return (
    <Suspense fallback={null}>
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
  return (
    <Suspense fallback={null}>
      <BoardButton {...props} />
    </Suspense>
  );
}
