import {
  doseText,
  durationText,
  formatBirthDate,
  relationshipLabels,
  sexLabels,
  toWareki,
} from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Banner, buttonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

const cell = 'border border-slate-800 px-1 py-0.5 align-top';

/** 処方箋 (A5): patient and insurer above, the RPs in the 処方 box, the facility and doctor below. */
export function PrescriptionSheetPage() {
  const { entryId = '' } = useParams();
  const trpc = useTRPC();
  const sheet = useQuery(trpc.orders.sheet.queryOptions({ entryId }));
  const patientId = sheet.data?.patientId ?? '';
  const patient = useQuery({
    ...trpc.reception.getPatient.queryOptions({ id: patientId }),
    enabled: !!patientId,
  });
  const insurance = useQuery({
    ...trpc.reception.insurance.queryOptions({ patientId }),
    enabled: !!patientId,
  });
  if (sheet.isError) return <Banner kind="error">{errorMessage(sheet.error)}</Banner>;
  if (!sheet.data || !patient.data || !insurance.data) return <p className="text-slate-500">読み込み中…</p>;
  const s = sheet.data;
  const p = patient.data;
  const cov = insurance.data.current;
  const sub = insurance.data.subsidies[0];
  return (
    <div className="flex flex-col gap-3">
      <div className="no-print flex gap-2">
        <button type="button" className={buttonClass} onClick={() => window.print()}>
          印刷（A5）
        </button>
      </div>
      <article
        className="rx-sheet mx-auto w-[148mm] bg-white p-2 text-[11px] leading-tight text-black"
        aria-label="処方箋"
      >
        <h1 className="mb-1 text-center text-lg font-bold tracking-[0.5em]">処方箋</h1>
        <p className="mb-1 text-center text-[9px]">（この処方箋は、どの保険薬局でも有効です。）</p>
        <table className="w-full border-collapse">
          <tbody>
            <tr>
              <th className={cell}>公費負担者番号</th>
              <td className={cell}>{sub?.payerNumber ?? ''}</td>
              <th className={cell}>保険者番号</th>
              <td className={cell}>{cov?.insurerNumber ?? ''}</td>
            </tr>
            <tr>
              <th className={cell}>公費負担医療の受給者番号</th>
              <td className={cell}>{sub?.recipientNumber ?? ''}</td>
              <th className={cell}>被保険者証の記号・番号</th>
              <td className={cell}>
                {cov ? `${cov.symbol}・${cov.number}${cov.branch ? `（枝番）${cov.branch}` : ''}` : ''}
              </td>
            </tr>
            <tr>
              <th className={cell}>患者 氏名</th>
              <td className={cell}>
                <span className="text-[9px]">
                  {p.familyNameKana} {p.givenNameKana}
                </span>
                <br />
                <span className="text-sm font-bold">
                  {p.familyName} {p.givenName}
                </span>
              </td>
              <th className={cell}>保険医療機関の所在地及び名称</th>
              <td className={cell}>
                {s.facility.address}
                <br />
                {s.facility.name}
              </td>
            </tr>
            <tr>
              <th className={cell}>生年月日・性別</th>
              <td className={cell}>
                {formatBirthDate(p.birthDate)}・{sexLabels[p.sex]}
              </td>
              <th className={cell}>電話番号</th>
              <td className={cell}>{s.facility.phone}</td>
            </tr>
            <tr>
              <th className={cell}>区分</th>
              <td className={cell}>
                {cov ? (cov.relationship === 'self' ? '被保険者' : '被扶養者') : ''}
                {cov ? `（${relationshipLabels[cov.relationship]}）` : ''}
              </td>
              <th className={cell}>保険医氏名</th>
              <td className={cell}>{s.doctor}　印</td>
            </tr>
            <tr>
              <th className={cell}>交付年月日</th>
              <td className={cell}>{toWareki(s.date)}</td>
              <th className={cell}>医療機関コード</th>
              <td className={`${cell} font-mono`}>{s.facility.code}</td>
            </tr>
            <tr>
              <th className={cell}>処方箋の使用期間</th>
              <td className={cell} colSpan={3}>
                特に記載のある場合を除き、交付の日を含めて4日以内に保険薬局に提出すること。
              </td>
            </tr>
            <tr>
              <th className={cell}>処方</th>
              <td className={`${cell} h-48`} colSpan={3}>
                {s.content.rps.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: RPs are numbered by position
                  <div key={i} className="mb-1">
                    {r.drugs.map((d, k) => (
                      <p key={d.code} className="flex justify-between">
                        <span>
                          {k === 0 ? `RP${i + 1}) ` : '　　 '}
                          {d.name}
                        </span>
                        <span>{doseText(r, d)}</span>
                      </p>
                    ))}
                    <p className="pl-8">
                      {r.usageText} {durationText(r)}
                    </p>
                  </div>
                ))}
                <p className="text-center">以下余白</p>
              </td>
            </tr>
            <tr>
              <th className={cell}>備考</th>
              <td className={cell} colSpan={3}>
                {s.content.place === 'inside' ? '院内処方' : ''}
                {s.content.rps.some((r) => r.drugs.some((d) => d.generic)) && '【般】は一般名処方'}
                {s.version > 1 && `（第${s.version}版）`}
              </td>
            </tr>
          </tbody>
        </table>
      </article>
    </div>
  );
}
