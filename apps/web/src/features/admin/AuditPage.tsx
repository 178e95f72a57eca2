import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC, useTRPCClient } from '../../lib/trpc';

const actionLabels: Record<string, string> = {
  read: '閲覧',
  search: '検索',
  create: '登録',
  update: '更新',
  delete: '削除',
  send: '送信',
  export: '書き出し',
  'eligibility-check': '資格確認',
  'share-send': '共有サービスへ送信',
  login: 'ログイン',
  'audit-search': '監査ログ検索',
  'audit-verify': '監査ログ検証',
  backup: 'バックアップ',
  'backup-result': 'バックアップ結果',
  'audit-checkpoint': 'チェックポイント作成',
  'create-user': '利用者追加',
  'disable-user': '利用者無効化',
  'enable-user': '利用者有効化',
  'change-password': 'パスワード変更',
  'seed-demo': 'デモ初期登録',
  'seed-initial-admin': '初期管理者作成',
};
const outcomeLabels: Record<string, string> = {
  ok: '成功',
  denied: '拒否',
  invalid: '入力誤り',
  conflict: '競合',
  error: 'エラー',
};

interface Filters {
  patientId?: string;
  userId?: string;
  from?: string;
  to?: string;
  excludeListReads: boolean;
}

/** The patients a list read showed (its detail names them), as a count. */
const shownCount = (detail: Record<string, unknown>) =>
  Array.isArray(detail.patientIds) ? detail.patientIds.length : null;

export function AuditPage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  // The board alone is read every few seconds on every terminal: those reads are hidden unless asked for.
  const [filters, setFilters] = useState<Filters>({ excludeListReads: true });
  const [excludeListReads, setExcludeListReads] = useState(true);
  const [patientNumber, setPatientNumber] = useState('');
  const [userId, setUserId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const users = useQuery(trpc.admin.listUsers.queryOptions());
  const events = useInfiniteQuery(
    trpc.admin.searchAudit.infiniteQueryOptions(
      { ...filters, limit: 100 },
      { getNextPageParam: (page) => (page.length === 100 ? page.at(-1)?.seq : undefined) },
    ),
  );
  const rows = events.data?.pages.flat() ?? [];
  const queryClient = useQueryClient();
  const anchor = useQuery(trpc.auditTrail.status.queryOptions());
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.auditTrail.status.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.searchAudit.infiniteQueryKey() }),
    ]);
  // Verification against the signed checkpoints (the chain, the anchors, the sealed clinical rows).
  const verify = useMutation(trpc.auditTrail.verify.mutationOptions({ onSettled: refresh }));
  const checkpoint = useMutation(trpc.auditTrail.checkpoint.mutationOptions({ onSettled: refresh }));

  const apply = async (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    let patientId: string | undefined;
    if (patientNumber.trim()) {
      if (!/^[0-9０-９]+$/.test(patientNumber.trim()))
        return setFormError('患者番号は数字で入力してください');
      const found = await client.reception.searchPatients.query({ query: patientNumber.trim(), limit: 1 });
      if (!found[0]) return setFormError('その患者番号の患者はいません');
      patientId = found[0].id;
    }
    if (from && to && from > to) return setFormError('期間の開始日が終了日より後です');
    setFilters({
      patientId,
      userId: userId || undefined,
      from: from || undefined,
      to: to || undefined,
      excludeListReads,
    });
  };

  return (
    <section className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">監査ログ</h1>
      <section
        aria-label="改ざん検証"
        className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-3 text-sm"
      >
        <div className="flex flex-wrap items-center gap-3">
          <div className="grow" data-testid="latest-checkpoint">
            最新のチェックポイント:{' '}
            {anchor.data?.latest ? (
              <>
                {new Date(anchor.data.latest.createdAt).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}
                （連番 {anchor.data.latest.seq} まで署名済み）
              </>
            ) : anchor.isPending ? (
              '読み込み中…'
            ) : (
              'まだありません'
            )}
            {anchor.data && anchor.data.intervalMinutes > 0 && (
              <span className="ml-2 text-slate-500">（{anchor.data.intervalMinutes}分ごとに自動作成）</span>
            )}
          </div>
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => checkpoint.mutate()}
            disabled={checkpoint.isPending}
          >
            {checkpoint.isPending ? '作成中…' : 'チェックポイントを作成'}
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => verify.mutate()}
            disabled={verify.isPending}
          >
            {verify.isPending ? '検証中…' : '改ざん検証を実行'}
          </button>
        </div>
        {anchor.data?.problem && <Banner kind="error">{anchor.data.problem}</Banner>}
        {checkpoint.data && (
          <Banner kind="info">チェックポイントを作成しました（連番 {checkpoint.data.seq} まで署名）。</Banner>
        )}
        {checkpoint.isError && <Banner kind="error">{errorMessage(checkpoint.error)}</Banner>}
        {verify.data &&
          (verify.data.ok ? (
            <Banner kind="info">
              ハッシュチェーンは正常です（{verify.data.events}件を検証）。
              {verify.data.checkpoints > 0
                ? `署名済みチェックポイント${verify.data.checkpoints}件（連番 ${verify.data.anchoredSeq} まで）と一致し、`
                : 'チェックポイントはまだありません。'}
              確定記録{verify.data.sealedRows}件も改ざんされていません。
            </Banner>
          ) : (
            <Banner kind="error">
              <div>
                改ざんまたは欠落を検出しました。最初の異常: 連番 {verify.data.brokenAt}（{verify.data.problem}
                ）
              </div>
              <ul className="mt-1 list-disc pl-5">
                {verify.data.problems.slice(0, 20).map((p) => (
                  <li key={`${p.kind}-${p.seq}-${p.message}`}>{p.message}</li>
                ))}
              </ul>
              {verify.data.problems.length > 20 && <div>ほか {verify.data.problems.length - 20} 件</div>}
            </Banner>
          ))}
        {verify.isError && <Banner kind="error">{errorMessage(verify.error)}</Banner>}
      </section>
      <form className="grid grid-cols-2 items-end gap-3 md:grid-cols-5" onSubmit={apply} noValidate>
        <Field label="患者番号" htmlFor="audit-patient">
          <input
            id="audit-patient"
            className={inputClass}
            value={patientNumber}
            onChange={(e) => setPatientNumber(e.target.value)}
          />
        </Field>
        <Field label="利用者" htmlFor="audit-user">
          <select
            id="audit-user"
            className={inputClass}
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          >
            <option value="">すべて</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}（{u.username}）
              </option>
            ))}
          </select>
        </Field>
        <Field label="開始日" htmlFor="audit-from">
          <input
            id="audit-from"
            type="date"
            className={inputClass}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </Field>
        <Field label="終了日" htmlFor="audit-to">
          <input
            id="audit-to"
            type="date"
            className={inputClass}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </Field>
        <button type="submit" className={buttonClass}>
          検索
        </button>
        <label className="col-span-2 flex items-center gap-2 text-sm md:col-span-5">
          <input
            type="checkbox"
            checked={excludeListReads}
            onChange={(e) => {
              setExcludeListReads(e.target.checked);
              setFilters((f) => ({ ...f, excludeListReads: e.target.checked }));
            }}
          />
          一覧の閲覧を除く（受付一覧・共有送信・未承認一覧。記録は残っています）
        </label>
      </form>
      {formError && <Banner kind="error">{formError}</Banner>}
      {events.isError && <Banner kind="error">{errorMessage(events.error)}</Banner>}
      <table className="w-full border-collapse bg-white text-left text-sm" aria-label="監査ログ">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th className="px-2 py-2">連番</th>
            <th className="px-2 py-2">日時</th>
            <th className="px-2 py-2">利用者</th>
            <th className="px-2 py-2">操作</th>
            <th className="px-2 py-2">結果</th>
            <th className="px-2 py-2">手続き</th>
            <th className="px-2 py-2">患者</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.seq} className="border-b border-slate-100">
              <td className="px-2 py-1 font-mono">{e.seq}</td>
              <td className="px-2 py-1">
                {new Date(e.occurredAt).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}
              </td>
              <td className="px-2 py-1">{e.userName ?? 'システム'}</td>
              <td className="px-2 py-1">
                {Object.hasOwn(actionLabels, e.action) ? actionLabels[e.action] : e.action}
              </td>
              <td className={`px-2 py-1 ${e.outcome === 'ok' ? '' : 'text-red-700'}`}>
                {outcomeLabels[e.outcome] ?? e.outcome}
              </td>
              <td className="px-2 py-1 font-mono text-xs">{e.procedure}</td>
              <td className="px-2 py-1">
                {e.patient
                  ? `${e.patient.patientNumber} ${e.patient.name}`
                  : shownCount(e.detail) !== null
                    ? `${shownCount(e.detail)}名を表示`
                    : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.hasNextPage && (
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => events.fetchNextPage()}
          disabled={events.isFetchingNextPage}
        >
          {events.isFetchingNextPage ? '読み込み中…' : 'さらに古いログを表示'}
        </button>
      )}
    </section>
  );
}
