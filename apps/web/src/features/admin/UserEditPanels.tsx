import { zodResolver } from '@hookform/resolvers/zod';
import {
  password as passwordRule,
  roleLabels,
  roleValues,
  type UserUpdateInput,
  userUpdateInput,
} from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Outputs } from '../../App';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

type User = Outputs['admin']['listUsers'][number];

// A typed temporary password follows the password rule (the server adds the common-password list).
const typedReset = z.object({ id: z.string(), password: passwordRule });
const generatedReset = z.object({ id: z.string(), password: z.string() });

/** 氏名・役割の変更. The server refuses to leave the clinic without an active administrator. */
export function EditUserPanel({ user, onDone }: { user: User; onDone: () => void }) {
  const trpc = useTRPC();
  const form = useForm<UserUpdateInput>({
    resolver: zodResolver(userUpdateInput),
    defaultValues: { id: user.id, displayName: user.displayName, role: user.role },
  });
  const save = useMutation(
    trpc.admin.updateUser.mutationOptions({
      onSuccess: onDone,
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  return (
    <form
      aria-label={`${user.username} の編集`}
      className="grid max-w-xl grid-cols-1 gap-4 rounded border border-sky-200 bg-white p-4 md:grid-cols-2"
      onSubmit={form.handleSubmit((v) => save.mutate(v))}
      noValidate
    >
      <h2 className="text-lg font-bold md:col-span-2">
        利用者の編集（<span className="font-mono">{user.username}</span>）
      </h2>
      {save.isError && (
        <div className="md:col-span-2">
          <Banner kind="error">{errorMessage(save.error)}</Banner>
        </div>
      )}
      <InputField form={form} name="displayName" id="edit-displayName" label="氏名" required />
      <Field label="役割" htmlFor="edit-role" error={form.formState.errors.role?.message} required>
        <select id="edit-role" className={inputClass} {...form.register('role')}>
          {roleValues.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </select>
      </Field>
      <div className="flex gap-2 md:col-span-2">
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          保存する
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onDone}>
          閉じる
        </button>
      </div>
    </form>
  );
}

/**
 * パスワード再設定: a temporary password the server generates (shown here once) or one typed here. The user
 * must change it at the next login; every session of the user ends.
 */
export function ResetPasswordPanel({ user, onDone }: { user: User; onDone: () => void }) {
  const trpc = useTRPC();
  const [mode, setMode] = useState<'generate' | 'type'>('generate');
  const [issued, setIssued] = useState<string | null | undefined>(undefined);
  const form = useForm<{ id: string; password: string }>({
    resolver: zodResolver(mode === 'type' ? typedReset : generatedReset),
    defaultValues: { id: user.id, password: '' },
  });
  const reset = useMutation(
    trpc.admin.resetPassword.mutationOptions({
      onSuccess: (r) => setIssued(r.temporaryPassword),
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  const submit = (v: { id: string; password: string }) =>
    reset.mutate({ id: v.id, password: mode === 'type' ? v.password : null });
  if (issued !== undefined)
    return (
      <div className="flex max-w-xl flex-col gap-3 rounded border border-sky-200 bg-white p-4" role="status">
        <h2 className="text-lg font-bold">パスワードを再設定しました（{user.username}）</h2>
        {issued ? (
          <>
            <p className="text-sm">
              仮パスワード（この画面を閉じると二度と表示されません。本人に直接伝えてください）:
            </p>
            <output
              data-testid="temporary-password"
              className="w-fit rounded bg-slate-100 px-3 py-2 font-mono text-lg"
            >
              {issued}
            </output>
          </>
        ) : (
          <p className="text-sm">入力したパスワードを本人に直接伝えてください。</p>
        )}
        <p className="text-sm text-slate-600">
          次回ログイン時にパスワードの変更が求められます。この利用者のログイン中の端末はすべてログアウトしました。
        </p>
        <div>
          <button type="button" className={secondaryButtonClass} onClick={onDone}>
            閉じる
          </button>
        </div>
      </div>
    );
  return (
    <form
      aria-label={`${user.username} のパスワード再設定`}
      className="flex max-w-xl flex-col gap-3 rounded border border-sky-200 bg-white p-4"
      onSubmit={form.handleSubmit(submit)}
      noValidate
    >
      <h2 className="text-lg font-bold">
        パスワード再設定（<span className="font-mono">{user.username}</span>）
      </h2>
      {reset.isError && <Banner kind="error">{errorMessage(reset.error)}</Banner>}
      <fieldset className="flex gap-4 text-sm">
        <legend className="sr-only">仮パスワードの決め方</legend>
        <label className="flex items-center gap-1">
          <input type="radio" checked={mode === 'generate'} onChange={() => setMode('generate')} />
          自動で生成する
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" checked={mode === 'type'} onChange={() => setMode('type')} />
          入力する
        </label>
      </fieldset>
      {mode === 'type' && (
        <InputField
          form={form}
          name="password"
          id="reset-password"
          label="仮パスワード"
          type="password"
          autoComplete="new-password"
          required
          hint="10文字以上。次回ログイン時に本人が変更します"
        />
      )}
      <p className="text-sm text-slate-600">
        この利用者のログイン中の端末はすべてログアウトし、次回ログイン時にパスワードの変更が求められます。
      </p>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={reset.isPending}>
          再設定する
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onDone}>
          閉じる
        </button>
      </div>
    </form>
  );
}
