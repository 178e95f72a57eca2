import { zodResolver } from '@hookform/resolvers/zod';
import { OFFLINE_PASSPHRASE_MIN, type OfflinePassphraseInput, offlinePassphraseInput } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC, useTRPCClient } from '../../lib/trpc';

const dateTime = (iso: string) =>
  new Intl.DateTimeFormat('ja-JP', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Asia/Tokyo',
  }).format(new Date(iso));

/** 見読性: the encrypted offline file of the day — passphrase, schedule, files, 「今すぐ作成」 and download. */
export function OfflinePage() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [making, setMaking] = useState(false);
  const status = useQuery({
    ...trpc.offline.status.queryOptions(),
    // While a file is being made: its progress.
    refetchInterval: making ? 500 : false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.offline.status.queryKey() });
  const form = useForm<OfflinePassphraseInput>({
    resolver: zodResolver(offlinePassphraseInput),
    defaultValues: { passphrase: '', confirm: '' },
  });
  const setPassphrase = useMutation(
    trpc.offline.setPassphrase.mutationOptions({
      onSuccess: () => {
        form.reset();
        refresh();
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  const exportNow = useMutation(
    trpc.offline.exportNow.mutationOptions({
      onMutate: () => setMaking(true),
      onSettled: () => {
        setMaking(false);
        refresh();
      },
    }),
  );
  const [downloadError, setDownloadError] = useState<string | null>(null);
  async function download(date: string) {
    setDownloadError(null);
    try {
      const file = await client.offline.download.query({ date });
      const url = URL.createObjectURL(new Blob([file.html], { type: 'text/html;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  }
  const s = status.data;
  const progress = s?.progress;
  return (
    <section className="flex flex-col gap-6">
      <h1 className="text-xl font-bold">オフライン閲覧</h1>
      <p className="max-w-3xl text-sm text-slate-700">
        Karte
        が使えないとき（停電・回線障害・サーバー障害）に備えて、本日の受付患者と最近受診した患者の要約（傷病名・アレルギー・薬剤禁忌・感染症・処方・検査・直近の記録）を、
        サーバーなしでブラウザで開ける1つの HTML
        ファイルにまとめます。内容はパスフレーズで暗号化されます。院内の PC や USB
        メモリに保存しておき、障害時はファイルを開いてパスフレーズを入力してください。
      </p>
      {status.isError && <Banner kind="error">{errorMessage(status.error)}</Banner>}

      <div className="max-w-xl rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-1 text-lg font-bold">パスフレーズ</h2>
        <p className="mb-3 text-sm text-slate-600">
          {s?.passphraseSet
            ? `設定済み（${s.passphraseSetAt ? dateTime(s.passphraseSetAt) : ''}）。変更すると以後のファイルは新しいパスフレーズで開きます（作成済みのファイルは元のまま）。`
            : '未設定です。設定するまでファイルは作成されません。'}
          サーバーにはパスフレーズそのものは保存されず、そこから導いた鍵だけが鍵ファイルに保存されます。
        </p>
        <form
          className="grid grid-cols-1 gap-4"
          onSubmit={form.handleSubmit((v) => setPassphrase.mutate(v))}
          noValidate
          aria-label="パスフレーズの設定"
        >
          {setPassphrase.isError && !Object.keys(fieldErrors(setPassphrase.error)).length && (
            <Banner kind="error">{errorMessage(setPassphrase.error)}</Banner>
          )}
          {setPassphrase.isSuccess && <Banner kind="info">パスフレーズを設定しました。</Banner>}
          <InputField
            form={form}
            name="passphrase"
            id="offline-passphrase"
            label={s?.passphraseSet ? '新しいパスフレーズ' : 'パスフレーズ'}
            type="password"
            autoComplete="new-password"
            required
            hint={`${OFFLINE_PASSPHRASE_MIN}文字以上。推測されにくい文にしてください（例：複数の単語と数字）`}
          />
          <InputField
            form={form}
            name="confirm"
            id="offline-passphrase-confirm"
            label="パスフレーズ（確認）"
            type="password"
            autoComplete="new-password"
            required
          />
          <div>
            <button type="submit" className={buttonClass} disabled={setPassphrase.isPending}>
              {setPassphrase.isPending
                ? '設定中…'
                : s?.passphraseSet
                  ? 'パスフレーズを変更'
                  : 'パスフレーズを設定'}
            </button>
          </div>
        </form>
      </div>

      <div className="max-w-3xl rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-1 text-lg font-bold">作成スケジュール</h2>
        {s && (
          <p className="text-sm text-slate-700" data-testid="offline-schedule">
            {s.schedule.hours.length
              ? `毎日 ${s.schedule.hours.map((h) => `${h}時`).join('・')}（日本時間）に当日分を作成・更新します。`
              : '自動作成は停止中です（KARTE_OFFLINE_HOURS が空）。'}
            対象は本日の受付患者と{s.schedule.recentDays}日以内に受診した患者。ファイルは{s.schedule.keepDays}
            日分を保存します。
          </p>
        )}
        <div className="mt-3 flex items-center gap-3">
          <button
            type="button"
            className={buttonClass}
            disabled={!s?.passphraseSet || exportNow.isPending}
            onClick={() => exportNow.mutate()}
          >
            今すぐ作成
          </button>
          {exportNow.isPending && (
            <span role="status" className="text-sm text-slate-700">
              作成中…{progress && progress.total > 0 ? `（${progress.done} / ${progress.total} 名）` : ''}
            </span>
          )}
          {exportNow.isSuccess && !exportNow.isPending && (
            <span role="status" className="text-sm text-green-800">
              作成しました（{exportNow.data.patients}名）
            </span>
          )}
        </div>
        {exportNow.isError && (
          <div className="mt-3">
            <Banner kind="error">{errorMessage(exportNow.error)}</Banner>
          </div>
        )}
      </div>

      <div className="rounded border border-slate-200 bg-white p-4">
        <h2 className="mb-3 text-lg font-bold">作成済みファイル</h2>
        {downloadError && <Banner kind="error">{downloadError}</Banner>}
        {s && s.files.length === 0 ? (
          <p className="text-sm text-slate-600">まだありません。</p>
        ) : (
          <table className="w-full border-collapse text-left text-sm" aria-label="オフライン閲覧ファイル一覧">
            <thead>
              <tr className="border-b border-slate-300 text-slate-600">
                <th className="px-2 py-2">対象日</th>
                <th className="px-2 py-2">作成日時</th>
                <th className="px-2 py-2">患者数</th>
                <th className="px-2 py-2">整合性ハッシュ（SHA-256）</th>
                <th className="px-2 py-2" />
              </tr>
            </thead>
            <tbody>
              {s?.files.map((f) => (
                <tr key={f.date} className="border-b border-slate-100 align-top">
                  <td className="px-2 py-2 whitespace-nowrap">{f.date}</td>
                  <td className="px-2 py-2 whitespace-nowrap">
                    {dateTime(f.generatedAt)}
                    <span className="ml-1 text-xs text-slate-500">
                      {f.trigger === 'manual' ? '手動' : '自動'}
                    </span>
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap">
                    {f.patients}名（本日{f.expected}・最近{f.recent}）
                  </td>
                  <td className="px-2 py-2 font-mono text-xs break-all" data-testid="offline-hash">
                    {f.sha256}
                  </td>
                  <td className="px-2 py-2 text-right">
                    <button type="button" className={secondaryButtonClass} onClick={() => download(f.date)}>
                      ダウンロード
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
