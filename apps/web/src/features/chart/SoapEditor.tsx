import { emptySoap, isSoap, type SoapContent, soapLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { SoapImportButtons } from '../vitals/lazy';
import { useRegisterFlush } from './draftFlush';
import { type SaveResult, useDraftAutosave, useKeptDraft } from './useDraftAutosave';

interface Props {
  me: Me;
  patientId: string;
  encounterId: string;
  /** An existing entry being written or corrected; null for a new one. */
  entry: {
    id: string;
    draft: SoapContent | null;
    draftRev: number;
    currentVersion: number;
    responsibleDoctorId: string;
  } | null;
  doctors: { id: string; name: string }[];
  /** Starting text for a new entry (Do: copied from a past encounter). */
  initial?: SoapContent;
  onClose?: () => void;
  /** A new entry got its id on the first save (the chart keeps this editor for it). */
  onCreated?: (entryId: string) => void;
  /** The cursor starts in S (the board's one key opened this chart to write). */
  autoFocus?: boolean;
}

const isSoapValue = (c: unknown): c is SoapContent =>
  typeof c === 'object' &&
  c !== null &&
  (['s', 'o', 'a', 'p'] as const).every((k) => typeof (c as Record<string, unknown>)[k] === 'string');

/** The 2号用紙: S/O left, A/P right; autosaves, and never overwrites someone else's text. */
export function SoapEditor({
  me,
  patientId,
  encounterId,
  entry,
  doctors,
  initial,
  onClose,
  onCreated,
  autoFocus,
}: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const scope = useMemo(
    () => ({ facilityId: me.facility.id, userId: me.user.id, encounterId, kind: 'soap' as const }),
    [me.facility.id, me.user.id, encounterId],
  );
  // Text this tab kept when the editor went away unsaved (session ended, page left) comes back.
  const stored = useKeptDraft(scope, entry?.id ?? null, entry?.draft, isSoapValue);
  const [content, setContent] = useState<SoapContent>(
    stored?.content ?? entry?.draft ?? initial ?? emptySoap,
  );
  const templates = useQuery(trpc.chart.templates.queryOptions());
  const [templateName, setTemplateName] = useState('');
  const [shared, setShared] = useState(false);
  const saveTemplate = useMutation(
    trpc.chart.saveTemplate.mutationOptions({
      onSuccess: () => {
        setTemplateName('');
        queryClient.invalidateQueries({ queryKey: trpc.chart.templates.queryKey() });
      },
    }),
  );
  // The menu lists names only; a セット's text is read when it is inserted.
  const insertTemplate = async (id: string) => {
    if (!id) return;
    // A セット deleted meanwhile is simply gone from the refreshed menu.
    const t = await queryClient.fetchQuery(trpc.chart.template.queryOptions({ id })).catch(() => null);
    if (!t) {
      void queryClient.invalidateQueries({ queryKey: trpc.chart.templates.queryKey() });
      return;
    }
    setContent((c) => {
      const join = (a: string, b: string) => [a, b].filter(Boolean).join('\n');
      return {
        s: join(c.s, t.content.s),
        o: join(c.o, t.content.o),
        a: join(c.a, t.content.a),
        p: join(c.p, t.content.p),
      };
    });
    draft.markDirty();
  };
  const [doctorId, setDoctorId] = useState<string>(
    me.user.role === 'doctor' ? me.user.id : (doctors[0]?.id ?? ''),
  );
  const [reason, setReason] = useState('');
  const [conflict, setConflict] = useState<{
    content: SoapContent | null;
    rev: number;
    by: string | null;
  } | null>(null);
  const correcting = (entry?.currentVersion ?? 0) > 0;
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) });

  const announced = useRef<string | null>(null);
  const save = useMutation(trpc.chart.saveDraft.mutationOptions());
  const draft = useDraftAutosave<SoapContent>({
    scope,
    initialEntryId: entry?.id ?? null,
    initialRev: stored?.baseRev ?? entry?.draftRev ?? 0,
    initiallyDirty: !!stored || (!entry && !!initial),
    content,
    paused: !!conflict,
    save: async (c, id, baseRev): Promise<SaveResult> => {
      const r = await save.mutateAsync({
        encounterId,
        entryId: id,
        baseRev,
        content: c,
        doctorId: me.user.role === 'doctor' ? null : doctorId || null,
      });
      if (r.status === 'conflict') {
        const theirs = r.theirs.content && isSoap(r.theirs.content) ? r.theirs.content : null;
        // The same text already saved (e.g. by this editor just before a reload): nothing to decide.
        if (JSON.stringify(theirs) === JSON.stringify(c)) {
          draft.setRev(r.theirs.draftRev);
          draft.markClean();
          return { status: 'conflict' };
        }
        setConflict({ content: theirs, rev: r.theirs.draftRev, by: r.theirs.by });
        return { status: 'conflict' };
      }
      // A new editor's entry (created now, or by its predecessor that was left): the chart keeps this editor for it.
      if (!entry && announced.current !== r.entryId) {
        announced.current = r.entryId;
        onCreated?.(r.entryId);
      }
      return { status: 'saved', entryId: r.entryId, rev: r.draftRev };
    },
    onFlushed: () => queryClient.invalidateQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) }),
  });
  const { entryId, rev, dirty, savedAt } = draft;
  useRegisterFlush(dirty || draft.saving, draft.flush);
  const confirm = useMutation(
    trpc.chart.confirm.mutationOptions({
      onSuccess: () => {
        draft.settled();
        refresh();
        onClose?.();
      },
    }),
  );
  const edit = (key: keyof SoapContent, value: string) => {
    setContent((c) => ({ ...c, [key]: value }));
    draft.markDirty();
  };
  const resolve = (choice: 'mine' | 'theirs' | 'both') => {
    if (!conflict) return;
    const theirs = conflict.content ?? emptySoap;
    const next =
      choice === 'theirs'
        ? theirs
        : choice === 'mine'
          ? content
          : (Object.fromEntries(
              (Object.keys(content) as (keyof SoapContent)[]).map((k) => [
                k,
                theirs[k] === content[k] ? content[k] : [theirs[k], content[k]].filter(Boolean).join('\n'),
              ]),
            ) as unknown as SoapContent);
    setContent(next);
    draft.setRev(conflict.rev);
    setConflict(null);
    draft.markDirty();
  };
  const area = (key: keyof SoapContent) => (
    <label className="flex flex-col gap-1">
      <span className="text-sm font-medium text-slate-700">{soapLabels[key]}</span>
      <textarea
        aria-label={soapLabels[key]}
        className={`${inputClass} min-h-28 font-[inherit]`}
        value={content[key]}
        autoFocus={autoFocus && key === 's'}
        onChange={(e) => edit(key, e.target.value)}
      />
    </label>
  );
  const status = draft.saving
    ? '保存中…'
    : dirty
      ? '未保存の変更があります'
      : savedAt
        ? `下書き保存済み ${savedAt.toLocaleTimeString('ja-JP')}`
        : entryId
          ? '下書き'
          : '';
  return (
    <div
      className="flex flex-col gap-3 rounded border-2 border-sky-300 bg-white p-4"
      data-testid="soap-editor"
    >
      {stored && (
        <Banner kind="info">
          保存されていなかった入力を復元しました。内容を確認してください（自動で保存されます）。
        </Banner>
      )}
      {me.user.role !== 'doctor' && entryId && (
        <p className="text-sm text-amber-900">
          代行入力 — 責任者の医師: {doctors.find((d) => d.id === doctorId)?.name ?? '（記載の責任者）'}
        </p>
      )}
      {me.user.role !== 'doctor' && !entryId && (
        <label className="flex items-center gap-2 text-sm">
          代行入力 — 責任者の医師:
          <select
            aria-label="責任者の医師"
            className={inputClass}
            value={doctorId}
            onChange={(e) => setDoctorId(e.target.value)}
          >
            {doctors.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {conflict && (
        <Banner kind="warn">
          <p className="font-medium">
            {conflict.by ?? '他の利用者'}
            さんが同じ下書きを先に保存しました。どちらの内容にするか選んでください。
          </p>
          <div className="my-2 grid grid-cols-2 gap-2 text-sm">
            <div>
              <p className="font-medium">相手の内容</p>
              <pre className="whitespace-pre-wrap rounded bg-white p-2" data-testid="conflict-theirs">
                {(Object.keys(soapLabels) as (keyof SoapContent)[])
                  .map((k) => `${soapLabels[k]}: ${conflict.content?.[k] ?? ''}`)
                  .join('\n')}
              </pre>
            </div>
            <div>
              <p className="font-medium">自分の内容</p>
              <pre className="whitespace-pre-wrap rounded bg-white p-2">
                {(Object.keys(soapLabels) as (keyof SoapContent)[])
                  .map((k) => `${soapLabels[k]}: ${content[k]}`)
                  .join('\n')}
              </pre>
            </div>
          </div>
          <div className="flex gap-2">
            <button type="button" className={secondaryButtonClass} onClick={() => resolve('theirs')}>
              相手の内容にする
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => resolve('mine')}>
              自分の内容にする
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => resolve('both')}>
              両方をつなげて編集
            </button>
          </div>
        </Banner>
      )}
      {!correcting && (
        <SoapImportButtons
          encounterId={encounterId}
          s={content.s}
          o={content.o}
          onImport={(k, text) => edit(k, [content[k], text].filter(Boolean).join('\n'))}
        />
      )}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <div className="flex flex-col gap-3 border-slate-200 md:border-r md:pr-4">
          {area('s')}
          {area('o')}
        </div>
        <div className="flex flex-col gap-3">
          {area('a')}
          {area('p')}
        </div>
      </div>
      <div className="no-print flex flex-wrap items-center gap-2 text-sm">
        <select
          aria-label="セット挿入"
          className={inputClass}
          value=""
          onChange={(e) => void insertTemplate(e.target.value)}
        >
          <option value="">セット挿入…</option>
          {templates.data?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.shared ? '［施設］' : '［個人］'}
              {t.name}
            </option>
          ))}
        </select>
        <input
          aria-label="セット名"
          placeholder="この内容をセットに保存"
          className={inputClass}
          value={templateName}
          onChange={(e) => setTemplateName(e.target.value)}
        />
        {(me.user.role === 'doctor' || me.user.role === 'admin') && (
          <label className="flex items-center gap-1">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            施設共通
          </label>
        )}
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={!templateName.trim() || saveTemplate.isPending}
          onClick={() => saveTemplate.mutate({ name: templateName, content, shared })}
        >
          セットに保存
        </button>
      </div>
      {correcting && (
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium text-slate-700">修正の理由</span>
          <input
            aria-label="修正の理由"
            className={inputClass}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      )}
      {save.isError && <Banner kind="error">{errorMessage(save.error)}</Banner>}
      {confirm.isError && <Banner kind="error">{errorMessage(confirm.error)}</Banner>}
      <div className="flex items-center gap-3">
        <button
          type="button"
          className={buttonClass}
          disabled={!entryId || dirty || draft.saving || confirm.isPending || !!conflict}
          onClick={() => entryId && confirm.mutate({ entryId, baseRev: rev, reason })}
        >
          確定
        </button>
        {onClose && (
          <button type="button" className={secondaryButtonClass} onClick={onClose}>
            閉じる（下書きは残ります）
          </button>
        )}
        <span className="text-sm text-slate-500" role="status">
          {status}
        </span>
      </div>
    </div>
  );
}
