import { zodResolver } from '@hookform/resolvers/zod';
import {
  type CoverageFields,
  coverageFields,
  emptyCoverageFields,
  insuranceKindLabel,
  limitCategoryLabels,
  relationshipLabels,
  toWareki,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { Outputs } from '../../App';
import { Banner, buttonClass, Field, inputClass, secondaryButtonClass } from '../../components/Field';
import { InputField, showServerFieldErrors } from '../../components/InputField';
import { dateHint } from '../../lib/dates';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { EligibilityPanel } from './EligibilityPanel';
import { PublicSubsidyPanel } from './PublicSubsidyPanel';

type Insurance = Outputs['reception']['insurance'];
type Coverage = NonNullable<Insurance['current']>;

const date = (iso: string | null) => (iso ? toWareki(iso) : '—');

function CoverageView({ c }: { c: Coverage }) {
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-base" data-testid="coverage">
      <dt className="text-slate-600">保険者番号</dt>
      <dd>
        <span className="font-mono">{c.insurerNumber}</span>（{c.kind}）
      </dd>
      <dt className="text-slate-600">記号・番号</dt>
      <dd>
        {c.symbol || '—'}・{c.number}
        {c.branch && `（枝番 ${c.branch}）`}
      </dd>
      <dt className="text-slate-600">本人・家族</dt>
      <dd>{relationshipLabels[c.relationship]}</dd>
      <dt className="text-slate-600">負担割合</dt>
      <dd>
        <span className="text-xl font-bold" data-testid="burden">
          {c.wari}割
        </span>
        <span className="ml-2 text-sm text-slate-600">（{c.wariReason}）</span>
      </dd>
      <dt className="text-slate-600">限度額適用区分</dt>
      <dd>{c.limitCategoryLabel || '—'}</dd>
      <dt className="text-slate-600">資格取得日</dt>
      <dd>{date(c.acquiredOn)}</dd>
      <dt className="text-slate-600">有効期限</dt>
      <dd className={c.expired ? 'font-bold text-red-700' : ''}>
        {date(c.validUntil)}
        {c.expired && '（期限切れ）'}
      </dd>
    </dl>
  );
}

function CoverageForm(props: { patientId: string; current: Coverage | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = props.current;
  const form = useForm<CoverageFields>({
    resolver: zodResolver(coverageFields),
    defaultValues: c
      ? {
          insurerNumber: c.insurerNumber,
          symbol: c.symbol,
          number: c.number,
          branch: c.branch,
          relationship: c.relationship,
          acquiredOn: c.acquiredOn ?? '',
          validUntil: c.validUntil ?? '',
          limitCategory: c.limitCategory,
          wariOverride:
            c.wariSource === '手入力' && c.wariOverride ? (String(c.wariOverride) as '1' | '2' | '3') : '',
        }
      : emptyCoverageFields,
  });
  const save = useMutation(
    trpc.reception.saveCoverage.mutationOptions({
      onSuccess: () => {
        queryClient.invalidateQueries({
          queryKey: trpc.reception.insurance.queryKey({ patientId: props.patientId }),
        });
        props.onDone();
      },
      onError: (error) => {
        const errors = Object.fromEntries(
          Object.entries(fieldErrors(error)).map(([k, v]) => [k.replace(/^coverage\./, ''), v]),
        );
        showServerFieldErrors(form, errors);
      },
    }),
  );
  const insurer = form.watch('insurerNumber');
  const [acquiredOn, validUntil] = form.watch(['acquiredOn', 'validUntil']);
  const errors = form.formState.errors;
  return (
    <form
      className="grid grid-cols-1 gap-3 md:grid-cols-3"
      noValidate
      onSubmit={form.handleSubmit((coverage) =>
        save.mutate({ patientId: props.patientId, basedOn: c?.id ?? null, coverage }),
      )}
    >
      {save.isError && (
        <div className="md:col-span-3">
          <Banner kind="error">{errorMessage(save.error)}</Banner>
        </div>
      )}
      <InputField
        form={form}
        name="insurerNumber"
        label="保険者番号"
        required
        hint={/^\d{6}(\d{2})?$/.test(insurer) ? insuranceKindLabel(insurer) : '8桁（国保は6桁）'}
      />
      <InputField form={form} name="symbol" label="記号" hint="全角・かな・漢字も可" />
      <InputField form={form} name="number" label="番号" required />
      <InputField form={form} name="branch" label="枝番" hint="2桁（なければ空欄）" />
      <Field label="本人・家族" htmlFor="relationship" required error={errors.relationship?.message}>
        <select id="relationship" className={inputClass} {...form.register('relationship')}>
          <option value="self">本人</option>
          <option value="family">家族</option>
        </select>
      </Field>
      <InputField
        form={form}
        name="acquiredOn"
        label="資格取得日"
        hint={dateHint(acquiredOn, '例: R2.4.1、2020-04-01、20200401')}
      />
      <InputField
        form={form}
        name="validUntil"
        label="有効期限"
        hint={dateHint(validUntil, '例: R9.3.31（なければ空欄）')}
      />
      <Field label="限度額適用区分" htmlFor="limitCategory" error={errors.limitCategory?.message}>
        <select id="limitCategory" className={inputClass} {...form.register('limitCategory')}>
          <option value="">—</option>
          {Object.entries(limitCategoryLabels).map(([code, label]) => (
            <option key={code} value={code}>
              {label}（{code}）
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="負担割合（年齢によらない場合）"
        htmlFor="wariOverride"
        error={errors.wariOverride?.message}
      >
        <select id="wariOverride" className={inputClass} {...form.register('wariOverride')}>
          <option value="">年齢から自動</option>
          <option value="1">1割</option>
          <option value="2">2割</option>
          <option value="3">3割（現役並み等）</option>
        </select>
      </Field>
      <div className="flex gap-2 md:col-span-3">
        <button type="submit" className={buttonClass} disabled={save.isPending}>
          保険を保存
        </button>
        <button type="button" className={secondaryButtonClass} onClick={props.onDone}>
          やめる
        </button>
      </div>
    </form>
  );
}

export function InsurancePanel({ patientId, canEdit }: { patientId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const insurance = useQuery(trpc.reception.insurance.queryOptions({ patientId }));
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  if (insurance.isPending) return <p className="text-slate-500">保険情報を読み込み中…</p>;
  if (insurance.isError) return <Banner kind="error">{errorMessage(insurance.error)}</Banner>;
  const { current, history, byAge } = insurance.data;
  return (
    <div className="flex flex-col gap-4">
      <section className="rounded border border-slate-200 bg-white p-4" aria-labelledby="insurance-heading">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="insurance-heading" className="text-lg font-bold">
            保険
          </h2>
          {canEdit && !editing && (
            <button type="button" className={secondaryButtonClass} onClick={() => setEditing(true)}>
              {current ? '保険を変更' : '保険を登録'}
            </button>
          )}
        </div>
        {editing ? (
          <CoverageForm patientId={patientId} current={current} onDone={() => setEditing(false)} />
        ) : current ? (
          <CoverageView c={current} />
        ) : (
          <p className="text-slate-600">
            保険は未登録です（年齢による負担割合: {byAge.wari}割・{byAge.reason}）
          </p>
        )}
        {current?.expired && !editing && (
          <div className="mt-3">
            <Banner kind="warn">
              保険の有効期限が切れています。資格確認を行うか、保険を変更してください。
            </Banner>
          </div>
        )}
        {history.length > 0 && (
          <div className="mt-3">
            <button
              type="button"
              className="text-sm text-sky-800 underline"
              onClick={() => setShowHistory((v) => !v)}
            >
              変更履歴（{history.length}件）
            </button>
            {showHistory && (
              <ul className="mt-2 text-sm text-slate-700">
                {history.map((h) => (
                  <li key={h.id}>
                    {h.createdAt.toLocaleDateString('ja-JP')}〜{h.endedAt?.toLocaleDateString('ja-JP')}:{' '}
                    {h.insurerNumber} {h.symbol}・{h.number}
                    {h.branch && `（枝番 ${h.branch}）`} {relationshipLabels[h.relationship]} {h.wari}割
                    {h.limitCategoryLabel && ` 限度額 ${h.limitCategoryLabel}`} 資格取得日{' '}
                    {date(h.acquiredOn)}
                    {h.validUntil && ` 有効期限 ${date(h.validUntil)}`}
                    {h.wariSource === '資格確認' && '（資格確認から反映）'}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
      {canEdit && (
        <EligibilityPanel
          patientId={patientId}
          hasCoverage={!!current}
          lastCheck={insurance.data.lastCheck}
        />
      )}
      <PublicSubsidyPanel patientId={patientId} subsidies={insurance.data.subsidies} canEdit={canEdit} />
    </div>
  );
}
