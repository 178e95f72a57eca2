import { zodResolver } from '@hookform/resolvers/zod';
import { roleLabels, roleValues, type UserCreateInput, userCreateInput } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Me } from '../../App';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { EditUserPanel, ResetPasswordPanel } from './UserEditPanels';

export function UsersPage({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.admin.listUsers.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.listUsers.queryKey() });
  const form = useForm<UserCreateInput>({
    resolver: zodResolver(userCreateInput),
    defaultValues: { username: '', displayName: '', role: 'clerk', initialPassword: '' },
  });
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: () => {
        form.reset();
        refresh();
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  const setActive = useMutation(trpc.admin.setUserActive.mutationOptions({ onSuccess: refresh }));
  const [open, setOpen] = useState<{ id: string; panel: 'edit' | 'reset' } | null>(null);
  const openUser = open && users.data?.find((u) => u.id === open.id);
  const close = () => {
    setOpen(null);
    refresh();
  };
  const errors = form.formState.errors;
  return (
    <section className="flex flex-col gap-6">
      <h1 className="text-xl font-bold">利用者管理</h1>
      {users.isError && <Banner kind="error">{errorMessage(users.error)}</Banner>}
      {setActive.isError && <Banner kind="error">{errorMessage(setActive.error)}</Banner>}
      <table className="w-full border-collapse bg-white text-left" aria-label="利用者一覧">
        <thead>
          <tr className="border-b border-slate-300 text-sm text-slate-600">
            <th className="px-3 py-2">ログインID</th>
            <th className="px-3 py-2">氏名</th>
            <th className="px-3 py-2">役割</th>
            <th className="px-3 py-2">状態</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} className="border-b border-slate-100">
              <td className="px-3 py-2 font-mono">{u.username}</td>
              <td className="px-3 py-2">{u.displayName}</td>
              <td className="px-3 py-2">{roleLabels[u.role]}</td>
              <td className="px-3 py-2">
                {!u.active
                  ? '無効'
                  : u.locked
                    ? 'ロック中'
                    : u.mustChangePassword
                      ? '初回パスワード変更待ち'
                      : '有効'}
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap">
                <button
                  type="button"
                  className={`${secondaryButtonClass} mr-2`}
                  aria-label={`${u.username} を編集`}
                  onClick={() => setOpen({ id: u.id, panel: 'edit' })}
                >
                  編集
                </button>
                {u.id !== me.user.id && (
                  <button
                    type="button"
                    className={`${secondaryButtonClass} mr-2`}
                    aria-label={`${u.username} のパスワード再設定`}
                    onClick={() => setOpen({ id: u.id, panel: 'reset' })}
                  >
                    パスワード再設定
                  </button>
                )}
                {u.id !== me.user.id && u.active && u.locked && (
                  <button
                    type="button"
                    className={`${secondaryButtonClass} mr-2`}
                    disabled={setActive.isPending}
                    onClick={() => setActive.mutate({ id: u.id, active: true })}
                  >
                    ロック解除
                  </button>
                )}
                {u.id !== me.user.id && (
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    disabled={setActive.isPending}
                    onClick={() => setActive.mutate({ id: u.id, active: !u.active })}
                  >
                    {u.active ? '無効にする' : '有効にする'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {openUser && open?.panel === 'edit' && (
        <EditUserPanel key={openUser.id} user={openUser} onDone={close} />
      )}
      {openUser && open?.panel === 'reset' && (
        <ResetPasswordPanel key={openUser.id} user={openUser} onDone={close} />
      )}
      <div className="max-w-xl rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-3 text-lg font-bold">利用者の追加</h2>
        <form
          className="grid grid-cols-1 gap-4 md:grid-cols-2"
          onSubmit={form.handleSubmit((v) => create.mutate(v))}
          noValidate
        >
          {create.isError && (
            <div className="md:col-span-2">
              <Banner kind="error">{errorMessage(create.error)}</Banner>
            </div>
          )}
          <InputField form={form} name="username" id="new-username" label="ログインID" required />
          <InputField form={form} name="displayName" id="new-displayName" label="氏名" required />
          <Field label="役割" htmlFor="new-role" error={errors.role?.message} required>
            <select id="new-role" className={inputClass} {...form.register('role')}>
              {roleValues.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          </Field>
          <InputField
            form={form}
            name="initialPassword"
            id="new-password"
            label="初期パスワード"
            type="password"
            autoComplete="new-password"
            required
            hint="初回ログイン時に変更が求められます"
          />
          <div>
            <button type="submit" className={buttonClass} disabled={create.isPending}>
              追加する
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
