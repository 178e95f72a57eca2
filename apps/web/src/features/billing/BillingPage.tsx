import {
  type BillDraft,
  type BillingView,
  formatBirthDate,
  type PaymentInput,
  sexLabels,
  toWareki,
  type VisitKind,
  visitKinds,
} from '@karte/domain';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Banner, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { BillLines } from './BillLines';
import { confirmAddMessage, coverageName, kubunLabel, needsConfirmation, serverMessage } from './checks';
import { forgetBillDraft, loadBillDraft, tabStorage } from './draftStore';
import { HistoryPanel } from './HistoryPanel';
import { ItemSearch } from './ItemSearch';
import {
  addProcedure,
  addSelfPay,
  correctionDifference,
  removeItem,
  removeSelfPay,
  restoreItem,
  setCount,
  withElsewhere,
  yen,
} from './money';
import { OtherUnpaid } from './OtherUnpaid';
import { PaymentForm } from './PaymentForm';
import { ReasonDialog } from './ReasonDialog';
import { SetPicker } from './SetPicker';
import { addSet } from './sets';
import { TotalsPanel } from './TotalsPanel';
import { useKeptDraft } from './useKeptDraft';

/** 会計 (/billing/:visitId): the proposal, the clerk's edits, the amount, 入金; after 会計済 read-only with 訂正. */
export default function BillingPage() {
  const { visitId = '' } = useParams();
  const trpc = useTRPC();
  const open = useQuery(trpc.billing.open.queryOptions({ visitId }));
  if (open.isError) return <Banner kind="error">{errorMessage(open.error)}</Banner>;
  if (!open.data) return <p className="text-slate-500">読み込み中…</p>;
  // A new version (会計済, 訂正) starts the screen afresh from what the server holds.
  return <BillingScreen key={`${open.data.bill?.version ?? 0}`} view={open.data} />;
}

type Asking =
  | { kind: 'remove'; code: string; name: string }
  | { kind: 'visitKind'; to: VisitKind }
  | { kind: 'correct' };

/** The draft as the server last saw it, after the clerk pauses (so typing does not flood the API). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function BillingScreen({ view }: { view: BillingView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Once confirmed (会計済, or with 未収 left) the 会計 is read-only: any change is a 訂正 with a reason.
  const settled = view.bill !== null;
  const fullyPaid = view.bill?.settled ?? false;
  // Edits kept in the tab from before a reload (only for the version they were made on).
  const [restored, setRestored] = useState(() => {
    const kept = loadBillDraft(tabStorage(), view.visit.id, view.bill?.version ?? 0);
    return kept && (!settled || kept.correcting !== null) ? kept : null;
  });
  const [correcting, setCorrecting] = useState<string | null>(restored?.correcting ?? null); // 訂正の理由
  const editable = !settled || correcting !== null;
  const [draft, setDraft] = useState<BillDraft>(restored?.draft ?? view.draft);
  useKeptDraft({
    visitId: view.visit.id,
    version: view.bill?.version ?? 0,
    server: view.draft,
    draft,
    correcting,
    editable,
  });
  const [asking, setAsking] = useState<Asking | null>(null);
  const sent = useDebounced(draft, 400);
  const changed = sent !== view.draft;
  const preview = useQuery({
    ...trpc.billing.preview.queryOptions({ visitId: view.visit.id, draft: sent }),
    enabled: editable && changed,
    placeholderData: keepPreviousData,
  });
  const totals = changed && preview.data ? preview.data : view.totals;
  const stale = draft !== sent || (changed && preview.isFetching);
  const settings = useQuery({ ...trpc.billing.settings.queryOptions(), enabled: editable });
  const priceList = settings.data?.selfPayItems ?? [];
  const [selfPayPick, setSelfPayPick] = useState('');

  const reload = () =>
    queryClient.invalidateQueries({ queryKey: trpc.billing.open.queryKey({ visitId: view.visit.id }) });
  const confirm = useMutation(
    trpc.billing.confirm.mutationOptions({
      onSuccess: (next) => {
        forgetBillDraft(tabStorage(), view.visit.id);
        void queryClient.invalidateQueries({ queryKey: trpc.reception.board.queryKey() });
        if (correcting === null) navigate('/reception/board');
        else queryClient.setQueryData(trpc.billing.open.queryKey({ visitId: view.visit.id }), next);
      },
    }),
  );
  const pay = useMutation(
    trpc.billing.pay.mutationOptions({
      onSuccess: (next) =>
        queryClient.setQueryData(trpc.billing.open.queryKey({ visitId: view.visit.id }), next),
    }),
  );
  const submit = (payment: PaymentInput | undefined) =>
    confirm.mutate({
      visitId: view.visit.id,
      expectedVersion: view.bill?.version ?? 0,
      draft,
      reason: correcting ?? '',
      ...(payment ? { payment } : {}),
    });

  const changeVisitKind = (to: VisitKind) => {
    if (to === view.visitKindProposal.kind) setDraft({ ...draft, visitKind: to, visitKindReason: '' });
    else setAsking({ kind: 'visitKind', to });
  };
  const p = view.patient;
  const difference = correctionDifference(totals.chargeYen, view.paidYen);
  return (
    <section className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-bold">
          会計{' '}
          <span className="text-base font-normal text-slate-600">
            {toWareki(view.visit.visitDate)}・受付番号 {view.visit.receptionNumber}・{view.visit.department}
          </span>
        </h1>
        <div className="flex gap-2">
          {settled && view.bill && (
            <>
              <Link className={secondaryButtonClass} to={`/billing/bills/${view.bill.id}/receipt`}>
                領収証
              </Link>
              <Link className={secondaryButtonClass} to={`/billing/bills/${view.bill.id}/statement`}>
                診療明細書
              </Link>
            </>
          )}
          <Link className={secondaryButtonClass} to="/reception/board">
            受付一覧へ
          </Link>
        </div>
      </div>
      {view.masterNotice && (
        <Banner kind="warn">
          <span data-testid="master-notice" className="whitespace-pre-wrap font-medium">
            {view.masterNotice}
          </span>
        </Banner>
      )}
      <section
        aria-label="患者情報"
        className="flex flex-wrap items-end gap-x-6 gap-y-1 rounded border border-sky-200 bg-sky-50 px-4 py-3"
        data-testid="billing-patient"
      >
        <div className="text-sm text-slate-600">
          患者番号 <span className="font-mono text-lg font-bold text-slate-900">{p.patientNumber}</span>
        </div>
        <div>
          <div className="text-xs text-slate-600">{p.kana}</div>
          <div className="text-2xl font-bold">{p.name}</div>
        </div>
        <div>{sexLabels[p.sex as keyof typeof sexLabels] ?? ''}</div>
        <div>{formatBirthDate(p.birthDate, view.visit.visitDate)}</div>
        <div className="text-sm">
          {view.coverage ? (
            <>
              {coverageName(view.coverage.label)}（{view.coverage.insurerNumber}）
              {view.coverage.kubun && <span className="ml-2">限度額 {kubunLabel(view.coverage.kubun)}</span>}
            </>
          ) : (
            <span className="font-bold text-amber-800">保険なし</span>
          )}
        </div>
        <div className="text-lg font-bold" data-testid="header-ratio">
          負担 {totals.ratio}割
        </div>
        <div className="text-xs text-slate-600" data-testid="header-ratio-reason">
          （{totals.ratioReason}）
        </div>
        {settled && (
          <span
            className={`rounded px-2 py-0.5 font-medium ${fullyPaid ? 'bg-emerald-100 text-emerald-900' : 'bg-amber-100 text-amber-900'}`}
            data-testid="bill-settled"
          >
            {fullyPaid ? '会計済' : '確定・未収あり'}（第{view.bill?.version}版）
          </span>
        )}
      </section>
      {restored && (
        <Banner kind="info">
          <span data-testid="draft-restored">編集中の内容を復元しました。</span>
          <button
            type="button"
            className="ml-2 underline"
            onClick={() => {
              setDraft(view.draft);
              setCorrecting(null);
              setRestored(null);
            }}
          >
            破棄して提案に戻す
          </button>
        </Banner>
      )}
      {confirm.isError && (
        <Banner kind="error">{serverMessage(errorMessage(confirm.error), fieldErrors(confirm.error))}</Banner>
      )}
      {pay.isError && <Banner kind="error">{errorMessage(pay.error)}</Banner>}
      {preview.isError && <Banner kind="error">再計算できませんでした: {errorMessage(preview.error)}</Banner>}
      {correcting !== null && (
        <Banner kind="info">
          訂正中（理由: {correcting}）。確定すると新しい版になり、差額を
          {difference >= 0 ? 'お預かり' : '返金'}します。
        </Banner>
      )}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[1fr_24rem]">
        <div className="flex flex-col gap-4">
          {editable && (
            <div className="flex flex-wrap items-end gap-4 rounded border border-slate-200 bg-white p-3">
              <label className="flex flex-col text-sm font-medium text-slate-700">
                診察料
                <select
                  className={inputClass}
                  value={draft.visitKind}
                  onChange={(e) => changeVisitKind(e.target.value as VisitKind)}
                >
                  {Object.entries(visitKinds).map(([k, v]) => (
                    <option key={k} value={k}>
                      {v}
                      {k === view.visitKindProposal.kind ? '（提案）' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <p className="pb-2 text-sm text-slate-600" data-testid="visit-kind-reason">
                {draft.visitKind === view.visitKindProposal.kind
                  ? `提案の理由: ${view.visitKindProposal.reason}`
                  : `変更の理由: ${draft.visitKindReason}`}
              </p>
              {view.publicSubsidies.length > 0 && (
                <fieldset className="flex flex-wrap gap-3 pb-2 text-sm">
                  <legend className="font-medium text-slate-700">公費</legend>
                  {view.publicSubsidies.map((s) => (
                    <label key={s.id} className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        checked={draft.publicSubsidyIds.includes(s.id)}
                        onChange={(e) =>
                          setDraft({
                            ...draft,
                            publicSubsidyIds: e.target.checked
                              ? [...draft.publicSubsidyIds, s.id]
                              : draft.publicSubsidyIds.filter((x) => x !== s.id),
                          })
                        }
                      />
                      {s.label}（{s.payerNumber}）
                      {s.monthlyCapYen !== null && ` 上限月額 ${yen(s.monthlyCapYen)}`}
                    </label>
                  ))}
                  {view.publicSubsidies
                    .filter((s) => s.monthlyCapYen !== null && draft.publicSubsidyIds.includes(s.id))
                    .map((s) => (
                      <label key={`elsewhere-${s.id}`} className="flex items-center gap-1">
                        {s.label} 他院等での今月の負担（上限額管理票）
                        <input
                          type="number"
                          min={0}
                          inputMode="numeric"
                          className="w-28 rounded border border-slate-300 px-2 py-1 text-right"
                          data-testid="elsewhere-yen"
                          value={(draft.elsewhere ?? []).find((e) => e.subsidyId === s.id)?.yen ?? ''}
                          onChange={(e) => setDraft(withElsewhere(draft, s.id, e.target.value))}
                        />
                        円
                      </label>
                    ))}
                </fieldset>
              )}
            </div>
          )}
          {!editable && view.publicSubsidies.length > 0 && (
            <p className="text-sm">
              公費:{' '}
              {view.publicSubsidies
                .filter((s) => view.draft.publicSubsidyIds.includes(s.id))
                .map((s) => `${s.label}（${s.payerNumber}）`)
                .join('、') || 'なし'}
            </p>
          )}
          <BillLines
            lines={totals.lines}
            draft={draft}
            names={Object.fromEntries(view.totals.lines.map((l) => [l.code, l.name]))}
            {...(editable
              ? {
                  onRemove: (code: string) => {
                    const item = draft.items.find((i) => i.code === code);
                    const name = totals.lines.find((l) => l.code === code)?.name ?? code;
                    if (item?.source === 'proposed') setAsking({ kind: 'remove', code, name });
                    else setDraft(removeItem(draft, code, ''));
                  },
                  onRestore: (code: string) => setDraft(restoreItem(draft, view.draft, code)),
                  onCount: (code: string, typed: string) => setDraft((d) => setCount(d, code, typed)),
                }
              : {})}
          />
          {editable && (
            <ItemSearch
              date={view.visit.visitDate}
              onPick={(hit) => {
                // 手術・麻酔 at a clinic window are rare: a slip in the search must not add one silently.
                const unusual = hit.kind === 'procedure' ? needsConfirmation(hit.section ?? '') : null;
                if (unusual && !window.confirm(confirmAddMessage(unusual, hit.name, hit.points ?? 0))) return;
                setDraft(
                  hit.kind === 'selfPay' ? addSelfPay(draft, hit.code) : addProcedure(draft, hit.code),
                );
              }}
            />
          )}
          {editable && (
            <SetPicker sets={settings.data?.sets ?? []} onPick={(set) => setDraft(addSet(draft, set))} />
          )}
          <section
            aria-label="自費"
            className="flex flex-col gap-2 rounded border border-slate-200 bg-white p-3"
          >
            <h2 className="font-bold">保険外（自費）</h2>
            {totals.selfPay.length === 0 && <p className="text-sm text-slate-500">なし</p>}
            <ul className="flex flex-col gap-1 text-sm">
              {totals.selfPay.map((s) => (
                <li
                  key={s.itemId}
                  className="flex items-center justify-between gap-3"
                  data-testid="self-pay-line"
                >
                  <span>
                    {s.name} × {s.count}
                    {s.taxYen > 0 && (
                      <span className="ml-2 text-xs text-slate-600">（内消費税 {yen(s.taxYen)}）</span>
                    )}
                  </span>
                  <span className="flex items-center gap-2">
                    <span className="font-mono">{yen(s.priceYen * s.count)}</span>
                    {editable && (
                      <button
                        type="button"
                        className={`${secondaryButtonClass} px-2 py-0.5 text-xs`}
                        aria-label={`${s.name}を削除`}
                        onClick={() => setDraft(removeSelfPay(draft, s.itemId))}
                      >
                        削除
                      </button>
                    )}
                  </span>
                </li>
              ))}
            </ul>
            {editable && priceList.length > 0 && (
              <div className="flex items-end gap-2">
                <label className="flex flex-col text-sm font-medium text-slate-700">
                  価格表から
                  <select
                    className={inputClass}
                    value={selfPayPick}
                    onChange={(e) => setSelfPayPick(e.target.value)}
                  >
                    <option value="">選択してください</option>
                    {priceList.map((i) => (
                      <option key={i.id} value={i.id}>
                        {i.name}（{yen(i.priceYen)}
                        {i.taxable ? '・税込' : ''}）
                      </option>
                    ))}
                  </select>
                </label>
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={!selfPayPick}
                  onClick={() => {
                    setDraft(addSelfPay(draft, selfPayPick));
                    setSelfPayPick('');
                  }}
                >
                  追加
                </button>
              </div>
            )}
          </section>
          {settled && <HistoryPanel view={view} />}
        </div>
        <div className="flex flex-col gap-4">
          {view.otherUnpaidYen > 0 && <OtherUnpaid patientId={p.id} onPaid={() => void reload()} />}
          <TotalsPanel totals={totals} month={view.month} stale={stale} monthAsShown={changed} />
          {!settled && (
            <PaymentForm
              dueYen={totals.chargeYen}
              action="会計済"
              pending={confirm.isPending || stale}
              onSubmit={submit}
            />
          )}
          {correcting !== null && (
            <>
              <p
                className={`rounded px-3 py-2 font-medium ${difference >= 0 ? 'bg-sky-50 text-sky-900' : 'bg-red-50 text-red-900'}`}
                data-testid="correction-difference"
              >
                入金済 {yen(view.paidYen)} → 訂正後の請求額 {yen(totals.chargeYen)}：
                {difference >= 0 ? `差額 ${yen(difference)} をお預かり` : `${yen(-difference)} を返金`}
              </p>
              <PaymentForm
                key={difference >= 0 ? 'pay' : 'refund'}
                dueYen={Math.abs(difference)}
                refund={difference < 0}
                action={difference < 0 ? '訂正を確定（返金）' : '訂正を確定'}
                pending={confirm.isPending || stale}
                onSubmit={submit}
              />
              <button
                type="button"
                className={secondaryButtonClass}
                onClick={() => {
                  setCorrecting(null);
                  setDraft(view.draft);
                }}
              >
                訂正をやめる
              </button>
            </>
          )}
          {settled && correcting === null && (
            <>
              {view.unpaidYen > 0 && view.bill && (
                <PaymentForm
                  dueYen={view.unpaidYen}
                  action="入金"
                  pending={pay.isPending}
                  onSubmit={(payment) => {
                    const billId = view.bill?.id;
                    if (payment && billId) pay.mutate({ billId, payment });
                  }}
                />
              )}
              <button
                type="button"
                className={secondaryButtonClass}
                onClick={() => setAsking({ kind: 'correct' })}
              >
                訂正
              </button>
            </>
          )}
          <button
            type="button"
            className="text-left text-xs text-slate-500 underline"
            onClick={() => void reload()}
          >
            最新の状態を読み込む
          </button>
        </div>
      </div>
      {asking?.kind === 'remove' && (
        <ReasonDialog
          title={`「${asking.name}」を削除`}
          label="削除の理由"
          action="削除する"
          onClose={() => setAsking(null)}
          onConfirm={(reason) => setDraft(removeItem(draft, asking.code, reason))}
        />
      )}
      {asking?.kind === 'visitKind' && (
        <ReasonDialog
          title={`${visitKinds[view.visitKindProposal.kind]}（提案）から${visitKinds[asking.to]}に変更`}
          label="変更の理由"
          action="変更する"
          onClose={() => setAsking(null)}
          onConfirm={(reason) => setDraft({ ...draft, visitKind: asking.to, visitKindReason: reason })}
        />
      )}
      {asking?.kind === 'correct' && (
        <ReasonDialog
          title="会計を訂正"
          label="訂正の理由"
          action="訂正を始める"
          onClose={() => setAsking(null)}
          onConfirm={(reason) => setCorrecting(reason)}
        />
      )}
    </section>
  );
}
