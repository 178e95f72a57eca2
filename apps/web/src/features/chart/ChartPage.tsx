import {
  documentTypeLabels,
  type EntryContent,
  isDocument,
  isPrescription,
  isSoap,
  type SoapContent,
  soapLabels,
  todayInJapan,
  toWareki,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { Me, Outputs } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { changesSafetyData } from '../../lib/roles';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { NextAppointmentButton } from '../appointments/NextAppointmentButton';
import { DocumentSummary } from '../documents/DocumentSummary';
import { NewDocumentButton } from '../documents/NewDocumentButton';
import { PrescriptionEditor } from '../orders/PrescriptionEditor';
import { PrescriptionView } from '../orders/PrescriptionView';
import { PatientHeader } from '../reception/PatientHeader';
import { ChartVitalsPanel } from '../vitals/lazy';
import { AllergiesPanel } from './AllergiesPanel';
import type { CopyResult } from './DoLastVisit';
import { diffLines } from './diff';
import { DraftFlushContext, type Flush } from './draftFlush';
import { ProblemsPanel } from './ProblemsPanel';
import { SoapEditor } from './SoapEditor';
import { hasStoredNewDraft } from './useDraftAutosave';

// 再診を短く: loaded with the chart, not with the first page (the SPA's first load stays small).
export const preloadQuickVisit = () => Promise.all([import('./DoLastVisit'), import('./FinishVisitBar')]);
const DoLastVisitButton = lazy(() => import('./DoLastVisit').then((m) => ({ default: m.DoLastVisitButton })));
const DoReview = lazy(() => import('./DoLastVisit').then((m) => ({ default: m.DoReview })));
const FinishVisitBar = lazy(() => import('./FinishVisitBar').then((m) => ({ default: m.FinishVisitBar })));

type Chart = Outputs['chart']['chart'];
type Entry = Chart['encounters'][number]['entries'][number];

function SoapView({ c }: { c: SoapContent }) {
  const part = (k: keyof SoapContent) =>
    c[k] ? (
      <div>
        <span className="text-xs font-medium text-slate-500">{soapLabels[k]}</span>
        <p className="whitespace-pre-wrap">{c[k]}</p>
      </div>
    ) : null;
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
      <div className="flex flex-col gap-2 border-slate-200 md:border-r md:pr-4">
        {part('s')}
        {part('o')}
      </div>
      <div className="flex flex-col gap-2">
        {part('a')}
        {part('p')}
      </div>
    </div>
  );
}

/** An entry's content by its kind: SOAP or a prescription. */
export function ContentView({ c, entryId }: { c: EntryContent; entryId?: string }) {
  if (isPrescription(c)) return <PrescriptionView c={c} />;
  if (isDocument(c)) return <DocumentSummary c={c} entryId={entryId} />;
  return <SoapView c={c} />;
}

function VersionHistory({ entry }: { entry: Entry }) {
  return (
    <ol className="mt-2 flex flex-col gap-3 border-l-2 border-slate-200 pl-3 text-sm" aria-label="版の履歴">
      {entry.versions.map((v, i) => {
        const prior = entry.versions[i - 1]?.content;
        const before = prior && isSoap(prior) ? prior : null;
        const now = v.content;
        return (
          <li key={v.version}>
            <p className="font-medium">
              第{v.version}版 {new Date(v.createdAt).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })} 入力{' '}
              {v.enteredBy}・確定者 {v.responsibleDoctor}
              {v.reason && `・理由: ${v.reason}`}
            </p>
            {before && isSoap(now) ? (
              (Object.keys(soapLabels) as (keyof SoapContent)[]).map((k) =>
                before[k] === now[k] ? null : (
                  <div key={k} className="mt-1">
                    <span className="text-xs text-slate-500">{soapLabels[k]}</span>
                    {diffLines(before[k], now[k]).map((d, n) => (
                      <div
                        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a diff have no identity
                        key={n}
                        className={
                          d.kind === 'added'
                            ? 'bg-emerald-50 text-emerald-900'
                            : d.kind === 'removed'
                              ? 'bg-red-50 text-red-900 line-through'
                              : 'text-slate-600'
                        }
                      >
                        {d.kind === 'added' ? '+ ' : d.kind === 'removed' ? '− ' : '  '}
                        {d.text}
                      </div>
                    ))}
                  </div>
                ),
              )
            ) : (
              <ContentView c={v.content} />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function EntryCard(props: { entry: Entry; onCorrect: () => void; canWrite: boolean }) {
  const { entry } = props;
  const [history, setHistory] = useState(false);
  if (!entry.current) return null;
  return (
    <article className="rounded border border-slate-200 bg-white p-3" data-testid="entry">
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <span className="rounded bg-slate-100 px-2 py-0.5">第{entry.current.version}版</span>
        {entry.current.proxy && (
          <span
            className={`rounded px-2 py-0.5 ${entry.current.approved ? 'bg-emerald-50 text-emerald-800' : 'bg-amber-100 text-amber-900'}`}
          >
            代行入力（{entry.current.enteredBy}）{entry.current.approved ? '・承認済' : '・未承認'}
          </span>
        )}
        <span className="text-slate-500">確定者 {entry.responsibleDoctor}</span>
        <div className="no-print ml-auto flex gap-2">
          {entry.kind === 'prescription' && (
            <Link className="text-sky-800 underline" to={`/prescriptions/${entry.id}/print`}>
              処方箋を印刷
            </Link>
          )}
          {entry.versions.length > 1 && (
            <button type="button" className="text-sky-800 underline" onClick={() => setHistory((h) => !h)}>
              版の履歴（{entry.versions.length}）
            </button>
          )}
          {props.canWrite && !entry.draft && entry.kind !== 'document' && (
            <button type="button" className={secondaryButtonClass} onClick={props.onCorrect}>
              修正
            </button>
          )}
        </div>
      </div>
      <ContentView c={entry.current.content} entryId={entry.id} />
      {history && <VersionHistory entry={entry} />}
    </article>
  );
}

export function ChartPage({ me }: { me: Me }) {
  const { id: patientId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const patient = useQuery(trpc.reception.getPatient.queryOptions({ id: patientId }));
  const chart = useQuery(trpc.chart.chart.queryOptions({ patientId }));
  const insurance = useQuery(trpc.reception.insurance.queryOptions({ patientId }));
  const [writingIn, setWritingIn] = useState<string | null>(null);
  const [prescribingIn, setPrescribingIn] = useState<string | null>(null);
  // Print: one encounter or a date range (the timeline shows only what is in the range).
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const printOnly = (date: string) => {
    setFrom(date);
    setTo(date);
    setTimeout(() => window.print(), 50);
  };
  // Do: a past encounter's notes as the start of today's.
  const [doContent, setDoContent] = useState<SoapContent | undefined>(undefined);
  // A new entry's editor stays the same editor once its first autosave makes it a draft (no remount).
  const [adopted, setAdopted] = useState<Record<string, string>>({});
  const adopt = (entryId: string, key: string) => setAdopted((a) => ({ ...a, [entryId]: key }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) });
  const copyForward = (enc: Chart['encounters'][number], todayId: string | null) => {
    const parts = enc.entries.flatMap((e) =>
      e.current && isSoap(e.current.content) ? [e.current.content] : [],
    );
    const join = (k: keyof SoapContent) =>
      parts
        .map((p) => p[k])
        .filter(Boolean)
        .join('\n');
    setDoContent({ s: join('s'), o: join('o'), a: join('a'), p: join('p') });
    if (todayId) setWritingIn(todayId);
    else open.mutate({ patientId, visitId: insurance.data?.todayVisit?.id ?? null });
  };
  const open = useMutation(
    trpc.chart.openEncounter.mutationOptions({
      onSuccess: (e) => {
        setWritingIn(e.id);
        refresh();
      },
    }),
  );
  const correct = useMutation(trpc.chart.startCorrection.mutationOptions({ onSuccess: refresh }));
  const canWrite = me.user.role !== 'admin';
  // 再診を短く: the open editors (saved before 前回Do / 確定 together), a generation that remounts today's
  // editors on the drafts 前回Do wrote, what it copied, and the cursor in S when the board opened the chart.
  const editors = useMemo(() => new Set<{ current: Flush }>(), []);
  const [generation, setGeneration] = useState(0);
  const [doResult, setDoResult] = useState<CopyResult | null>(null);
  const location = useLocation();
  // The 前回Do and finishing pieces are fetched as the chart opens (the board fetches them already for doctors).
  useEffect(() => {
    if (canWrite) void preloadQuickVisit();
  }, [canWrite]);
  const focusSoap = (location.state as { focusSoap?: boolean } | null)?.focusSoap === true || generation > 0;
  if (patient.isPending || chart.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (patient.isError) return <Banner kind="error">{errorMessage(patient.error)}</Banner>;
  if (chart.isError) return <Banner kind="error">{errorMessage(chart.error)}</Banner>;
  const today = todayInJapan();
  const todays = chart.data.encounters.find((e) => e.date === today);
  const todayVisitId = insurance.data?.todayVisit?.id ?? null;
  // Today's encounter of today's visit, if there is one (else the newest of today).
  const finishing =
    chart.data.encounters.find((e) => e.date === today && e.visitId === todayVisitId) ?? todays;
  return (
    <DraftFlushContext.Provider value={editors}>
      <div className="flex flex-col gap-4">
        <PatientHeader patient={patient.data} />
        <div className="no-print flex items-center gap-2">
          <h1 className="text-xl font-bold">カルテ（2号用紙）</h1>
          <Link className="text-sky-800 underline" to={`/patients/${patientId}/labs`}>
            検査結果
          </Link>
          <Link className="text-sky-800 underline" to={`/patients/${patientId}/sharing`}>
            共有データ
          </Link>
          {canWrite && !todays && (
            <button
              type="button"
              className={`${buttonClass} ml-auto`}
              disabled={open.isPending}
              onClick={() => open.mutate({ patientId, visitId: insurance.data?.todayVisit?.id ?? null })}
            >
              本日の診療を開始
            </button>
          )}
          {canWrite && (
            <Suspense fallback={null}>
              <DoLastVisitButton
                encounterId={finishing?.id ?? null}
                openToday={async () => (await open.mutateAsync({ patientId, visitId: todayVisitId })).id}
                doctorId={
                  me.user.role === 'doctor'
                    ? null
                    : (finishing?.doctorId ?? chart.data.doctors[0]?.id ?? null)
                }
                onCopied={async (r) => {
                  await queryClient.refetchQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) });
                  setGeneration((g) => g + 1);
                  setDoResult(r);
                }}
              />
            </Suspense>
          )}
          <button
            type="button"
            className={`${secondaryButtonClass} ${todays || !canWrite ? 'ml-auto' : ''}`}
            onClick={() => window.print()}
          >
            印刷
          </button>
        </div>
        {doResult && (
          <Suspense fallback={null}>
            <DoReview key={generation} result={doResult} onClose={() => setDoResult(null)} />
          </Suspense>
        )}
        <div className="no-print flex items-center gap-2 text-sm">
          <span className="text-slate-600">表示・印刷する期間</span>
          <input
            type="date"
            aria-label="期間の開始"
            className={inputClass}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          〜
          <input
            type="date"
            aria-label="期間の終了"
            className={inputClass}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
          {(from || to) && (
            <button
              type="button"
              className="text-sky-800 underline"
              onClick={() => {
                setFrom('');
                setTo('');
              }}
            >
              すべて表示
            </button>
          )}
        </div>
        {open.isError && <Banner kind="error">{errorMessage(open.error)}</Banner>}
        {correct.isError && <Banner kind="error">{errorMessage(correct.error)}</Banner>}
        {chart.data.encounters.length === 0 && <Banner kind="info">まだ記載はありません。</Banner>}
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-[1fr_22rem]">
          <div className="flex flex-col gap-4">
            <ol className="flex flex-col gap-4" aria-label="診療の経過">
              {chart.data.encounters
                .filter((enc) => (!from || enc.date >= from) && (!to || enc.date <= to))
                .map((enc) => {
                  const drafts = enc.entries.filter((e) => e.draft && e.kind === 'soap');
                  const rxDrafts = enc.entries.filter((e) => e.draft && e.kind === 'prescription');
                  const docDrafts = enc.entries.filter((e) => e.draft && e.kind === 'document');
                  const confirmed = enc.entries.filter((e) => e.current);
                  // Only today's encounter takes new writing; earlier days are read (and corrected) only.
                  const writableDay = canWrite && enc.date === today;
                  const scope = { facilityId: me.facility.id, userId: me.user.id, encounterId: enc.id };
                  // Unsaved text this tab kept (the session ended, the page was left) reopens its editor.
                  const writingNew =
                    writableDay &&
                    (writingIn === enc.id ||
                      (drafts.length === 0 && confirmed.length === 0) ||
                      hasStoredNewDraft({ ...scope, kind: 'soap' }));
                  const newSoapKey = `soap-new-${enc.id}-${doContent ? JSON.stringify(doContent) : ''}`;
                  const newRxKey = `rx-new-${enc.id}`;
                  const prescribingNew =
                    writableDay &&
                    (prescribingIn === enc.id || hasStoredNewDraft({ ...scope, kind: 'rx' })) &&
                    !rxDrafts.some((e) => adopted[e.id] === newRxKey);
                  return (
                    <li key={enc.id} className="flex flex-col gap-2" data-testid={`encounter-${enc.date}`}>
                      <h2 className="flex items-center border-b border-slate-300 pb-1 font-bold">
                        {toWareki(enc.date)}
                        {enc.doctor && (
                          <span className="ml-2 text-sm font-normal text-slate-600">担当 {enc.doctor}</span>
                        )}
                        <button
                          type="button"
                          className="no-print ml-auto text-sm font-normal text-sky-800 underline"
                          onClick={() => printOnly(enc.date)}
                        >
                          この日を印刷
                        </button>
                        {canWrite && enc.date !== today && confirmed.length > 0 && (
                          <button
                            type="button"
                            className={`${secondaryButtonClass} no-print ml-2 px-2 py-0.5 text-sm`}
                            title="この日の記載を本日の下書きに写す"
                            onClick={() => copyForward(enc, todays?.id ?? null)}
                          >
                            Do
                          </button>
                        )}
                      </h2>
                      {confirmed.map((e) => (
                        <EntryCard
                          key={`${e.id}-${e.currentVersion}`}
                          entry={e}
                          canWrite={canWrite}
                          onCorrect={() => correct.mutate({ entryId: e.id })}
                        />
                      ))}
                      {/* One list per kind, keyed by editor (not by revision): an editor is never remounted
                        under the user's hands when the chart refreshes. */}
                      {canWrite && [
                        ...rxDrafts.map((e) =>
                          e.draft && isPrescription(e.draft) ? (
                            <PrescriptionEditor
                              key={`${adopted[e.id] ?? `rx-${e.id}`}#${generation}`}
                              me={me}
                              patientId={patientId}
                              encounterId={enc.id}
                              entry={{ ...e, draft: e.draft }}
                              doctors={chart.data.doctors}
                              onClose={() => {
                                if (adopted[e.id] === newRxKey) setPrescribingIn(null);
                                refresh();
                              }}
                            />
                          ) : null,
                        ),
                        prescribingNew ? (
                          <PrescriptionEditor
                            key={`${newRxKey}#${generation}`}
                            me={me}
                            patientId={patientId}
                            encounterId={enc.id}
                            entry={null}
                            doctors={chart.data.doctors}
                            onCreated={(id) => {
                              // Held open until the chart lists the draft, which then keeps this editor.
                              adopt(id, newRxKey);
                              setPrescribingIn(enc.id);
                              refresh();
                            }}
                            onClose={() => {
                              setPrescribingIn(null);
                              refresh();
                            }}
                          />
                        ) : null,
                      ]}
                      {canWrite && [
                        ...drafts.map((e) => (
                          <SoapEditor
                            key={`${adopted[e.id] ?? `soap-${e.id}`}#${generation}`}
                            me={me}
                            patientId={patientId}
                            encounterId={enc.id}
                            entry={{ ...e, draft: e.draft && isSoap(e.draft) ? e.draft : null }}
                            doctors={chart.data.doctors}
                            autoFocus={focusSoap && enc.id === finishing?.id && e.currentVersion === 0}
                          />
                        )),
                        ...(writingNew && drafts.length === 0
                          ? [
                              <SoapEditor
                                key={`${newSoapKey}#${generation}`}
                                autoFocus={focusSoap && enc.id === finishing?.id}
                                me={me}
                                patientId={patientId}
                                encounterId={enc.id}
                                entry={null}
                                doctors={chart.data.doctors}
                                initial={doContent}
                                onCreated={(id) => {
                                  adopt(id, newSoapKey);
                                  setWritingIn(enc.id);
                                  refresh();
                                }}
                                onClose={() => {
                                  setWritingIn(null);
                                  setDoContent(undefined);
                                }}
                              />,
                            ]
                          : []),
                      ]}
                      {docDrafts.map((e) => (
                        <p key={e.id} className="no-print text-sm" data-testid="document-draft">
                          作成中の文書
                          {e.draft && isDocument(e.draft) && `：${documentTypeLabels[e.draft.type]}`}{' '}
                          <Link className="text-sky-800 underline" to={`/documents/${e.id}`}>
                            続きを書く
                          </Link>
                        </p>
                      ))}
                      <div className="no-print flex gap-2">
                        {writableDay && !writingNew && drafts.length === 0 && (
                          <button
                            type="button"
                            className={secondaryButtonClass}
                            onClick={() => setWritingIn(enc.id)}
                          >
                            記載を追加
                          </button>
                        )}
                        {writableDay && !prescribingNew && rxDrafts.length === 0 && (
                          <button
                            type="button"
                            className={secondaryButtonClass}
                            onClick={() => setPrescribingIn(enc.id)}
                          >
                            処方を追加
                          </button>
                        )}
                        {writableDay && (
                          <NewDocumentButton
                            encounterId={enc.id}
                            doctors={me.user.role === 'doctor' ? null : chart.data.doctors}
                            defaultDoctorId={enc.doctorId}
                          />
                        )}
                        {writableDay && (
                          <NextAppointmentButton patientId={patientId} doctorId={enc.doctorId ?? undefined} />
                        )}
                      </div>
                    </li>
                  );
                })}
            </ol>
          </div>
          <aside className="flex flex-col gap-4">
            <ProblemsPanel patientId={patientId} canWrite={canWrite} />
            {/* Allergies, 薬剤禁忌 and infections feed the safety checks: doctors and nurses only. */}
            <AllergiesPanel patientId={patientId} canWrite={changesSafetyData(me.user.role)} />
            <ChartVitalsPanel
              me={me}
              patientId={patientId}
              visitId={insurance.data?.todayVisit?.id ?? null}
            />
          </aside>
        </div>
        {canWrite && finishing && (
          <Suspense fallback={null}>
            <FinishVisitBar
              me={me}
              patientId={patientId}
              encounterId={finishing.id}
              visitId={finishing.visitId}
              onFinished={() => {
                // Today's drafts are confirmed: no editor stays open on them.
                setWritingIn(null);
                setPrescribingIn(null);
                setDoContent(undefined);
                setAdopted({});
                setDoResult(null);
              }}
            />
          </Suspense>
        )}
      </div>
    </DraftFlushContext.Provider>
  );
}
