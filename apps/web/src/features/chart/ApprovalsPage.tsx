import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Banner, buttonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { ContentView } from './ChartPage';

/** 未承認一覧: the doctor's proxy-entered versions, approved one by one or in bulk. */
export function ApprovalsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useQuery(trpc.chart.pendingApprovals.queryOptions());
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const approve = useMutation(
    trpc.chart.approve.mutationOptions({
      onSuccess: () => {
        setPicked(new Set());
        queryClient.invalidateQueries({ queryKey: trpc.chart.pendingApprovals.queryKey() });
      },
    }),
  );
  const rows = pending.data ?? [];
  const key = (r: { entryId: string; version: number }) => `${r.entryId}:${r.version}`;
  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">未承認一覧（代行入力）</h1>
      {pending.isError && <Banner kind="error">{errorMessage(pending.error)}</Banner>}
      {approve.isError && <Banner kind="error">{errorMessage(approve.error)}</Banner>}
      {pending.isSuccess && rows.length === 0 && <Banner kind="info">承認待ちの記載はありません。</Banner>}
      {rows.length > 0 && (
        <>
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass}
              disabled={approve.isPending}
              onClick={() =>
                approve.mutate({ items: rows.map(({ entryId, version }) => ({ entryId, version })) })
              }
            >
              すべて承認（{rows.length}件）
            </button>
            <button
              type="button"
              className={buttonClass}
              disabled={approve.isPending || picked.size === 0}
              onClick={() =>
                approve.mutate({
                  items: rows
                    .filter((r) => picked.has(key(r)))
                    .map(({ entryId, version }) => ({ entryId, version })),
                })
              }
            >
              選択した記載を承認（{picked.size}件）
            </button>
          </div>
          <ul className="flex flex-col gap-2">
            {rows.map((r) => (
              <li
                key={key(r)}
                className="flex gap-3 rounded border border-slate-200 bg-white p-3"
                data-testid="pending"
              >
                <input
                  type="checkbox"
                  aria-label="承認する"
                  checked={picked.has(key(r))}
                  onChange={(e) =>
                    setPicked((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.add(key(r));
                      else next.delete(key(r));
                      return next;
                    })
                  }
                />
                <div className="flex-1">
                  <p className="text-sm text-slate-600">
                    <Link className="underline" to={`/patients/${r.patientId}/chart`}>
                      {r.patient?.patientNumber} {r.patient?.name}
                    </Link>{' '}
                    第{r.version}版・入力 {r.enteredBy}・
                    {r.createdAt.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}
                  </p>
                  <ContentView c={r.content} />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
