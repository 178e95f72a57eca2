import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Banner } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { SessionsTable } from '../sessions/SessionsTable';

/** セッション: everyone's open sessions in this clinic; the administrator can end any of them. */
export default function SessionsAdminPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.facility.queryOptions());
  const [ended, setEnded] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.sessions.revoke.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.sessions.facility.queryKey() }),
    }),
  );
  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">セッション</h1>
      <p className="text-sm text-slate-600">
        このクリニックで現在ログイン中の端末です（{sessions.data?.length ?? 0}
        件）。終了させた端末では、次の操作でログイン画面に戻り、理由が表示されます。
      </p>
      {sessions.isError && <Banner kind="error">{errorMessage(sessions.error)}</Banner>}
      {revoke.isError && <Banner kind="error">{errorMessage(revoke.error)}</Banner>}
      {ended && !revoke.isError && <Banner kind="info">{ended} の端末をログアウトさせました。</Banner>}
      <SessionsTable
        label="ログイン中のセッション"
        showUser
        sessions={sessions.data ?? []}
        pending={revoke.isPending}
        onRevoke={(s) => revoke.mutate({ ref: s.ref }, { onSuccess: () => setEnded(s.user.displayName) })}
      />
    </section>
  );
}
