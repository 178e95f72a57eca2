import { sexLabels } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Banner, buttonClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { warekiWithWeekday } from './format';

/** 予約票: the slip the patient takes home — clinic, patient, date (和暦, 曜日), time, doctor and 診療科 — on A6. */
export function SlipPage() {
  const { appointmentId = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const slip = useQuery(trpc.appointments.get.queryOptions({ appointmentId }));
  if (slip.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (slip.isError) return <Banner kind="error">{errorMessage(slip.error)}</Banner>;
  const { appointment: a, clinic } = slip.data;
  return (
    <div className="flex flex-col gap-3">
      {/* A6 portrait; a printer with A5 only prints it in the upper half. */}
      <style>{'@page slip { size: A6 portrait; margin: 6mm; } .slip-sheet { page: slip; }'}</style>
      <div className="no-print flex items-center gap-2">
        <h1 className="text-xl font-bold">予約票</h1>
        <button type="button" className={`${buttonClass} ml-auto`} onClick={() => window.print()} autoFocus>
          印刷（A6）
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => navigate(-1)}>
          戻る
        </button>
      </div>
      {a.state === 'cancelled' && (
        <Banner kind="warn">この予約は取り消されています（{a.cancelReason}）</Banner>
      )}
      <article
        className="slip-sheet mx-auto flex w-[93mm] flex-col gap-2 border border-slate-400 bg-white p-4 text-black print:border-0"
        data-testid="appointment-slip"
      >
        <h2 className="border-b-2 border-black pb-1 text-center text-lg font-bold tracking-widest">予約票</h2>
        <p className="text-base">
          <span className="font-bold" data-testid="slip-patient">
            {a.familyName} {a.givenName}
          </span>{' '}
          様
          <span className="ml-2 text-xs">
            （{a.familyNameKana} {a.givenNameKana}・{sexLabels[a.sex as keyof typeof sexLabels] ?? ''}）
          </span>
        </p>
        <p className="text-xs">患者番号 {a.patientNumber}</p>
        <dl className="grid grid-cols-[4.5em_1fr] gap-y-1 text-sm">
          <dt className="font-medium">日付</dt>
          <dd className="text-base font-bold" data-testid="slip-date">
            {warekiWithWeekday(a.date)}
          </dd>
          <dt className="font-medium">時刻</dt>
          <dd className="text-base font-bold" data-testid="slip-time">
            {a.startTime}
          </dd>
          <dt className="font-medium">診療科</dt>
          <dd>{a.department}</dd>
          <dt className="font-medium">担当医</dt>
          <dd>{a.doctorName ?? '指定なし'}</dd>
          {a.purpose && (
            <>
              <dt className="font-medium">内容</dt>
              <dd>{a.purpose}</dd>
            </>
          )}
        </dl>
        <p className="text-xs">
          保険証（マイナ保険証）・診察券・お薬手帳をお持ちください。ご都合が悪くなった場合はお電話でご連絡ください。
        </p>
        <footer className="border-t border-black pt-1 text-xs">
          <p className="font-bold" data-testid="slip-clinic">
            {clinic.name}
          </p>
          {clinic.address && <p>{clinic.address}</p>}
          {clinic.phone && <p>TEL {clinic.phone}</p>}
        </footer>
      </article>
    </div>
  );
}

export default SlipPage;
