import { zodResolver } from '@hookform/resolvers/zod';
import { recoveryCode, totpCode } from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC, useTRPCClient } from '../../lib/trpc';
import { TotpEnrolment } from './TotpEnrolment';
import { assertPasskey, passkeyError } from './webauthn';

export interface SecondFactorMethods {
  totp: boolean;
  passkey: boolean;
  recovery: boolean;
}

const totpForm = z.object({ code: totpCode });
const recoveryForm = z.object({ code: recoveryCode });

/** The second screen of a login: a code from the app, a recovery code, or a passkey. */
export function SecondFactorStep(props: {
  methods: SecondFactorMethods;
  onDone: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [mode, setMode] = useState<'totp' | 'recovery'>(props.methods.totp ? 'totp' : 'recovery');
  const [passkeyProblem, setPasskeyProblem] = useState<string | null>(null);
  const form = useForm<{ code: string }>({
    resolver: zodResolver(mode === 'totp' ? totpForm : recoveryForm) as never,
    defaultValues: { code: '' },
  });
  const verify = useMutation(
    trpc.auth.verifySecondFactor.mutationOptions({
      onSuccess: props.onDone,
      onError: (error) => {
        form.setValue('code', '');
        showServerFieldErrors(form, fieldErrors(error));
      },
    }),
  );
  const passkey = useMutation({
    mutationFn: async () => {
      const options = await client.auth.secondFactorPasskeyOptions.mutate();
      const response = await assertPasskey(options);
      return client.auth.verifySecondFactorPasskey.mutate({ response: response as never });
    },
    onSuccess: props.onDone,
    onError: (error) => setPasskeyProblem(passkeyError(error, errorMessage)),
  });
  const serverError = verify.isError && Object.keys(fieldErrors(verify.error)).length === 0;
  return (
    <div className="flex flex-col gap-4" data-testid="second-factor">
      <h2 className="text-lg font-bold">2段階認証</h2>
      {serverError && <Banner kind="error">{errorMessage(verify.error)}</Banner>}
      {passkeyProblem && <Banner kind="error">{passkeyProblem}</Banner>}
      {(props.methods.totp || props.methods.recovery) && (
        <form
          className="flex flex-col gap-3"
          noValidate
          onSubmit={form.handleSubmit((v) =>
            verify.mutate(
              mode === 'totp' ? { method: 'totp', code: v.code } : { method: 'recovery', code: v.code },
            ),
          )}
        >
          <InputField
            key={mode}
            form={form}
            name="code"
            id="second-factor-code"
            label={mode === 'totp' ? '確認コード（認証アプリの6桁）' : '回復コード'}
            autoComplete="one-time-code"
            autoFocus
          />
          <button type="submit" className={buttonClass} disabled={verify.isPending}>
            {verify.isPending ? '確認中…' : '確認'}
          </button>
          {props.methods.totp && props.methods.recovery && (
            <button
              type="button"
              className="self-start text-sm text-sky-800 underline"
              onClick={() => {
                form.reset({ code: '' });
                setMode(mode === 'totp' ? 'recovery' : 'totp');
              }}
            >
              {mode === 'totp' ? '回復コードを使う' : '認証アプリの確認コードを使う'}
            </button>
          )}
        </form>
      )}
      {props.methods.passkey && (
        <button
          type="button"
          className={secondaryButtonClass}
          onClick={() => {
            setPasskeyProblem(null);
            passkey.mutate();
          }}
          disabled={passkey.isPending}
        >
          パスキーで確認
        </button>
      )}
      <button type="button" className="self-start text-sm text-slate-600 underline" onClick={props.onCancel}>
        最初からやり直す
      </button>
    </div>
  );
}

/** Enrolment required by the clinic's policy, before anything else. */
export function ForcedEnrolmentStep(props: { onDone: () => void; onCancel: () => void }) {
  const client = useTRPCClient();
  return (
    <div className="flex flex-col gap-4" data-testid="forced-enrolment">
      <h2 className="text-lg font-bold">2段階認証の設定</h2>
      <Banner kind="warn">
        この医療機関では2段階認証が必須です。続けるには確認コードの設定を済ませてください。
      </Banner>
      <TotpEnrolment
        start={() => client.auth.enrolStart.mutate()}
        confirm={(code) => client.auth.enrolConfirm.mutate({ code })}
        onDone={props.onDone}
        doneLabel="保管しました。利用を開始する"
      />
      <button type="button" className="self-start text-sm text-slate-600 underline" onClick={props.onCancel}>
        最初からやり直す
      </button>
    </div>
  );
}
