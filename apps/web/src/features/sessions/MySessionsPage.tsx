import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Banner } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { SessionsTable } from './SessionsTable';

/** ログイン中の端末: the signed-in user's own sessions; any other one can be ended from here. */
export default function MySessionsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.mine.queryOptions());
  const revoke = useMutation(
    trpc.sessions.revokeMine.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.sessions.mine.queryKey() }),
    }),
  );
  return (
    <section className="flex max-w-4xl flex-col gap-4">
      <h1 className="text-xl font-bold">ログイン中の端末</h1>
      <p className="text-sm text-slate-600">
        あなたのアカウントでログインしている端末です。心当たりのない端末や、使い終わった共用端末は「ログアウトさせる」で終了できます。
      </p>
      {sessions.isError && <Banner kind="error">{errorMessage(sessions.error)}</Banner>}
      {revoke.isError && <Banner kind="error">{errorMessage(revoke.error)}</Banner>}
      {revoke.isSuccess && <Banner kind="info">選んだ端末をログアウトさせました。</Banner>}
      <SessionsTable
        label="ログイン中の端末"
        sessions={sessions.data ?? []}
        pending={revoke.isPending}
        onRevoke={(s) => revoke.mutate({ ref: s.ref })}
      />
    </section>
  );
}
