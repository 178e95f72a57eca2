import { type DocumentFields, documentContent } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { SubmissionState } from '../sharing/SubmissionState';
import { BundleView } from './BundleView';
import { DocumentForm } from './forms';
import { Sections } from './Sections';

/**
 * One document: the form (autosaved draft) beside the preview, with what must still be fixed in Japanese
 * next to each field; 確定 freezes it with its validated Bundle; print and the Bundle itself from here.
 */
export function DocumentPage({ me }: { me: Me }) {
  const { entryId = '' } = useParams();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const doc = useQuery(trpc.documents.get.queryOptions({ entryId }));
  const [fields, setFields] = useState<DocumentFields | null>(null);
  const [rev, setRev] = useState(0);
  const [reason, setReason] = useState('');
  const [conflict, setConflict] = useState<string | null>(null);
  const dirty = useRef(false);
  // Field errors show once the field was touched, or for every field once 確定 was tried: a new letter
  // does not open with everything red.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const touch = (paths: string[]) =>
    setTouched((t) => (paths.every((p) => t.has(p)) ? t : new Set([...t, ...paths])));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.documents.get.queryKey({ entryId }) });

  useEffect(() => {
    if (doc.data && !dirty.current) {
      setFields(doc.data.draft);
      setRev(doc.data.draftRev);
    }
  }, [doc.data]);

  const save = useMutation(
    trpc.documents.saveDraft.mutationOptions({
      onSuccess: (r) => {
        if (r.status === 'conflict') {
          setConflict(
            `${r.theirs.by ?? '他の利用者'}が別の端末で編集しました。画面を更新して内容を確認してください。`,
          );
          return;
        }
        dirty.current = false;
        setRev(r.draftRev);
        refresh();
      },
    }),
  );
  // The same contract as the API, checked as the user types: errors beside the field, and a draft that
  // does not pass is kept on screen (nothing lost) but not sent until it does.
  const local = fields ? documentContent.safeParse(fields) : null;
  const localErrors: Record<string, string> = {};
  for (const issue of local && !local.success ? local.error.issues : [])
    localErrors[issue.path.slice(1).join('.')] ??= issue.message;
  const valid = local?.success ?? false;
  // Autosave a moment after typing stops: nothing typed is lost, and the preview follows.
  useEffect(() => {
    if (!fields || !dirty.current || !doc.data || !valid) return;
    const encounterId = doc.data.encounterId;
    const t = setTimeout(() => save.mutate({ encounterId, entryId, baseRev: rev, content: fields }), 800);
    return () => clearTimeout(t);
  }, [fields, rev, doc.data, entryId, save.mutate, valid]);

  const finalise = useMutation(trpc.documents.finalise.mutationOptions({ onSuccess: refresh }));
  // Where the finalised document is on its way to the share service (live until 送信済).
  const shared = useQuery({
    ...trpc.sharing.patientSubmissions.queryOptions({ patientId: doc.data?.patientId ?? '' }),
    enabled: !!doc.data?.versions.length,
    refetchInterval: (q) =>
      q.state.data?.submissions.some((s) => s.entryId === entryId && s.state !== '送信済') ? 1500 : false,
  });
  const submission = shared.data?.submissions.find((s) => s.entryId === entryId);
  const correct = useMutation(
    trpc.chart.startCorrection.mutationOptions({
      onSuccess: () => {
        dirty.current = false;
        refresh();
      },
    }),
  );

  if (doc.isPending) return <p className="text-slate-500">読み込み中…</p>;
  if (doc.isError) return <Banner kind="error">{errorMessage(doc.error)}</Banner>;
  const d = doc.data;
  const canWrite = me.user.role !== 'admin';
  const last = d.versions.at(-1);
  const allErrors = {
    ...Object.fromEntries(d.view.problems.map((p) => [p.field, p.message])),
    ...localErrors,
  };
  const errors = attempted ? allErrors : shownErrors(allErrors, touched);
  const complete = valid && d.view.problems.length === 0;
  const editing = canWrite && fields !== null;
  return (
    <div className="flex flex-col gap-4">
      <div className="no-print flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-bold">{d.title}</h1>
        {d.patient && (
          <Link className="text-sky-800 underline" to={`/patients/${d.patientId}/chart`}>
            {d.patient.name}（{d.patient.patientNumber}）のカルテへ
          </Link>
        )}
        <span className="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="document-status">
          {last ? `確定 第${last.version}版` : '未確定'}
          {last && !last.approved && '・代行入力 未承認'}
          {fields && '・下書きあり'}
        </span>
        <span className="text-sm text-slate-600">確定者 {d.responsibleDoctor}</span>
        {last && (
          <span className="text-sm">
            共有サービス：
            {submission ? (
              <SubmissionState
                state={submission.state}
                sentAt={submission.sentAt}
                lastError={submission.lastError}
                attempts={submission.attempts}
              />
            ) : (
              <span className="rounded bg-slate-100 px-2 py-0.5" data-testid="submission-state">
                {shared.data?.consentWithdrawn
                  ? '未送信（同意撤回）'
                  : last.approved
                    ? '未送信'
                    : '未送信（承認待ち）'}
              </span>
            )}
          </span>
        )}
        <div className="ml-auto flex gap-2">
          {last && !fields && (
            <Link className={secondaryButtonClass} to={`/documents/${entryId}/print`}>
              印刷
            </Link>
          )}
          {canWrite && last && !fields && (
            <button
              type="button"
              className={secondaryButtonClass}
              onClick={() => correct.mutate({ entryId })}
            >
              修正
            </button>
          )}
        </div>
      </div>
      {conflict && <Banner kind="warn">{conflict}</Banner>}
      {save.isError && <Banner kind="error">{errorMessage(save.error)}</Banner>}
      {finalise.isError && <Banner kind="error">{errorMessage(finalise.error)}</Banner>}
      {correct.isError && <Banner kind="error">{errorMessage(correct.error)}</Banner>}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {editing && fields && (
          <section
            aria-label="入力"
            className="no-print flex flex-col gap-3"
            onBlur={(e) => {
              const id = e.target.id;
              if (id.startsWith('doc-')) touch([id.slice(4)]);
            }}
          >
            <DocumentForm
              d={fields}
              choices={d.choices}
              errors={errors}
              set={(f) => {
                touch(changedPaths(fields.fields, f.fields));
                dirty.current = true;
                setFields(f);
              }}
            />
            <p className="text-xs text-slate-500" aria-live="polite">
              {save.isPending
                ? '保存中…'
                : dirty.current
                  ? '未保存の変更があります'
                  : '下書きは自動で保存されます'}
            </p>
            {last && (
              <label className="flex flex-col text-sm">
                修正の理由（必須）
                <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
            )}
            <button
              type="button"
              className={buttonClass}
              disabled={finalise.isPending || save.isPending || (dirty.current && valid)}
              onClick={() => {
                setAttempted(true);
                if (complete && !dirty.current) finalise.mutate({ entryId, baseRev: rev, reason });
              }}
            >
              確定
            </button>
          </section>
        )}
        <section
          aria-label="プレビュー"
          className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4"
        >
          {fields && (d.view.problems.length > 0 || d.view.issues.length > 0) && (
            <div
              role="status"
              className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
            >
              <p className="font-medium">確定の前に直すところ</p>
              <ul className="list-disc pl-5" data-testid="document-problems">
                {d.view.problems.map((p) => (
                  <li key={p.field}>{p.message}</li>
                ))}
                {/* The validator's findings once the form itself is complete (before, they only echo it). */}
                {d.view.problems.length === 0 &&
                  d.view.issues.map((i) => (
                    <li key={`${i.path}-${i.message}`}>
                      {i.messageJa} <span className="font-mono text-xs">({i.path})</span>
                    </li>
                  ))}
              </ul>
            </div>
          )}
          {d.view.omitted.length > 0 && (
            <ul className="text-sm text-slate-700">
              {d.view.omitted.map((o) => (
                <li key={o.item}>
                  {o.item}: {o.reason}
                </li>
              ))}
            </ul>
          )}
          <Sections sections={d.view.sections} />
          {d.view.bundle ? <BundleView bundle={d.view.bundle} /> : null}
        </section>
      </div>
    </div>
  );
}

/** The fields that differ between two versions of a form, as error paths ('purpose', 'values.bmi'). */
function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(before) || !isRecord(after)) return before === after ? [] : [prefix];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((k) => changedPaths(before[k], after[k], prefix ? `${prefix}.${k}` : k));
}

/** Errors of touched fields only (a touched 'values.x' also shows the form's own 'values' error). */
function shownErrors(errors: Record<string, string>, touched: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).filter(([field]) =>
      [...touched].some((t) => t === field || t.startsWith(`${field}.`)),
    ),
  );
}
