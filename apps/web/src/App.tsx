import type { AppRouter } from '@karte/api/router';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { lazy, Suspense, useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { AppShell } from './components/AppShell';
import { Banner } from './components/Field';
import { AdminLayout } from './features/admin/AdminLayout';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage';
import { LoginPage } from './features/auth/LoginPage';
import { ChartPage } from './features/chart/ChartPage';
import { purgeDraftsOfOthers } from './features/chart/useDraftAutosave';
import { BoardPage } from './features/reception/BoardPage';
import { PatientEditPage, PatientRegisterPage } from './features/reception/PatientFormPage';
import { PatientPage } from './features/reception/PatientPage';
import { PatientSearchPage } from './features/reception/PatientSearchPage';
import { errorMessage, useTRPC } from './lib/trpc';

// Screens used now and then load on first use, so the first load stays ≤ 200 KB gzip (see
// apps/web/scripts/first-load-size.mjs). 会計 is its own chunk.
const AuditPage = lazy(() => import('./features/admin/AuditPage').then((m) => ({ default: m.AuditPage })));
const OfflinePage = lazy(() =>
  import('./features/admin/OfflinePage').then((m) => ({ default: m.OfflinePage })),
);
const BackupsPage = lazy(() =>
  import('./features/admin/BackupsPage').then((m) => ({ default: m.BackupsPage })),
);
const UsersPage = lazy(() => import('./features/admin/UsersPage').then((m) => ({ default: m.UsersPage })));
const ApprovalsPage = lazy(() =>
  import('./features/chart/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })),
);
const DocumentPage = lazy(() =>
  import('./features/documents/DocumentPage').then((m) => ({ default: m.DocumentPage })),
);
const DocumentPrintPage = lazy(() =>
  import('./features/documents/DocumentPrintPage').then((m) => ({ default: m.DocumentPrintPage })),
);
const LabImportPage = lazy(() =>
  import('./features/orders/LabImportPage').then((m) => ({ default: m.LabImportPage })),
);
const LabsPage = lazy(() => import('./features/orders/LabsPage').then((m) => ({ default: m.LabsPage })));
const PrescriptionSheetPage = lazy(() =>
  import('./features/orders/PrescriptionSheetPage').then((m) => ({ default: m.PrescriptionSheetPage })),
);
const SharingPage = lazy(() =>
  import('./features/sharing/SharingPage').then((m) => ({ default: m.SharingPage })),
);
const SubmissionsPage = lazy(() =>
  import('./features/sharing/SubmissionsPage').then((m) => ({ default: m.SubmissionsPage })),
);
const TwoFactorPage = lazy(() =>
  import('./features/admin/TwoFactorPage').then((m) => ({ default: m.TwoFactorPage })),
);
const SecurityPage = lazy(() =>
  import('./features/account/SecurityPage').then((m) => ({ default: m.SecurityPage })),
);
const BillingPage = lazy(() => import('./features/billing/BillingPage'));
const BillPrintPage = lazy(() => import('./features/billing/BillPrintPage'));
const DailyReportPage = lazy(() => import('./features/billing/DailyReportPage'));
const BillingSettingsPage = lazy(() => import('./features/billing/BillingSettingsPage'));
const ClinicSettingsPage = lazy(() => import('./features/admin/ClinicSettingsPage'));
const SessionsAdminPage = lazy(() => import('./features/admin/SessionsAdminPage'));
const PatientCardPage = lazy(() =>
  import('./features/reception/PatientCardPage').then((m) => ({ default: m.PatientCardPage })),
);
const MySessionsPage = lazy(() => import('./features/sessions/MySessionsPage'));
const CalendarPage = lazy(() => import('./features/appointments/CalendarPage'));
const SlipPage = lazy(() => import('./features/appointments/SlipPage'));

export type Outputs = inferRouterOutputs<AppRouter>;
export type Me = NonNullable<Outputs['auth']['me']['auth']>;

export function App() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  const signedIn = me.data?.auth;
  // Unsaved chart text another user left in this tab is not theirs to see (see useDraftAutosave).
  useEffect(() => {
    if (signedIn) purgeDraftsOfOthers(signedIn.facility.id, signedIn.user.id);
  }, [signedIn]);
  if (me.isPending) return <p className="p-8 text-slate-500">読み込み中…</p>;
  if (me.isError)
    return (
      <div className="p-8">
        <Banner kind="error">{errorMessage(me.error)}</Banner>
      </div>
    );
  const auth = me.data.auth;
  if (!auth)
    return (
      <LoginPage
        demo={me.data.demo}
        demoFacilityCode={me.data.demoFacilityCode}
        ended={me.data.ended?.message}
      />
    );
  if (auth.user.mustChangePassword)
    return (
      <AppShell me={auth}>
        <ChangePasswordPage forced />
      </AppShell>
    );
  // 会計 is the window's work (clerks, the admin).
  const cashier = auth.user.role === 'clerk' || auth.user.role === 'admin';
  return (
    <AppShell me={auth}>
      <Suspense fallback={<p className="text-slate-500">読み込み中…</p>}>
        <Routes>
          <Route path="/" element={<PatientSearchPage />} />
          <Route path="/patients/new" element={<PatientRegisterPage />} />
          <Route path="/patients/:id" element={<PatientPage me={auth} />} />
          <Route path="/reception/board" element={<BoardPage me={auth} />} />
          <Route path="/patients/:id/chart" element={<ChartPage me={auth} />} />
          <Route path="/patients/:id/labs" element={<LabsPage me={auth} />} />
          <Route path="/prescriptions/:entryId/print" element={<PrescriptionSheetPage />} />
          <Route path="/documents/:entryId" element={<DocumentPage me={auth} />} />
          <Route path="/documents/:entryId/print" element={<DocumentPrintPage />} />
          <Route path="/patients/:id/sharing" element={<SharingPage me={auth} />} />
          <Route path="/sharing" element={<SubmissionsPage />} />
          {auth.user.role !== 'admin' && <Route path="/labs/import" element={<LabImportPage me={auth} />} />}
          {auth.user.role === 'doctor' && <Route path="/chart/approvals" element={<ApprovalsPage />} />}
          <Route path="/patients/:id/edit" element={<PatientEditPage />} />
          <Route path="/patients/:id/card" element={<PatientCardPage />} />
          <Route path="/account/password" element={<ChangePasswordPage />} />
          <Route path="/account/security" element={<SecurityPage />} />
          <Route path="/account/sessions" element={<MySessionsPage />} />
          <Route path="/appointments" element={<CalendarPage me={auth} />} />
          <Route path="/appointments/:appointmentId/slip" element={<SlipPage />} />
          {cashier && <Route path="/billing/daily" element={<DailyReportPage />} />}
          {cashier && <Route path="/billing/bills/:billId/:kind" element={<BillPrintPage />} />}
          {cashier && <Route path="/billing/:visitId" element={<BillingPage />} />}
          {auth.user.role === 'admin' && (
            <Route element={<AdminLayout />}>
              <Route path="/admin/users" element={<UsersPage me={auth} />} />
              <Route path="/admin/audit" element={<AuditPage />} />
              <Route path="/admin/billing" element={<BillingSettingsPage />} />
              <Route path="/admin/offline" element={<OfflinePage />} />
              <Route path="/admin/backups" element={<BackupsPage />} />
              <Route path="/admin/two-factor" element={<TwoFactorPage />} />
              <Route path="/admin/clinic" element={<ClinicSettingsPage />} />
              <Route path="/admin/sessions" element={<SessionsAdminPage />} />
            </Route>
          )}
          <Route path="*" element={<Banner kind="warn">ページが見つかりません</Banner>} />
        </Routes>
      </Suspense>
    </AppShell>
  );
}
