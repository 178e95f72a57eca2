import { zodResolver } from '@hookform/resolvers/zod';
import { changePasswordInput } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

type Form = z.infer<typeof changePasswordInput>;

export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<Form>({
    resolver: zodResolver(changePasswordInput),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        form.reset();
        queryClient.invalidateQueries();
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  return (
    <section className="max-w-md">
      <h1 className="mb-4 text-xl font-bold">パスワード変更</h1>
      {forced && (
        <div className="mb-4">
          <Banner kind="warn">初回ログインのため、パスワードを変更してください。</Banner>
        </div>
      )}
      <form className="flex flex-col gap-4" onSubmit={form.handleSubmit((v) => change.mutate(v))} noValidate>
        {change.isError && <Banner kind="error">{errorMessage(change.error)}</Banner>}
        {change.isSuccess && <Banner kind="info">パスワードを変更しました。</Banner>}
        <InputField
          form={form}
          name="currentPassword"
          label="現在のパスワード"
          type="password"
          autoComplete="current-password"
        />
        <InputField
          form={form}
          name="newPassword"
          label="新しいパスワード"
          type="password"
          autoComplete="new-password"
          hint="10文字以上。同じ文字の繰り返し・連続した文字（1234…）・よく使われるもの・ログインIDを含むものは使えません"
        />
        <InputField
          form={form}
          name="confirmPassword"
          label="新しいパスワード（確認）"
          type="password"
          autoComplete="new-password"
        />
        <button type="submit" className={buttonClass} disabled={change.isPending}>
          変更する
        </button>
      </form>
    </section>
  );
}
