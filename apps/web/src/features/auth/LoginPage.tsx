import { zodResolver } from '@hookform/resolvers/zod';
import { loginInput } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { errorMessage, useTRPC } from '../../lib/trpc';

type LoginForm = z.infer<typeof loginInput>;

/** The 医療機関コード is asked once per browser and remembered: user names are per facility. */
const FACILITY_KEY = 'karte.facilityCode';
function rememberedFacility(): string | null {
  try {
    return localStorage.getItem(FACILITY_KEY);
  } catch {
    return null;
  }
}

export function LoginPage(props: {
  demo: boolean;
  demoFacilityCode?: string | null;
  /** Why the last session ended (idle, maximum time, disabled…), said before anything else. */
  ended?: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remembered = rememberedFacility();
  const form = useForm<LoginForm>({
    resolver: zodResolver(loginInput),
    defaultValues: { facilityCode: remembered ?? props.demoFacilityCode ?? '', username: '', password: '' },
  });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (_data, values) => {
        try {
          localStorage.setItem(FACILITY_KEY, values.facilityCode);
        } catch {
          // Private mode: the code is simply asked again next time.
        }
        queryClient.invalidateQueries();
      },
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
          {props.ended && !login.isError && (
            <div data-testid="session-ended">
              <Banner kind="warn">{props.ended}</Banner>
            </div>
          )}
          {login.isError && <Banner kind="error">{errorMessage(login.error)}</Banner>}
          <InputField
            form={form}
            name="facilityCode"
            label="医療機関コード"
            autoComplete="organization"
            hint="10桁。このブラウザで一度入力すると次回から入力済みになります"
          />
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
        {props.demo && (
          <div className="mt-6 rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="demo-logins">
            <p className="font-medium">デモ環境のログイン</p>
            {props.demoFacilityCode && <p>医療機関コード: {props.demoFacilityCode}</p>}
            <p>ID: doctor / nurse / clerk / admin</p>
            <p>パスワード: karte-demo</p>
          </div>
        )}
      </div>
    </div>
  );
}
