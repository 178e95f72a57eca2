import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/** オンライン資格確認: ask the service, show what it says beside what is registered, apply in one click. */
type LastCheck = { outcome: string; requestedAt: Date; appliedAt: Date | null } | null;

const outcomeLabels: Record<string, string> = {
  valid: '有効',
  invalid: '無効',
  invalid_new_available: '無効（新しい資格あり）',
  not_found: '該当資格なし',
  multiple: '複数該当',
  processing: '処理中',
  unavailable: '未確認（接続できません）',
};

export function EligibilityPanel(props: { patientId: string; hasCoverage: boolean; lastCheck: LastCheck }) {
  const { patientId, hasCoverage, lastCheck } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [consent, setConsent] = useState({ limit: true, medication: true, checkup: true });
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: trpc.reception.insurance.queryKey({ patientId }) });
    queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() });
  };
  const check = useMutation(trpc.reception.checkEligibility.mutationOptions({ onSuccess: refresh }));
  const apply = useMutation(trpc.reception.applyEligibility.mutationOptions({ onSuccess: refresh }));
  const result = check.data;
  const run = (method: 'card' | 'insurance') => {
    apply.reset();
    check.mutate({ patientId, method, consent });
  };
  const consentBox = (key: keyof typeof consent, label: string) => (
    <label className="flex items-center gap-1 text-sm">
      <input
        type="checkbox"
        checked={consent[key]}
        onChange={(e) => setConsent((c) => ({ ...c, [key]: e.target.checked }))}
      />
      {label}
    </label>
  );
  return (
    <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="eligibility-heading">
      <h2 id="eligibility-heading" className="mb-3 text-lg font-bold">
        オンライン資格確認
      </h2>
      {lastCheck && (
        <p className="mb-2 text-sm text-slate-600" data-testid="last-check">
          前回の確認: {lastCheck.requestedAt.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}{' '}
          {outcomeLabels[lastCheck.outcome] ?? lastCheck.outcome}
          {lastCheck.appliedAt ? '（反映済）' : ''}
        </p>
      )}
      <div className="mb-3 flex flex-wrap items-center gap-4">
        <span className="text-sm text-slate-600">患者の同意:</span>
        {consentBox('limit', '限度額情報')}
        {consentBox('medication', '診療・薬剤情報')}
        {consentBox('checkup', '健診情報')}
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonClass} onClick={() => run('card')} disabled={check.isPending}>
          マイナ保険証で確認
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => run('insurance')}
          disabled={check.isPending || !hasCoverage}
          title={hasCoverage ? '' : '保険を登録すると保険証情報で確認できます'}
        >
          保険証情報で確認
        </button>
        {check.isPending && (
          <span role="status" className="self-center text-sm text-slate-600">
            照会中…
          </span>
        )}
      </div>
      {check.isError && (
        <div className="mt-3">
          <Banner kind="error">{errorMessage(check.error)}</Banner>
        </div>
      )}
      {result && (
        <div className="mt-4 flex flex-col gap-3" data-testid="eligibility-result">
          {result.outcome === 'unavailable' ? (
            <Banner kind="warn">
              <p className="font-medium">未確認: オンライン資格確認に接続できませんでした。</p>
              <p className="text-sm">受付は手入力の保険情報で続けられます。後で「再確認」してください。</p>
              <button type="button" className={`${secondaryButtonClass} mt-2`} onClick={() => run('card')}>
                再確認
              </button>
            </Banner>
          ) : (
            <Banner kind={result.outcome === 'valid' ? 'info' : 'warn'}>
              資格確認の結果: <strong>{result.outcomeLabel}</strong>
              {result.response?.qualification && (
                <span className="ml-2">
                  （{result.response.qualification.insurerName}・負担割合{' '}
                  {result.response.qualification.burdenWari}割
                  {result.response.qualification.preschool ? '・未就学' : ''}）
                </span>
              )}
            </Banner>
          )}
          {result.identityWarnings.length > 0 && (
            <div
              role="alert"
              className="rounded border-2 border-red-600 bg-red-50 p-3 text-red-900"
              data-testid="identity-warning"
            >
              <p className="font-bold">
                本人確認の注意:
                資格確認の結果が登録されている患者と一致しません。別の方の資格か、患者の取り違えの可能性があります。
              </p>
              <ul className="mt-1 list-disc pl-5 text-sm">
                {result.identityWarnings.map((w) => (
                  <li key={w.field}>
                    {w.label}: 登録 {w.registered || '—'} ／ 資格確認 <strong>{w.reported || '—'}</strong>
                  </li>
                ))}
              </ul>
              <p className="mt-1 text-sm">
                患者情報は変更しません。本人であることを確かめてから反映してください（氏名などの訂正は患者情報の編集で行います）。
              </p>
            </div>
          )}
          {result.differences.length > 0 && (
            <table className="w-full border-collapse text-left text-sm" aria-label="資格確認との差異">
              <thead>
                <tr className="border-b border-slate-300 text-slate-600">
                  <th className="px-2 py-1">項目</th>
                  <th className="px-2 py-1">登録内容</th>
                  <th className="px-2 py-1">資格確認の結果</th>
                </tr>
              </thead>
              <tbody>
                {result.differences.map((d) => (
                  <tr key={d.field} className="border-b border-slate-100">
                    <td className="px-2 py-1">{d.label}</td>
                    <td className="px-2 py-1">{d.registered || '—'}</td>
                    <td className="px-2 py-1 font-medium text-sky-900">{d.reported || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {result.applicable && result.differences.length === 0 && !apply.isSuccess && (
            <p className="text-sm text-slate-600">登録内容と一致しています。</p>
          )}
          {result.applicable && (result.differences.length > 0 || result.response?.newQualification) && (
            <div>
              <button
                type="button"
                className={buttonClass}
                disabled={apply.isPending || apply.isSuccess}
                onClick={() =>
                  // Exactly what the table shows is applied: the server refuses if it would change anything else.
                  apply.mutate({
                    checkId: result.checkId,
                    basedOn: result.basedOn,
                    fields: result.differences.map((d) => d.field),
                  })
                }
              >
                {apply.isSuccess ? '反映しました' : `確認結果を反映する（${result.differences.length}項目）`}
              </button>
            </div>
          )}
          {apply.isError && <Banner kind="error">{errorMessage(apply.error)}</Banner>}
        </div>
      )}
    </section>
  );
}
