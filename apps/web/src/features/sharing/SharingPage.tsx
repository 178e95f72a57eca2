import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { Me } from '../../App';
import { Banner, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { BundleView } from '../documents/BundleView';
import { kindLabels, SubmissionState } from './SubmissionState';

/**
 * 共有データ: what Karte sends to the share service for this patient — each Bundle checked by the validator,
 * its delivery state (live while on its way) — and the patient's consent to sharing.
 */
export function SharingPage({ me }: { me: Me }) {
  const { id: patientId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const data = useQuery(trpc.sharing.patientBundles.queryOptions({ patientId }));
  const status = useQuery({
    ...trpc.sharing.patientSubmissions.queryOptions({ patientId }),
    // Live while anything is on its way (取消, エラー and 送信失敗 do not move by themselves).
    refetchInterval: (q) =>
      q.state.data?.submissions.some((s) => s.state === '送信待ち' || s.state === '再送中') ? 2000 : false,
  });
  const consent = useMutation(
    trpc.sharing.setConsent.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.sharing.patientSubmissions.queryKey({ patientId }) });
        queryClient.invalidateQueries({ queryKey: trpc.sharing.patientBundles.queryKey({ patientId }) });
      },
    }),
  );
  if (data.isPending) return <p className="text-slate-500">検証中…</p>;
  if (data.isError) return <Banner kind="error">{errorMessage(data.error)}</Banner>;
  const withdrawn = status.data?.consentWithdrawn ?? false;
  const stateOf = (identifier: string) => status.data?.submissions.find((s) => s.identifier === identifier);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-xl font-bold">電子カルテ情報共有サービス 送信データ</h1>
        <Link className="text-sky-800 underline" to={`/patients/${patientId}/chart`}>
          カルテへ
        </Link>
      </div>
      <div className="flex flex-wrap items-center gap-3 rounded border border-slate-200 bg-white p-3">
        <span>
          共有への同意：
          <strong data-testid="consent">{withdrawn ? '撤回（送信しません）' : '同意あり'}</strong>
        </span>
        {me.user.role !== 'admin' && (
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={consent.isPending || !status.data}
            onClick={() => {
              const ok = withdrawn
                ? true
                : window.confirm(
                    '同意を撤回すると、送信済みの傷病名・アレルギー・検査の情報を共有サービスから削除し、まだ送っていない文書の送信を取り消します。よろしいですか？',
                  );
              if (ok) consent.mutate({ patientId, withdrawn: !withdrawn });
            }}
          >
            {withdrawn ? '同意を登録する' : '同意の撤回を登録する'}
          </button>
        )}
        {consent.isError && <Banner kind="error">{errorMessage(consent.error)}</Banner>}
      </div>
      {withdrawn && (
        <Banner kind="warn">共有への同意が撤回されているため、この患者の情報は送信しません。</Banner>
      )}
      {data.data.refused.length > 0 && (
        <Banner kind="warn">
          <p className="font-medium">送らない項目</p>
          <ul className="list-disc pl-5" data-testid="sharing-refused">
            {data.data.refused.map((r) => (
              <li key={`${r.item}-${r.reason}`}>
                {r.item}: {r.reason}
              </li>
            ))}
          </ul>
        </Banner>
      )}
      {data.data.bundles.length === 0 && <Banner kind="info">送る情報はありません。</Banner>}
      <ul className="flex flex-col gap-3" aria-label="Bundle一覧">
        {data.data.bundles.map((b) => (
          <li
            key={b.identifier}
            className="rounded border border-slate-200 bg-white p-3"
            data-testid="sharing-bundle"
          >
            <p className="mb-2 flex flex-wrap items-center gap-2">
              <span className="font-bold">{kindLabels[b.kind] ?? b.kind}</span>
              <span className="text-sm text-slate-600">{(b.bundle.entry?.length ?? 1) - 1} 件</span>
              {(() => {
                const s = stateOf(b.identifier);
                return s ? (
                  <SubmissionState
                    state={s.state}
                    sentAt={s.sentAt}
                    lastError={s.lastError}
                    attempts={s.attempts}
                  />
                ) : (
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-sm">未送信</span>
                );
              })()}
              {b.issues.length === 0 ? (
                <span className="rounded bg-emerald-50 px-2 py-0.5 text-sm text-emerald-800">
                  検証OK（JP-CLINS）
                </span>
              ) : (
                <span className="rounded bg-red-100 px-2 py-0.5 text-sm text-red-900">
                  エラー {b.issues.length} 件
                </span>
              )}
            </p>
            {b.issues.length > 0 && (
              <ul className="mb-2 list-disc pl-5 text-sm text-red-800">
                {b.issues.map((i) => (
                  <li key={`${i.path}-${i.message}`}>
                    {i.messageJa} <span className="font-mono text-xs">({i.path})</span>
                  </li>
                ))}
              </ul>
            )}
            <BundleView bundle={b.bundle} />
          </li>
        ))}
      </ul>
    </div>
  );
}
