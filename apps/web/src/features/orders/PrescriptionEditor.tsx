import {
  doseUnits,
  emptyRp,
  type Finding,
  FREE_TEXT_USAGE,
  findingLabels,
  isDoseUnit,
  type PrescriptionContent,
  prescriptionFields,
  type Rp,
  rp as rpContract,
  usageKindLabels,
} from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import type { Me } from '../../App';
import { Banner, buttonClass, inputClass, secondaryButtonClass } from '../../components/Field';
import { errorMessage, fieldErrors, useTRPC } from '../../lib/trpc';
import { useRegisterFlush } from '../chart/draftFlush';
import { type SaveResult, useDraftAutosave, useKeptDraft } from '../chart/useDraftAutosave';
import { DrugSearch } from './DrugSearch';
import { DrugSheetFlags, fieldError, PrescriptionSheetOptions } from './PrescriptionSheetOptions';
import { UsageSelect } from './UsageSelect';

interface Props {
  me: Me;
  patientId: string;
  encounterId: string;
  entry: { id: string; draft: PrescriptionContent; draftRev: number; currentVersion: number } | null;
  doctors: { id: string; name: string }[];
  onClose: () => void;
  /** A new prescription got its id on the first save (the chart keeps this editor for it). */
  onCreated?: (entryId: string) => void;
}

// A tab copy is only a starting point: the server checks everything again on save.
const looksLikePrescription = (c: unknown): c is PrescriptionContent =>
  typeof c === 'object' &&
  c !== null &&
  Array.isArray((c as { rps?: unknown }).rps) &&
  Array.isArray((c as { overrides?: unknown }).overrides);
const canAutosave = (c: PrescriptionContent) => prescriptionFields.safeParse(c).success;

/** 処方入力: RPs (drugs sharing one 用法), checks shown as they change, 確定 with reasons for what is overridden. */
export function PrescriptionEditor({
  me,
  patientId,
  encounterId,
  entry,
  doctors,
  onClose,
  onCreated,
}: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const scope = useMemo(
    () => ({ facilityId: me.facility.id, userId: me.user.id, encounterId, kind: 'rx' as const }),
    [me.facility.id, me.user.id, encounterId],
  );
  // What this tab kept unsaved (incomplete, or the session ended) comes back when the editor opens.
  const stored = useKeptDraft(scope, entry?.id ?? null, entry?.draft, looksLikePrescription);
  const [content, setContentState] = useState<PrescriptionContent>(
    stored?.content ?? entry?.draft ?? { place: 'outside', rps: [emptyRp()], overrides: [] },
  );
  const [doctorId, setDoctorIdState] = useState(
    me.user.role === 'doctor' ? me.user.id : (doctors[0]?.id ?? ''),
  );
  const [reasons, setReasonsState] = useState<Record<string, string>>(
    Object.fromEntries((stored?.content ?? entry?.draft)?.overrides.map((o) => [o.key, o.reason]) ?? []),
  );
  const [correctionReason, setCorrectionReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const correcting = (entry?.currentVersion ?? 0) > 0;

  // The checks run on the RPs that are complete enough to check.
  const checkable = content.rps.filter((r) => rpContract.safeParse(r).success);
  const checks = useQuery({
    ...trpc.orders.check.queryOptions({ patientId, entryId: entry?.id ?? null, rps: checkable }),
    enabled: checkable.length > 0,
    placeholderData: (prev) => prev,
  });
  const findings: Finding[] = checkable.length > 0 ? (checks.data ?? []) : [];

  const last = useQuery({ ...trpc.orders.lastPrescription.queryOptions({ patientId }), enabled: false });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.chart.chart.queryKey({ patientId }) });
  const announced = useRef<string | null>(null);
  const save = useMutation(trpc.orders.saveDraft.mutationOptions());
  const confirm = useMutation(trpc.orders.confirm.mutationOptions());

  const overrides = () =>
    findings
      .filter((f) => reasons[f.key]?.trim())
      .map((f) => ({ key: f.key, reason: reasons[f.key]?.trim() ?? '' }));
  const withOverrides = { ...content, overrides: overrides() };
  const draft = useDraftAutosave<PrescriptionContent>({
    scope,
    initialEntryId: entry?.id ?? null,
    initialRev: stored?.baseRev ?? entry?.draftRev ?? 0,
    initiallyDirty: !!stored,
    content: withOverrides,
    paused: false,
    canSave: canAutosave,
    save: async (c, id, baseRev): Promise<SaveResult> => {
      const r = await save.mutateAsync({
        encounterId,
        entryId: id,
        baseRev,
        content: c,
        doctorId: me.user.role === 'doctor' ? null : doctorId || null,
      });
      if (r.status === 'conflict') {
        if (JSON.stringify(r.theirs.content) === JSON.stringify(c)) {
          draft.setRev(r.theirs.draftRev);
          draft.markClean();
        } else {
          setMessage(`他の端末（${r.theirs.by ?? '不明'}）で変更されました。画面を更新して確認してください`);
        }
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
  const { entryId } = draft;
  // 前回Do and 確定 together first send what this editor has pending.
  useRegisterFlush(draft.dirty || draft.saving, draft.flush);
  // Every change marks the draft unsaved (autosaved once complete enough for the server).
  const setContent: typeof setContentState = (v) => {
    setContentState(v);
    draft.markDirty();
  };
  const setDoctorId = (v: string) => {
    setDoctorIdState(v);
    draft.markDirty();
  };
  const setReasons: typeof setReasonsState = (v) => {
    setReasonsState(v);
    draft.markDirty();
  };

  const setRp = (i: number, patch: Partial<Rp>) =>
    setContent((c) => ({ ...c, rps: c.rps.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const setDrug = (i: number, k: number, patch: Partial<Rp['drugs'][number]>) =>
    setRp(i, { drugs: content.rps[i]?.drugs.map((d, j) => (j === k ? { ...d, ...patch } : d)) ?? [] });

  /** Validates with the shared contract; errors keyed like the server's ('content.rps.0.days'). */
  const validate = (c: PrescriptionContent) => {
    const parsed = prescriptionFields.safeParse(c);
    if (parsed.success) return true;
    const next: Record<string, string> = {};
    for (const issue of parsed.error.issues) next[`content.${issue.path.join('.')}`] ??= issue.message;
    setErrors(next);
    return false;
  };

  const saveDraft = async () => {
    setMessage(null);
    if (!validate(withOverrides)) return null;
    setErrors({});
    const r = await draft.flush();
    if (r.status === 'failed' && save.error) {
      setErrors(fieldErrors(save.error));
      setMessage(errorMessage(save.error));
    }
    return r.status === 'saved' ? { status: 'saved' as const, entryId: r.entryId, draftRev: r.rev } : null;
  };

  /** 閉じる: what can be saved is saved; an incomplete prescription is thrown away only if the user says so. */
  const close = async () => {
    if (draft.dirty || draft.saving) {
      if (canAutosave(withOverrides)) {
        const r = await draft.flush();
        if (r.status !== 'saved') return;
      } else if (
        !window.confirm('入力途中の処方は保存されていません（必須項目が未入力です）。破棄して閉じますか？')
      ) {
        return;
      } else {
        draft.discard();
      }
    }
    onClose();
  };

  const doConfirm = async () => {
    const saved = await saveDraft();
    if (saved?.status !== 'saved') return;
    try {
      const r = await confirm.mutateAsync({
        entryId: saved.entryId,
        baseRev: saved.draftRev,
        reason: correctionReason,
        overrides: overrides(),
      });
      if (r.status === 'needs-override') {
        setMessage('チェック結果を確認し、処方を続ける理由を入力してください');
        await checks.refetch();
        return;
      }
      draft.settled();
      refresh();
      onClose();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  const err = (key: string) => fieldError(errors, key);

  return (
    <section
      className="flex flex-col gap-3 rounded border-2 border-emerald-300 bg-white p-3"
      aria-label="処方の入力"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="font-bold">処方{correcting ? '（修正）' : ''}</h3>
        <fieldset className="flex gap-3 text-sm">
          <legend className="sr-only">院外・院内</legend>
          {(['outside', 'inside'] as const).map((p) => (
            <label key={p} className="flex items-center gap-1">
              <input
                type="radio"
                name="place"
                checked={content.place === p}
                onChange={() => setContent((c) => ({ ...c, place: p }))}
              />
              {p === 'outside' ? '院外' : '院内'}
            </label>
          ))}
        </fieldset>
        {me.user.role !== 'doctor' && (
          <label className="flex items-center gap-1 text-sm">
            責任者の医師
            <select className={inputClass} value={doctorId} onChange={(e) => setDoctorId(e.target.value)}>
              {doctors.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className={`${secondaryButtonClass} ml-auto px-2 py-1 text-sm`}
          onClick={async () => {
            const r = await last.refetch();
            if (r.data) {
              setContent({ ...r.data.content, overrides: [] });
              setMessage(`${r.data.date} の処方を写しました（Do）`);
            } else setMessage('前回の処方はありません');
          }}
        >
          前回Do
        </button>
      </div>

      {content.rps.map((r, i) => (
        <div
          // biome-ignore lint/suspicious/noArrayIndexKey: RPs are edited by position
          key={i}
          className="flex flex-col gap-2 rounded border border-slate-200 p-2"
          data-testid={`rp-${i + 1}`}
        >
          <div className="flex items-center gap-2">
            <span className="font-medium">RP{i + 1}</span>
            {content.rps.length > 1 && (
              <button
                type="button"
                className="ml-auto text-sm text-red-700 underline"
                onClick={() => setContent((c) => ({ ...c, rps: c.rps.filter((_, j) => j !== i) }))}
              >
                RPを削除
              </button>
            )}
          </div>
          {r.drugs.map((d, k) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: the same drug may appear twice while editing
              key={`${d.code}-${k}`}
              className="flex flex-wrap items-center gap-2 text-sm"
            >
              <span className="min-w-56 flex-1">{d.name}</span>
              <label className="flex items-center gap-1">
                {r.kind === 'external' ? '総量' : '1回量'}
                <input
                  className={`${inputClass} w-20 py-1`}
                  inputMode="decimal"
                  aria-label={`${d.name} の数量`}
                  aria-invalid={!!errors[`content.rps.${i}.drugs.${k}.dose`]}
                  value={Number.isNaN(d.dose) ? '' : String(d.dose)}
                  onChange={(e) => setDrug(i, k, { dose: Number(e.target.value.normalize('NFKC')) })}
                />
              </label>
              <select
                className={`${inputClass} py-1`}
                aria-label={`${d.name} の単位`}
                value={d.unit}
                onChange={(e) => setDrug(i, k, { unit: e.target.value })}
              >
                {!isDoseUnit(d.unit) && <option value={d.unit}>{d.unit}（不明）</option>}
                {Object.entries(doseUnits).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </select>
              <DrugSheetFlags drug={d} onChange={(patch) => setDrug(i, k, patch)} />
              <button
                type="button"
                className="text-red-700 underline"
                onClick={() => setRp(i, { drugs: r.drugs.filter((_, j) => j !== k) })}
              >
                削除
              </button>
              {err(`content.rps.${i}.drugs.${k}.dose`)}
              {err(`content.rps.${i}.drugs.${k}.unit`)}
            </div>
          ))}
          {err(`content.rps.${i}.drugs`)}
          <DrugSearch id={`drug-search-${i}`} onPick={(d) => setRp(i, { drugs: [...r.drugs, d] })} />
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="flex items-center gap-1">
              用法
              <UsageSelect
                label={`RP${i + 1}`}
                rp={r}
                onFree={() => setRp(i, { usageCode: FREE_TEXT_USAGE, usageText: '' })}
                onPick={(u) =>
                  setRp(i, {
                    usageCode: u.code,
                    usageText: u.text,
                    kind: u.kind,
                    days: u.kind === 'oral' ? (r.days ?? 7) : null,
                    times: u.kind === 'asNeeded' ? (r.times ?? 5) : null,
                  })
                }
              />
            </span>
            {r.usageCode === FREE_TEXT_USAGE && (
              <>
                <input
                  className={`${inputClass} py-1`}
                  aria-label={`RP${i + 1} の用法（自由記載）`}
                  value={r.usageText}
                  onChange={(e) => setRp(i, { usageText: e.target.value })}
                />
                <select
                  className={`${inputClass} py-1`}
                  aria-label={`RP${i + 1} の区分`}
                  value={r.kind}
                  onChange={(e) => {
                    const kind = e.target.value as Rp['kind'];
                    setRp(i, {
                      kind,
                      days: kind === 'oral' ? (r.days ?? 7) : null,
                      times: kind === 'asNeeded' ? (r.times ?? 5) : null,
                    });
                  }}
                >
                  {Object.entries(usageKindLabels).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              </>
            )}
            {r.kind === 'oral' && (
              <label className="flex items-center gap-1">
                <input
                  className={`${inputClass} w-20 py-1`}
                  inputMode="numeric"
                  aria-label={`RP${i + 1} の日数`}
                  aria-invalid={!!errors[`content.rps.${i}.days`]}
                  value={r.days ?? ''}
                  onChange={(e) =>
                    setRp(i, {
                      days: e.target.value === '' ? null : Number(e.target.value.normalize('NFKC')),
                    })
                  }
                />
                日分
              </label>
            )}
            {r.kind === 'asNeeded' && (
              <label className="flex items-center gap-1">
                <input
                  className={`${inputClass} w-20 py-1`}
                  inputMode="numeric"
                  aria-label={`RP${i + 1} の回数`}
                  aria-invalid={!!errors[`content.rps.${i}.times`]}
                  value={r.times ?? ''}
                  onChange={(e) =>
                    setRp(i, {
                      times: e.target.value === '' ? null : Number(e.target.value.normalize('NFKC')),
                    })
                  }
                />
                回分
              </label>
            )}
          </div>
          {err(`content.rps.${i}.usageCode`)}
          {err(`content.rps.${i}.usageText`)}
          {err(`content.rps.${i}.days`)}
          {err(`content.rps.${i}.times`)}
        </div>
      ))}
      {err('content.rps')}
      <button
        type="button"
        className={`${secondaryButtonClass} self-start px-2 py-1 text-sm`}
        onClick={() => setContent((c) => ({ ...c, rps: [...c.rps, emptyRp()] }))}
      >
        RPを追加
      </button>

      <PrescriptionSheetOptions
        patientId={patientId}
        content={content}
        errors={errors}
        onChange={(patch) => setContent((c) => ({ ...c, ...patch }))}
      />

      {checks.isError && checkable.length > 0 && (
        <Banner kind="error">処方チェックができません: {errorMessage(checks.error)}</Banner>
      )}
      {findings.length > 0 && (
        <div
          className="flex flex-col gap-2 rounded border border-amber-300 bg-amber-50 p-2"
          role="status"
          aria-label="処方チェック"
        >
          <p className="font-medium text-amber-900">処方チェック（確定するには理由を入力）</p>
          {findings.map((f) => (
            <div key={f.key} className="flex flex-col gap-1 text-sm" data-testid="finding">
              <p>
                <span className="mr-2 rounded bg-amber-200 px-1">{findingLabels[f.type]}</span>
                {f.message}
                {f.source && <span className="ml-2 text-xs text-slate-600">出典: {f.source}</span>}
              </p>
              <input
                className={`${inputClass} py-1`}
                aria-label={`${findingLabels[f.type]}を承知で処方する理由`}
                placeholder="処方を続ける理由"
                value={reasons[f.key] ?? ''}
                onChange={(e) => setReasons((r) => ({ ...r, [f.key]: e.target.value }))}
              />
            </div>
          ))}
        </div>
      )}

      {correcting && (
        <label className="flex flex-col gap-1 text-sm">
          修正の理由
          <input
            className={inputClass}
            value={correctionReason}
            onChange={(e) => setCorrectionReason(e.target.value)}
          />
        </label>
      )}
      {stored && (
        <Banner kind="info">保存されていなかった処方の入力を復元しました。内容を確認してください。</Banner>
      )}
      {message && <Banner kind="warn">{message}</Banner>}
      {!message && save.isError && (
        <Banner kind="error">自動保存できませんでした: {errorMessage(save.error)}</Banner>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          className={buttonClass}
          disabled={draft.saving || confirm.isPending}
          onClick={doConfirm}
        >
          処方を確定
        </button>
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={draft.saving}
          onClick={async () => {
            const r = await saveDraft();
            if (r) setMessage('下書きを保存しました');
          }}
        >
          下書き保存
        </button>
        <button type="button" className={secondaryButtonClass} onClick={close}>
          閉じる
        </button>
        <span className="self-center text-sm text-slate-500" role="status" aria-label="処方の保存状態">
          {draft.saving
            ? '保存中…'
            : draft.dirty
              ? canAutosave(withOverrides)
                ? '未保存の変更があります'
                : '入力途中（この画面にだけ保持）'
              : draft.savedAt
                ? `下書き保存済み ${draft.savedAt.toLocaleTimeString('ja-JP')}`
                : entryId
                  ? '下書き'
                  : ''}
        </span>
      </div>
    </section>
  );
}
