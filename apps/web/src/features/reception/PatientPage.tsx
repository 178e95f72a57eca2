import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { Me } from '../../App';
import { Banner, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { CheckInPanel } from './CheckInPanel';
import { InsurancePanel } from './InsurancePanel';
import { PatientHeader } from './PatientHeader';

export function PatientPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const patient = useQuery(trpc.reception.getPatient.queryOptions({ id }));
  if (patient.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (patient.isError) return <Banner kind="error">{errorMessage(patient.error)}</Banner>;
  const p = patient.data;
  // 受付・医事 work (insurance, eligibility, check-in) is the clerks' and the admin's.
  const reception = me.user.role === 'clerk' || me.user.role === 'admin';
  return (
    <div className="flex flex-col gap-4">
      <PatientHeader patient={p} />
      <section className="rounded border border-slate-200 bg-white p-4">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-bold">基本情報</h2>
          <div className="no-print flex gap-2">
            <button type="button" className={secondaryButtonClass} onClick={() => window.print()}>
              印刷
            </button>
            <Link to={`/patients/${p.id}/card`} className={secondaryButtonClass}>
              診察券を印刷
            </Link>
            <Link to={`/patients/${p.id}/edit`} className={secondaryButtonClass}>
              編集
            </Link>
            {me.user.role !== 'admin' && (
              <Link to={`/patients/${p.id}/chart`} className={secondaryButtonClass}>
                カルテ
              </Link>
            )}
          </div>
        </div>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-base">
          <dt className="text-slate-600">郵便番号</dt>
          <dd>{p.postalCode || '—'}</dd>
          <dt className="text-slate-600">住所</dt>
          <dd>{p.address || '—'}</dd>
          <dt className="text-slate-600">電話番号</dt>
          <dd>{p.phone || '—'}</dd>
          <dt className="text-slate-600">最終更新</dt>
          <dd>
            {p.updatedAt.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}（第{p.version}版）
          </dd>
        </dl>
      </section>
      {reception && <CheckInPanel patientId={p.id} />}
      <InsurancePanel patientId={p.id} canEdit={reception} />
    </div>
  );
}
