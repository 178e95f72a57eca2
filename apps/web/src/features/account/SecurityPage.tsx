import { zodResolver } from '@hookform/resolvers/zod';
import { passkeyName, totpDisableInput } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC, useTRPCClient } from '../../lib/trpc';
import { TotpEnrolment } from '../auth/TotpEnrolment';
import { createPasskey, passkeyError } from '../auth/webauthn';

const dateTime = new Intl.DateTimeFormat('ja-JP', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Asia/Tokyo',
});

/** 2段階認証・パスキー: one's own second factors. */
export function SecurityPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.twoFactor.status.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.twoFactor.status.queryKey() });
  return (
    <section className="flex max-w-2xl flex-col gap-6">
      <h1 className="text-xl font-bold">2段階認証・パスキー</h1>
      {status.isError && <Banner kind="error">{errorMessage(status.error)}</Banner>}
      {status.data?.required && !status.data.totp && status.data.passkeys === 0 && (
        <Banner kind="warn">
          この医療機関では2段階認証が必須です。次回のログインまでに設定してください。
        </Banner>
      )}
      <TotpSection status={status.data} onChange={refresh} />
      <PasskeySection onChange={refresh} />
    </section>
  );
}

function TotpSection(props: {
  status: { totp: boolean; recoveryCodes: number } | undefined;
  onChange: () => void;
}) {
  const client = useTRPCClient();
  const [enrolling, setEnrolling] = useState(false);
  if (!props.status) return <p className="text-slate-500">読み込み中…</p>;
  return (
    <div className="rounded border border-slate-200 bg-white p-4" data-testid="totp-section">
      <h2 className="mb-2 text-lg font-semibold">確認コード（認証アプリ）</h2>
      {props.status.totp ? (
        <>
          <p className="mb-3 text-sm" data-testid="totp-status">
            設定済み。回復コードの残り: {props.status.recoveryCodes}件
          </p>
          <DisableTotp onDone={props.onChange} />
        </>
      ) : enrolling ? (
        <TotpEnrolment
          start={() => client.twoFactor.startEnrolment.mutate()}
          confirm={(code) => client.twoFactor.confirmEnrolment.mutate({ code })}
          onDone={() => {
            setEnrolling(false);
            props.onChange();
          }}
        />
      ) : (
        <>
          <p className="mb-3 text-sm" data-testid="totp-status">
            未設定
          </p>
          <button type="button" className={buttonClass} onClick={() => setEnrolling(true)}>
            確認コードを設定する
          </button>
        </>
      )}
    </div>
  );
}

type DisableForm = z.input<typeof totpDisableInput>;

function DisableTotp(props: { onDone: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const form = useForm<DisableForm>({
    resolver: zodResolver(totpDisableInput),
    defaultValues: { password: '', code: '' },
  });
  const disable = useMutation(
    trpc.twoFactor.disable.mutationOptions({
      onSuccess: () => {
        form.reset();
        setOpen(false);
        props.onDone();
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  if (!open)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setOpen(true)}>
        解除・設定し直す
      </button>
    );
  const generic = disable.isError && Object.keys(fieldErrors(disable.error)).length === 0;
  return (
    <form
      className="flex max-w-sm flex-col gap-3"
      noValidate
      onSubmit={form.handleSubmit((v) => disable.mutate(v as z.output<typeof totpDisableInput>))}
    >
      <p className="text-sm text-slate-700">
        解除するには、パスワードと現在の確認コードを入力してください。回復コードも無効になります。
      </p>
      {generic && <Banner kind="error">{errorMessage(disable.error)}</Banner>}
      <InputField
        form={form}
        name="password"
        id="disable-password"
        label="パスワード"
        type="password"
        autoComplete="current-password"
      />
      <InputField form={form} name="code" id="disable-code" label="確認コード" autoComplete="one-time-code" />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={disable.isPending}>
          解除する
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => setOpen(false)}>
          やめる
        </button>
      </div>
    </form>
  );
}

const nameForm = z.object({ name: passkeyName });

function PasskeySection(props: { onChange: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.passkeys.list.queryOptions());
  const form = useForm<z.input<typeof nameForm>>({
    resolver: zodResolver(nameForm),
    defaultValues: { name: '' },
  });
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.passkeys.list.queryKey() });
    props.onChange();
  };
  const add = useMutation({
    mutationFn: async (name: string) => {
      const options = await client.passkeys.registrationOptions.mutate();
      const response = await createPasskey(options);
      return client.passkeys.register.mutate({ name, response: response as never });
    },
    onSuccess: () => {
      form.reset();
      changed();
    },
    onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
  });
  const remove = useMutation(trpc.passkeys.remove.mutationOptions({ onSuccess: changed }));
  return (
    <div className="rounded border border-slate-200 bg-white p-4" data-testid="passkey-section">
      <h2 className="mb-2 text-lg font-semibold">パスキー</h2>
      <p className="mb-3 text-sm text-slate-700">
        この端末の指紋・顔認証・PIN
        やセキュリティキーで、2段階目の確認や、パスワードなしのログイン（医療機関コード＋パスキー）ができます。
      </p>
      {list.isError && <Banner kind="error">{errorMessage(list.error)}</Banner>}
      {remove.isError && <Banner kind="error">{errorMessage(remove.error)}</Banner>}
      <ul className="mb-4 flex flex-col gap-2" aria-label="登録済みのパスキー">
        {list.data?.length === 0 && (
          <li className="text-sm text-slate-500">登録されたパスキーはありません</li>
        )}
        {list.data?.map((p) => (
          <li
            key={p.id}
            className="flex items-center justify-between gap-2 rounded border border-slate-200 px-3 py-2"
          >
            <span>
              <span className="font-medium">{p.name}</span>
              <span className="ml-2 text-xs text-slate-500">
                登録 {dateTime.format(p.createdAt)}
                {p.lastUsedAt ? `／最終使用 ${dateTime.format(p.lastUsedAt)}` : ''}
              </span>
            </span>
            <button
              type="button"
              className={secondaryButtonClass}
              aria-label={`パスキー「${p.name}」を削除`}
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`パスキー「${p.name}」を削除しますか？`)) remove.mutate({ id: p.id });
              }}
            >
              削除
            </button>
          </li>
        ))}
      </ul>
      <form
        className="flex max-w-sm flex-col gap-3"
        noValidate
        onSubmit={form.handleSubmit((v) => add.mutate(v.name))}
      >
        {add.isError && Object.keys(fieldErrors(add.error)).length === 0 && (
          <Banner kind="error">{passkeyError(add.error, errorMessage)}</Banner>
        )}
        <InputField
          form={form}
          name="name"
          id="passkey-name"
          label="パスキーの名前"
          hint="例: 受付のPC、自分のスマートフォン"
        />
        <button type="submit" className={buttonClass} disabled={add.isPending}>
          {add.isPending ? '登録中…' : 'パスキーを登録する'}
        </button>
      </form>
    </div>
  );
}
