import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Banner, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { kindLabels, SubmissionState } from './SubmissionState';

type Status = 'pending' | 'sent' | 'error' | 'failed' | 'cancelled';
const statusLabels: Record<Status, string> = {
  pending: '送信待ち・再送中',
  sent: '送信済',
  error: 'エラー',
  failed: '送信失敗',
  cancelled: '取消（同意撤回）',
};
type Kind = 'conditions' | 'allergies' | 'labs' | 'referral' | 'discharge' | 'checkup';

/** 共有送信状況: every submission of the facility, filterable, with counts; 再送 for what failed. */
export function SubmissionsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | ''>('');
  const [kind, setKind] = useState<Kind | ''>('');
  const input = { limit: 200, ...(status ? { status } : {}), ...(kind ? { kind } : {}) };
  const list = useQuery({
    ...trpc.sharing.submissions.queryOptions(input),
    // Live while anything is on its way.
    refetchInterval: (q) => ((q.state.data?.counts.pending ?? 0) > 0 ? 2000 : 10_000),
  });
  const resend = useMutation(
    trpc.sharing.resend.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sharing.submissions.queryKey() }),
    }),
  );
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">電子カルテ情報共有サービス 送信状況</h1>
      <div className="flex flex-wrap items-end gap-3">
        {(Object.keys(statusLabels) as Status[]).map((s) => (
          <button
            key={s}
            type="button"
            className={`${secondaryButtonClass} ${status === s ? 'ring-2 ring-sky-400' : ''}`}
            aria-pressed={status === s}
            onClick={() => setStatus(status === s ? '' : s)}
          >
            {statusLabels[s]}{' '}
            <span className="ml-2 font-mono" data-testid={`count-${s}`}>
              {list.data?.counts[s] ?? 0}
            </span>
          </button>
        ))}
        <label className="flex flex-col text-sm">
          種類
          <select className={inputClass} value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
            <option value="">すべて</option>
            {(['conditions', 'allergies', 'labs', 'referral', 'discharge', 'checkup'] as const).map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.isError && <Banner kind="error">{errorMessage(list.error)}</Banner>}
      {resend.isError && <Banner kind="error">{errorMessage(resend.error)}</Banner>}
      {list.data && list.data.rows.length === 0 && <Banner kind="info">該当する送信はありません。</Banner>}
      {list.data && list.data.rows.length > 0 && (
        <table className="w-full border-collapse bg-white text-left text-sm" aria-label="送信一覧">
          <thead>
            <tr className="border-b border-slate-300 text-slate-600">
              <th className="px-2 py-1">患者</th>
              <th className="px-2 py-1">種類</th>
              <th className="px-2 py-1">識別子</th>
              <th className="px-2 py-1">版</th>
              <th className="px-2 py-1">状態</th>
              <th className="px-2 py-1" />
            </tr>
          </thead>
          <tbody>
            {list.data.rows.map((r) => (
              <tr key={r.id} className="border-b border-slate-100">
                <td className="px-2 py-1">
                  <Link className="text-sky-800 underline" to={`/patients/${r.patientId}/sharing`}>
                    {r.patientNumber} {r.familyName} {r.givenName}
                  </Link>
                </td>
                <td className="px-2 py-1">
                  {kindLabels[r.kind] ?? r.kind}
                  {r.action === 'delete' && '（削除）'}
                </td>
                <td className="px-2 py-1 font-mono text-xs">{r.identifier}</td>
                <td className="px-2 py-1">{r.version}</td>
                <td className="px-2 py-1">
                  <SubmissionState
                    state={r.state}
                    sentAt={r.sentAt}
                    lastError={r.lastError}
                    attempts={r.attempts}
                  />
                </td>
                <td className="px-2 py-1">
                  {(r.status === 'error' || r.status === 'failed') && (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={resend.isPending}
                      onClick={() => resend.mutate({ id: r.id })}
                    >
                      再送
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
