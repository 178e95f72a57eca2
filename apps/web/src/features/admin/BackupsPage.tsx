import { toWareki } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Banner, buttonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/** 令和8年12月1日 03:00 (JST). */
function when(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const jst = new Date(d.getTime() + 9 * 3600_000).toISOString();
  return `${toWareki(jst.slice(0, 10))} ${jst.slice(11, 16)}`;
}

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const phaseLabel = {
  dumping: 'データベースを書き出し中',
  encrypting: '暗号化して保存中',
  done: '完了',
} as const;

/** バックアップ: the daily schedule, the last success and failure, the files, and 「今すぐバックアップ」. */
export function BackupsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery({
    ...trpc.backups.overview.queryOptions(),
    // While a backup runs, follow it every second.
    refetchInterval: (q) => (q.state.data?.status.running ? 1000 : false),
  });
  const run = useMutation(
    trpc.backups.runNow.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.backups.overview.queryKey() }),
    }),
  );
  const status = overview.data?.status;
  const files = overview.data?.files ?? [];
  const running = status?.running;

  return (
    <section className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-bold">バックアップ</h1>
        <button
          type="button"
          className={buttonClass}
          onClick={() => run.mutate()}
          disabled={!status?.enabled || Boolean(running) || run.isPending}
        >
          {running ? 'バックアップ中…' : '今すぐバックアップ'}
        </button>
      </div>
      {overview.isError && <Banner kind="error">{errorMessage(overview.error)}</Banner>}
      {run.isError && <Banner kind="error">{errorMessage(run.error)}</Banner>}
      {running && (
        <div role="status" className="rounded border border-sky-200 bg-sky-50 px-3 py-2 text-sm">
          バックアップ中: {phaseLabel[running.phase]}（{size(running.bytes)}）
          <progress className="ml-3 align-middle" aria-label="バックアップの進行状況" />
        </div>
      )}
      {status && !status.enabled && (
        <Banner kind="error">
          自動バックアップは無効です。サーバーの KARTE_BACKUP_DIR に保存先を設定してください。
        </Banner>
      )}
      {status?.enabled && (
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 rounded border border-slate-200 bg-white p-4 text-sm">
          <dt className="text-slate-600">自動バックアップ</dt>
          <dd>
            毎日 {status.at}（日本時間）、新しい {status.keep} 世代を保管
            {status.nextRun && <span className="text-slate-600">　次回: {when(status.nextRun)}</span>}
          </dd>
          <dt className="text-slate-600">最後の成功</dt>
          <dd data-testid="backup-last-success">
            {status.lastSuccess
              ? `${when(status.lastSuccess.at)}（${status.lastSuccess.trigger === 'manual' ? '手動' : '自動'}、${size(status.lastSuccess.bytes)}）`
              : 'まだありません'}
          </dd>
          <dt className="text-slate-600">最後の失敗</dt>
          <dd data-testid="backup-last-failure" className={status.lastFailure ? 'text-red-700' : ''}>
            {status.lastFailure
              ? `${when(status.lastFailure.at)}: ${status.lastFailure.reason ?? ''}`
              : 'ありません'}
          </dd>
        </dl>
      )}
      <table className="w-full border-collapse bg-white text-left text-sm" aria-label="バックアップファイル">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th className="px-2 py-2">ファイル</th>
            <th className="px-2 py-2">作成日時</th>
            <th className="px-2 py-2 text-right">大きさ</th>
            <th className="px-2 py-2">種類</th>
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.name} className="border-b border-slate-100">
              <td className="px-2 py-1 font-mono">{f.name}</td>
              <td className="px-2 py-1">{when(f.createdAt)}</td>
              <td className="px-2 py-1 text-right">{size(f.bytes)}</td>
              <td className="px-2 py-1">
                {f.kind === 'postgres' ? 'PostgreSQL' : f.kind === 'pglite' ? 'PGlite' : '—'}
              </td>
            </tr>
          ))}
          {files.length === 0 && (
            <tr>
              <td colSpan={4} className="px-2 py-3 text-slate-500">
                バックアップファイルはまだありません
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="text-xs text-slate-600">
        バックアップは暗号化されています。復元には鍵ファイルが必要です。鍵ファイルはバックアップとは別の場所に保管してください（手順は
        README「Backups and restore」）。
      </p>
    </section>
  );
}
