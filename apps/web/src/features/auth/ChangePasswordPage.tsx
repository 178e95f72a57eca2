import { zodResolver } from '@hookform/resolvers/zod';
import { changePasswordInput } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass, Field, inputClass } from '../../components/Field';
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
      onError: (error) => {
        for (const [field, message] of Object.entries(fieldErrors(error))) {
          form.setError(field as keyof Form, { message });
        }
      },
    }),
  );
  const errors = form.formState.errors;
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
        <Field label="現在のパスワード" htmlFor="currentPassword" error={errors.currentPassword?.message}>
          <input
            id="currentPassword"
            type="password"
            autoComplete="current-password"
            className={inputClass}
            {...form.register('currentPassword')}
          />
        </Field>
        <Field
          label="新しいパスワード"
          htmlFor="newPassword"
          error={errors.newPassword?.message}
          hint="10文字以上"
        >
          <input
            id="newPassword"
            type="password"
            autoComplete="new-password"
            className={inputClass}
            {...form.register('newPassword')}
          />
        </Field>
        <Field
          label="新しいパスワード（確認）"
          htmlFor="confirmPassword"
          error={errors.confirmPassword?.message}
        >
          <input
            id="confirmPassword"
            type="password"
            autoComplete="new-password"
            className={inputClass}
            {...form.register('confirmPassword')}
          />
        </Field>
        <button type="submit" className={buttonClass} disabled={change.isPending}>
          変更する
        </button>
      </form>
    </section>
  );
}
