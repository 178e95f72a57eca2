import {
  doseText,
  durationText,
  formatBirthDate,
  relationshipLabels,
  residualLabels,
  sexLabels,
  toWareki,
} from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Banner, buttonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

const cell = 'border border-slate-800 px-1 py-0.5 align-top';
const box = (on: boolean) => (on ? '☑' : '☐');

/**
 * 処方箋 (A5) after 様式第二号: insurer and only the 公費 chosen for this prescription above, the patient
 * with the 負担割合, the RPs with 変更不可（医療上必要）/ 患者希望 per drug, リフィル可, and the 残薬 handling.
 */
export function PrescriptionSheetPage() {
  const { entryId = '' } = useParams();
  const trpc = useTRPC();
  const sheet = useQuery(trpc.orders.sheet.queryOptions({ entryId }));
  const patientId = sheet.data?.patientId ?? '';
  const patient = useQuery({
    ...trpc.reception.getPatient.queryOptions({ id: patientId }),
    enabled: !!patientId,
  });
  if (sheet.isError) return <Banner kind="error">{errorMessage(sheet.error)}</Banner>;
  if (!sheet.data || !patient.data) return <p className="text-slate-500">読み込み中…</p>;
  const s = sheet.data;
  const p = patient.data;
  const cov = s.coverage;
  // The first chosen 公費 in the header (第一公費); a second one goes to 備考.
  const [sub, ...moreSubs] = s.publicSubsidies;
  const drugs = s.content.rps.flatMap((r) => r.drugs);
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
                {cov && <br />}
                <span data-testid="rx-burden">
                  負担割合 {s.burden.wari}割（{s.burden.reason}）
                </span>
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
                <p className="mb-1 text-[8px]">
                  医療上の必要から後発医薬品への変更に差し支えがある薬には「変更不可」欄に、患者の希望で先発医薬品を処方した薬には「患者希望」欄に印があります。
                </p>
                <div className="mb-1 flex gap-2 text-[9px] font-bold">
                  <span className="w-10 text-center">変更不可</span>
                  <span className="w-10 text-center">患者希望</span>
                </div>
                {s.content.rps.map((r, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: RPs are numbered by position
                  <div key={i} className="mb-1">
                    {r.drugs.map((d, k) => (
                      <p key={d.code} className="flex gap-2" data-testid="rx-drug">
                        <span
                          className="w-10 text-center"
                          title="変更不可（医療上必要）"
                          data-testid="rx-no-change"
                        >
                          {d.noChange ? 'レ' : ''}
                        </span>
                        <span className="w-10 text-center" title="患者希望" data-testid="rx-patient-wish">
                          {d.patientWish ? 'レ' : ''}
                        </span>
                        <span className="flex flex-1 justify-between">
                          <span>
                            {k === 0 ? `RP${i + 1}) ` : '　　 '}
                            {d.name}
                          </span>
                          <span>{doseText(r, d)}</span>
                        </span>
                      </p>
                    ))}
                    <p className="pl-28">
                      {r.usageText} {durationText(r)}
                    </p>
                  </div>
                ))}
                <p className="text-center">以下余白</p>
                <p className="mt-1 border-t border-slate-800 pt-0.5" data-testid="rx-refill">
                  リフィル可 {box(!!s.content.refill)}（{s.content.refill ?? '　'}回）
                </p>
              </td>
            </tr>
            <tr>
              <th className={cell}>備考</th>
              <td className={cell} colSpan={3}>
                <p>
                  保険医署名（「変更不可」欄に印がある場合は署名又は記名・押印）：
                  {drugs.some((d) => d.noChange) ? `${s.doctor}　印` : ''}
                </p>
                {moreSubs.map((m, i) => (
                  <p key={m.payerNumber}>
                    {['第二', '第三', '第四'][i] ?? `第${i + 2}`}公費 {m.label}：公費負担者番号{' '}
                    {m.payerNumber}　受給者番号 {m.recipientNumber}
                  </p>
                ))}
                {s.content.place === 'inside' ? '院内処方' : ''}
                {s.content.rps.some((r) => r.drugs.some((d) => d.generic)) && '【般】は一般名処方'}
                {s.version > 1 && `（第${s.version}版）`}
              </td>
            </tr>
            <tr>
              <th className={cell}>残薬確認</th>
              <td className={cell} colSpan={3} data-testid="rx-residual">
                保険薬局が調剤時に残薬を確認した場合の対応：
                {(['inquire', 'inform'] as const).map((k) => (
                  <span key={k} className="ml-2">
                    {box(s.content.residual === k)}
                    {residualLabels[k]}
                  </span>
                ))}
              </td>
            </tr>
          </tbody>
        </table>
      </article>
    </div>
  );
}
