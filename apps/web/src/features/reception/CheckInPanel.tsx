import { zodResolver } from '@hookform/resolvers/zod';
import { type CheckInInput, checkInInput, type Department, toWareki, visitStateLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Banner, buttonClass, Field, inputClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { CheckInVitals } from '../vitals/lazy';

/** 未収 from earlier 会計, so the clerk asks for it at check-in; nothing when none (or when not allowed). */
function UnpaidNotice({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const unpaid = useQuery({ ...trpc.billing.unpaid.queryOptions({ patientId }), retry: false });
  const total = unpaid.data?.totalYen ?? 0;
  if (total <= 0) return null;
  const oldest = unpaid.data?.bills.at(-1);
  return (
    <div className="mb-3">
      <Banner kind="warn">
        <span data-testid="checkin-unpaid">
          未収金があります: <strong>¥{total.toLocaleString('ja-JP')}</strong>（
          {unpaid.data?.bills.map((b) => toWareki(b.visitDate)).join('、')} 受診分）
        </span>
        {/* The oldest 未収 first: its 会計 takes the payment (bills come newest first). */}
        {oldest && (
          <Link
            to={`/billing/${oldest.visitId}`}
            className="ml-2 underline"
            data-testid="checkin-unpaid-bill"
          >
            {toWareki(oldest.visitDate)}の会計を開く
          </Link>
        )}
      </Banner>
    </div>
  );
}

/** 受付: today's visit for this patient, once the clinic's own 診療科 (クリニック設定) are known. */
export function CheckInPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const departments = useQuery(trpc.clinic.departments.queryOptions());
  if (departments.isError) return <Banner kind="error">{errorMessage(departments.error)}</Banner>;
  if (!departments.data) return <p className="text-sm text-slate-500">読み込み中…</p>;
  return <CheckInForm key={patientId} patientId={patientId} departments={departments.data} />;
}

function CheckInForm({ patientId, departments }: { patientId: string; departments: Department[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The first 診療科 preselected.
  const form = useForm<CheckInInput>({
    resolver: zodResolver(checkInInput),
    defaultValues: { patientId, purpose: '', department: departments[0]?.name ?? '', memo: '' },
  });
  const insurance = useQuery(trpc.reception.insurance.queryOptions({ patientId }));
  const todayVisit = insurance.data?.todayVisit;
  const checkIn = useMutation(
    trpc.reception.checkIn.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() });
        queryClient.invalidateQueries({ queryKey: trpc.reception.insurance.queryKey({ patientId }) });
      },
      onError: (error) => showServerFieldErrors(form, fieldErrors(error)),
    }),
  );
  const errors = form.formState.errors;
  return (
    <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="checkin-heading">
      <h2 id="checkin-heading" className="mb-3 text-lg font-bold">
        受付
      </h2>
      <UnpaidNotice patientId={patientId} />
      {todayVisit && !checkIn.isSuccess ? (
        <Banner kind="info">
          本日受付済みです（受付番号 <strong>{todayVisit.receptionNumber}</strong>・
          {visitStateLabels[todayVisit.state]}）。
          <Link to="/reception/board" className="ml-2 underline">
            受付一覧へ
          </Link>
        </Banner>
      ) : checkIn.isSuccess ? (
        <Banner kind="info">
          受付しました（受付番号{' '}
          <strong data-testid="reception-number">{checkIn.data.receptionNumber}</strong>）
          {checkIn.data.eligibilityConfirmed ? '' : '・資格は未確認です'}。
          <Link to="/reception/board" className="ml-2 underline">
            受付一覧へ
          </Link>
        </Banner>
      ) : (
        <form
          className="grid grid-cols-1 gap-3 md:grid-cols-3"
          noValidate
          onSubmit={form.handleSubmit((v) => checkIn.mutate(v))}
        >
          {checkIn.isError && (
            <div className="md:col-span-3">
              <Banner kind="error">{errorMessage(checkIn.error)}</Banner>
            </div>
          )}
          <InputField
            form={form}
            name="purpose"
            id="checkin-purpose"
            label="来院目的"
            required
            hint="例: 再診、発熱、健診"
          />
          <Field label="診療科" htmlFor="checkin-department" required error={errors.department?.message}>
            <select id="checkin-department" className={inputClass} {...form.register('department')}>
              {departments.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <InputField form={form} name="memo" id="checkin-memo" label="メモ" />
          <div>
            <button type="submit" className={buttonClass} disabled={checkIn.isPending}>
              受付する
            </button>
          </div>
        </form>
      )}
      {(checkIn.data?.id ?? todayVisit?.id) && (
        <CheckInVitals patientId={patientId} visitId={checkIn.data?.id ?? todayVisit?.id ?? ''} />
      )}
    </section>
  );
}
