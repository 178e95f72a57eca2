import { infectionLabels } from '@karte/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass } from '../../components/Field';
import { changesSafetyData } from '../../lib/roles';
import { errorMessage, useTRPC } from '../../lib/trpc';

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The server's limit for a lab file. */
const MAX_LAB_FILE_BYTES = 5 * 1024 * 1024;

const resultLabels = { positive: '陽性', negative: '陰性', unknown: '判定保留' } as const;

/** 検査結果の取込: choose a CSV, see every row (or every error), then import all or nothing. */
export function LabImportPage({ me }: { me: Me }) {
  const trpc = useTRPC();
  const [file, setFile] = useState<{ fileName: string; base64: string } | null>(null);
  const [tooBig, setTooBig] = useState(false);
  const preview = useMutation(trpc.orders.previewLabImport.mutationOptions());
  const run = useMutation(trpc.orders.importLabs.mutationOptions());
  const data = preview.data;
  const canImport =
    data && data.errors.length === 0 && !data.duplicateOf && data.rows.length > 0 && !run.isSuccess;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-bold">検査結果の取込（CSV）</h1>
      <p className="text-sm text-slate-700">
        列: 患者番号, 採取日, 項目コード, 結果値, 単位, 基準値（任意で 項目名）。UTF-8 または
        Shift_JIS。1行でも誤りがあれば取り込みません。
      </p>
      <label className="flex flex-col gap-1 text-sm">
        ファイル
        <input
          type="file"
          accept=".csv,text/csv"
          className={inputClass}
          aria-label="検査結果ファイル"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            run.reset();
            preview.reset();
            setTooBig(false);
            if (!f) return;
            // Said here before anything is sent (the server refuses it too).
            if (f.size > MAX_LAB_FILE_BYTES) {
              setFile(null);
              setTooBig(true);
              return;
            }
            const next = { fileName: f.name, base64: await toBase64(f) };
            setFile(next);
            preview.mutate(next);
          }}
        />
      </label>
      {tooBig && (
        <Banner kind="error">
          ファイルが大きすぎます（5MBまで）。期間や患者で分けたファイルにして取り込んでください
        </Banner>
      )}
      {preview.isPending && <p className="text-slate-500">確認中…</p>}
      {preview.isError && <Banner kind="error">{errorMessage(preview.error)}</Banner>}
      {data?.duplicateOf && (
        <Banner kind="warn">
          このファイルは {data.duplicateOf.at.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })} に「
          {data.duplicateOf.fileName}」として取り込み済みです。追加はしません。
        </Banner>
      )}
      {data && data.errors.length > 0 && (
        <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-bold">{data.errors.length}件の誤りがあるため取り込めません</p>
          <ul className="mt-1 list-disc pl-5" aria-label="誤り">
            {data.errors.map((e) => (
              <li key={`${e.line}-${e.column}`}>
                {e.line}行目「{e.column}」: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {data && data.rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="border-collapse bg-white text-sm" aria-label="取込プレビュー">
            <thead>
              <tr className="bg-slate-100">
                {['行', '患者番号', '氏名', '採取日', '項目', 'コード', '結果', '単位', '基準値', '判定'].map(
                  (h) => (
                    <th key={h} className="border border-slate-300 px-2 py-1">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.line}>
                  <td className="border border-slate-300 px-2 py-1 text-right">{r.line}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.patientNumber}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.patientName}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.collectedOn}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.name}</td>
                  <td className="border border-slate-300 px-2 py-1 font-mono text-xs">
                    {r.code}
                    {r.codeSystem === 'local' && <span className="ml-1 rounded bg-slate-200 px-1">院内</span>}
                  </td>
                  <td className="border border-slate-300 px-2 py-1 text-right">{r.value}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.unit}</td>
                  <td className="border border-slate-300 px-2 py-1">{r.range}</td>
                  <td className="border border-slate-300 px-2 py-1">
                    {r.flag}
                    {r.infection &&
                      ` ${infectionLabels[r.infection.kind]} ${resultLabels[r.infection.result]}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canImport && file && !changesSafetyData(me.user.role) && (
        <Banner kind="info">
          取り込みは医師・看護師が行います（感染症の状態が変わるため）。内容はこのプレビューで確認できます。
        </Banner>
      )}
      {canImport && file && changesSafetyData(me.user.role) && (
        <button
          type="button"
          className={`${buttonClass} self-start`}
          disabled={run.isPending}
          onClick={() => run.mutate(file)}
        >
          {data.rows.length}件を取り込む
        </button>
      )}
      {run.isError && <Banner kind="error">{errorMessage(run.error)}</Banner>}
      {run.isSuccess && (
        <Banner kind="info">
          {run.data.filed}件（{run.data.patients}人分）を取り込みました。
        </Banner>
      )}
    </div>
  );
}
