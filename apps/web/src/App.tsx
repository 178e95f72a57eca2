import type { AppRouter } from '@karte/api/router';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { AppShell } from './components/AppShell';
import { Banner } from './components/Field';
import { AuditPage } from './features/admin/AuditPage';
import { UsersPage } from './features/admin/UsersPage';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage';
import { LoginPage } from './features/auth/LoginPage';
import { ApprovalsPage } from './features/chart/ApprovalsPage';
import { ChartPage } from './features/chart/ChartPage';
import { purgeDraftsOfOthers } from './features/chart/useDraftAutosave';
import { DocumentPage } from './features/documents/DocumentPage';
import { DocumentPrintPage } from './features/documents/DocumentPrintPage';
import { LabImportPage } from './features/orders/LabImportPage';
import { LabsPage } from './features/orders/LabsPage';
import { PrescriptionSheetPage } from './features/orders/PrescriptionSheetPage';
import { BoardPage } from './features/reception/BoardPage';
import { PatientEditPage, PatientRegisterPage } from './features/reception/PatientFormPage';
import { PatientPage } from './features/reception/PatientPage';
import { PatientSearchPage } from './features/reception/PatientSearchPage';
import { SharingPage } from './features/sharing/SharingPage';
import { SubmissionsPage } from './features/sharing/SubmissionsPage';
import { errorMessage, useTRPC } from './lib/trpc';

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
  return (
    <AppShell me={auth}>
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
        <Route path="/account/password" element={<ChangePasswordPage />} />
        {auth.user.role === 'admin' && <Route path="/admin/users" element={<UsersPage me={auth} />} />}
        {auth.user.role === 'admin' && <Route path="/admin/audit" element={<AuditPage />} />}
        <Route path="*" element={<Banner kind="warn">ページが見つかりません</Banner>} />
      </Routes>
    </AppShell>
  );
}
