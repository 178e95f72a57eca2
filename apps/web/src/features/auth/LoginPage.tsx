import { zodResolver } from '@hookform/resolvers/zod';
import { loginInput } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { errorMessage, useTRPC } from '../../lib/trpc';

type LoginForm = z.infer<typeof loginInput>;

export function LoginPage({ demo }: { demo: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<LoginForm>({
    resolver: zodResolver(loginInput),
    defaultValues: { username: '', password: '' },
  });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(),
      onError: () => form.setValue('password', ''),
    }),
  );
  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-bold text-sky-800">Karte</h1>
        <p className="mb-6 text-sm text-slate-500">標準型電子カルテ ログイン</p>
        <form
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) => login.mutate(values))}
          noValidate
        >
          {login.isError && <Banner kind="error">{errorMessage(login.error)}</Banner>}
          <InputField form={form} name="username" label="ログインID" autoComplete="username" autoFocus />
          <InputField
            form={form}
            name="password"
            label="パスワード"
            type="password"
            autoComplete="current-password"
          />
          <button type="submit" className={buttonClass} disabled={login.isPending}>
            {login.isPending ? 'ログイン中…' : 'ログイン'}
          </button>
        </form>
        {demo && (
          <div className="mt-6 rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="demo-logins">
            <p className="font-medium">デモ環境のログイン</p>
            <p>ID: doctor / nurse / clerk / admin</p>
            <p>パスワード: karte-demo</p>
          </div>
        )}
      </div>
    </div>
  );
}
