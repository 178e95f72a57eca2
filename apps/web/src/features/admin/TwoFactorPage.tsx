import {
  roleLabels,
  type TwoFactorPolicyValue,
  twoFactorPolicyLabels,
  twoFactorPolicyValues,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Banner, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/** 2段階認証 (administrator): the clinic's policy, who has enrolled what, and a reset for a lost phone. */
export function TwoFactorPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const policy = useQuery(trpc.twoFactor.policy.queryOptions());
  const [choice, setChoice] = useState<TwoFactorPolicyValue | null>(null);
  const users = useQuery(trpc.twoFactor.users.queryOptions());
  const setPolicy = useMutation(
    trpc.twoFactor.setPolicy.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.twoFactor.policy.queryKey() }),
    }),
  );
  const reset = useMutation(
    trpc.twoFactor.resetUser.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.twoFactor.users.queryKey() }),
    }),
  );
  return (
    <section className="flex flex-col gap-6">
      <h1 className="text-xl font-bold">2段階認証</h1>
      {(policy.isError || setPolicy.isError || reset.isError) && (
        <Banner kind="error">{errorMessage(policy.error ?? setPolicy.error ?? reset.error)}</Banner>
      )}
      {setPolicy.isSuccess && <Banner kind="info">方針を保存しました。</Banner>}
      {reset.isSuccess && <Banner kind="info">2段階認証をリセットしました。</Banner>}
      <fieldset className="rounded border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">管理者以外の利用者の方針</legend>
        <p className="mb-2 text-sm text-slate-700">
          {policy.data?.adminRequired
            ? '管理者は常に2段階認証が必須です。'
            : '管理者の2段階認証は、この環境（デモモードまたは KARTE_MFA_ADMIN_REQUIRED=0）では必須になっていません。'}
          必須にすると、未設定の利用者は次回ログイン時にパスワードの後で設定を求められます。
        </p>
        {policy.data && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setPolicy.mutate({ others: choice ?? policy.data.others });
            }}
          >
            {twoFactorPolicyValues.map((value) => (
              <label key={value} className="flex items-center gap-2 py-1">
                <input
                  type="radio"
                  name="two-factor-policy"
                  value={value}
                  checked={(choice ?? policy.data.others) === value}
                  onChange={() => {
                    setPolicy.reset();
                    setChoice(value);
                  }}
                />
                {twoFactorPolicyLabels[value]}
              </label>
            ))}
            <button type="submit" className={`${secondaryButtonClass} mt-2`} disabled={setPolicy.isPending}>
              方針を保存
            </button>
          </form>
        )}
      </fieldset>
      <table className="w-full max-w-3xl border-collapse bg-white text-sm">
        <caption className="mb-2 text-left font-semibold">利用者ごとの設定状況</caption>
        <thead>
          <tr className="border-b border-slate-300 text-left">
            <th className="px-2 py-1">ログインID</th>
            <th className="px-2 py-1">氏名</th>
            <th className="px-2 py-1">役割</th>
            <th className="px-2 py-1">確認コード</th>
            <th className="px-2 py-1">パスキー</th>
            <th className="px-2 py-1">回復コード残り</th>
            <th className="px-2 py-1">
              <span className="sr-only">操作</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr
              key={u.id}
              className="border-b border-slate-200"
              data-testid={`two-factor-user-${u.username}`}
            >
              <td className="px-2 py-1 font-mono">{u.username}</td>
              <td className="px-2 py-1">{u.displayName}</td>
              <td className="px-2 py-1">{roleLabels[u.role]}</td>
              <td className="px-2 py-1">{u.totp ? '設定済み' : '未設定'}</td>
              <td className="px-2 py-1">{u.passkeys}件</td>
              <td className="px-2 py-1">{u.totp ? `${u.recoveryCodes}件` : '—'}</td>
              <td className="px-2 py-1 text-right">
                {(u.totp || u.passkeys > 0) && (
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    disabled={reset.isPending}
                    onClick={() => {
                      if (
                        window.confirm(
                          `${u.displayName}（${u.username}）の確認コード・回復コード・パスキーをすべて削除しますか？`,
                        )
                      )
                        reset.mutate({ userId: u.id });
                    }}
                  >
                    リセット
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
