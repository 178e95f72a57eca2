import { zodResolver } from '@hookform/resolvers/zod';
import { totpConfirmInput } from '@karte/domain';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors } from '../../lib/trpc';

type ConfirmForm = z.input<typeof totpConfirmInput>;

export interface Enrolment {
  secret: string;
  qrSvg: string;
  account: string;
}

/**
 * TOTP enrolment: the QR code (and the key as text for typing in), then a code from the app to confirm,
 * then the recovery codes — shown this once.
 */
export function TotpEnrolment(props: {
  start: () => Promise<Enrolment>;
  confirm: (code: string) => Promise<{ recoveryCodes: string[] }>;
  /** After the recovery codes were seen. */
  onDone: () => void;
  doneLabel?: string;
}) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<ConfirmForm>({ resolver: zodResolver(totpConfirmInput), defaultValues: { code: '' } });

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await props.start());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (codes)
    return (
      <div className="flex flex-col gap-3" data-testid="recovery-codes">
        <Banner kind="info">
          確認コードによる2段階認証を設定しました。下の回復コードを印刷するか書き写して、安全な場所に保管してください。
          スマートフォンをなくしたとき、各コードを1回だけ確認コードの代わりに使えます。この画面を閉じると二度と表示されません。
        </Banner>
        <ol className="grid grid-cols-2 gap-1 rounded border border-slate-300 bg-slate-50 p-3 font-mono text-base">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <button type="button" className={buttonClass} onClick={props.onDone} autoFocus>
          {props.doneLabel ?? '保管しました'}
        </button>
      </div>
    );

  if (!enrolment)
    return (
      <div className="flex flex-col gap-3">
        {error && <Banner kind="error">{error}</Banner>}
        <p className="text-sm text-slate-700">
          スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator
          など）で、ログインのたびに6桁の確認コードを表示します。
        </p>
        <button type="button" className={buttonClass} onClick={begin} disabled={busy}>
          設定を始める
        </button>
      </div>
    );

  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={form.handleSubmit(async (v) => {
        setError(null);
        try {
          const done = await props.confirm(v.code);
          setCodes(done.recoveryCodes);
        } catch (e) {
          const fields = fieldErrors(e);
          if (Object.keys(fields).length > 0) showServerFieldErrors(form, fields);
          else setError(errorMessage(e));
        }
      })}
    >
      {error && <Banner kind="error">{error}</Banner>}
      <p className="text-sm text-slate-700">1. 認証アプリでこのQRコードを読み取ってください。</p>
      <img
        src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
        alt="認証アプリに登録するQRコード"
        className="h-48 w-48 self-start border border-slate-200 bg-white"
        data-testid="totp-qr"
      />
      <p className="text-sm text-slate-700">
        読み取れないときは、アカウント「{enrolment.account}」としてこのキーを入力してください:
      </p>
      <code
        className="select-all break-all rounded bg-slate-100 px-2 py-1 font-mono"
        data-testid="totp-secret"
      >
        {enrolment.secret}
      </code>
      <p className="text-sm text-slate-700">2. アプリに表示された6桁の確認コードを入力してください。</p>
      <InputField
        form={form}
        name="code"
        id="enrol-code"
        label="確認コード"
        autoComplete="one-time-code"
        autoFocus
      />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={form.formState.isSubmitting}>
          確認して設定する
        </button>
        <button type="button" className={secondaryButtonClass} onClick={begin} disabled={busy}>
          新しいQRコードにする
        </button>
      </div>
    </form>
  );
}
