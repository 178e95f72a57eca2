import { zodResolver } from '@hookform/resolvers/zod';
import { type CheckInInput, checkInInput, departments, visitStateLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Banner, buttonClass, Field, inputClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';

/** 受付: today's visit for this patient. */
export function CheckInPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<CheckInInput>({
    resolver: zodResolver(checkInInput),
    defaultValues: { patientId, purpose: '', department: '内科', memo: '' },
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
                <option key={d} value={d}>
                  {d}
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
    </section>
  );
}
