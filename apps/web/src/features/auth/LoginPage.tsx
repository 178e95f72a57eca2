import { zodResolver } from '@hookform/resolvers/zod';
import { loginInput } from '@karte/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { errorMessage, useTRPC, useTRPCClient } from '../../lib/trpc';
import type { SecondFactorMethods } from './SecondFactorStep';
import { assertPasskey, passkeyError } from './webauthn';

type LoginForm = z.infer<typeof loginInput>;

// The second step is loaded when a login needs it (most logins of the demo do not): the first load stays small.
const SecondFactorStep = lazy(() =>
  import('./SecondFactorStep').then((m) => ({ default: m.SecondFactorStep })),
);
const ForcedEnrolmentStep = lazy(() =>
  import('./SecondFactorStep').then((m) => ({ default: m.ForcedEnrolmentStep })),
);

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
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const remembered = rememberedFacility();
  // After the password: the second factor, or the enrolment the clinic's policy requires.
  const [step, setStep] = useState<
    { kind: 'second-factor'; methods: SecondFactorMethods } | { kind: 'enrol' } | null
  >(null);
  const signedIn = () => queryClient.invalidateQueries();
  const remember = (facilityCode: string) => {
    try {
      localStorage.setItem(FACILITY_KEY, facilityCode);
    } catch {
      // Private mode: the code is simply asked again next time.
    }
  };
  const form = useForm<LoginForm>({
    resolver: zodResolver(loginInput),
    defaultValues: { facilityCode: remembered ?? props.demoFacilityCode ?? '', username: '', password: '' },
  });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (data, values) => {
        remember(values.facilityCode);
        form.setValue('password', '');
        if (data.next === 'second-factor' && data.methods)
          setStep({ kind: 'second-factor', methods: data.methods });
        else if (data.next === 'enrol') setStep({ kind: 'enrol' });
        else signedIn();
      },
      onError: () => form.setValue('password', ''),
    }),
  );
  // パスキーでログイン: the 医療機関コード and a passkey of this site (with its PIN or fingerprint).
  const passkeyLogin = useMutation({
    mutationFn: async () => {
      const facilityCode = form.getValues('facilityCode').trim();
      const options = await client.auth.passkeyLoginOptions.mutate({ facilityCode });
      const response = await assertPasskey(options);
      await client.auth.passkeyLogin.mutate({ response: response as never });
      return facilityCode;
    },
    onSuccess: (facilityCode) => {
      remember(facilityCode);
      signedIn();
    },
  });
  const cancel = () => {
    setStep(null);
    login.reset();
  };
  return (
    <div className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-bold text-sky-800">Karte</h1>
        <p className="mb-6 text-sm text-slate-500">標準型電子カルテ ログイン</p>
        <Suspense fallback={<p className="text-slate-500">読み込み中…</p>}>
          {step?.kind === 'second-factor' && (
            <SecondFactorStep methods={step.methods} onDone={signedIn} onCancel={cancel} />
          )}
          {step?.kind === 'enrol' && <ForcedEnrolmentStep onDone={signedIn} onCancel={cancel} />}
        </Suspense>
        <form
          hidden={step !== null}
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
          {passkeyLogin.isError && (
            <Banner kind="error">{passkeyError(passkeyLogin.error, errorMessage)}</Banner>
          )}
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
        {step === null && (
          <section aria-labelledby="passkey-login-heading" className="mt-6 border-t border-slate-200 pt-4">
            <h2 id="passkey-login-heading" className="mb-1 text-sm font-semibold text-slate-700">
              パスキーでログイン
            </h2>
            <p className="mb-2 text-xs text-slate-500">
              上の医療機関コードと、登録済みのパスキー（指紋・顔認証・PIN）でログインします。パスワードは不要です。
            </p>
            <button
              type="button"
              className={`${secondaryButtonClass} w-full`}
              disabled={passkeyLogin.isPending}
              onClick={async () => {
                // Only the 医療機関コード is needed: the passkey names the user.
                if (await form.trigger('facilityCode')) passkeyLogin.mutate();
              }}
            >
              {passkeyLogin.isPending ? '確認中…' : 'パスキーを使う'}
            </button>
          </section>
        )}
        {props.demo && step === null && (
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
