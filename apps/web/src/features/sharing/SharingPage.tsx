import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Banner } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { BundleView } from '../documents/BundleView';

const kindLabels: Record<string, string> = {
  conditions: '傷病名',
  allergies: 'アレルギー・薬剤禁忌',
  labs: '検査・感染症',
  delete: '削除',
  referral: '診療情報提供書',
  discharge: '退院時サマリー',
  checkup: '健康診断結果報告書',
};

/** 共有用データ: what Karte would send to the share service for this patient, checked by the validator. */
export function SharingPage() {
  const { id: patientId = '' } = useParams();
  const trpc = useTRPC();
  const data = useQuery(trpc.sharing.patientBundles.queryOptions({ patientId }));
  if (data.isPending) return <p className="text-slate-500">検証中…</p>;
  if (data.isError) return <Banner kind="error">{errorMessage(data.error)}</Banner>;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-xl font-bold">電子カルテ情報共有サービス 送信データ</h1>
        <Link className="text-sky-800 underline" to={`/patients/${patientId}/chart`}>
          カルテへ
        </Link>
      </div>
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
