import type { BillDraft, BillLineView } from '@karte/domain';
import { useEffect, useState } from 'react';
import { secondaryButtonClass } from '../../components/Field';
import { sectionName } from './money';

const statusLabels = { billed: '', added: '自動', dropped: '算定不可' } as const;

/**
 * The 会計's insured lines as the calculator priced them: name, code, points × count, the rule that decided
 * it. Dropped lines are greyed with their reason; a line from the draft can be removed (onRemove), lines the
 * rules add by themselves (まるめ, 判断料) cannot.
 */
export function BillLines(props: {
  lines: BillLineView[];
  draft: BillDraft;
  onRemove?: (code: string) => void;
  onRestore?: (code: string) => void;
  /** 回数 of a procedure line the clerk added or Karte proposed, as typed. */
  onCount?: (code: string, typed: string) => void;
  /** Names of proposed codes (a removed line is no longer among `lines`). */
  names?: Record<string, string>;
}) {
  const inDraft = new Set(props.draft.items.map((i) => i.code));
  const countOf = new Map(
    props.draft.items.flatMap((i) => (i.kind === 'procedure' ? [[i.code, i.count] as const] : [])),
  );
  return (
    <div className="flex flex-col gap-2">
      <table className="w-full border-collapse bg-white text-left text-sm" aria-label="算定行">
        <thead>
          <tr className="border-b border-slate-300 text-slate-600">
            <th className="px-2 py-1.5">識別</th>
            <th className="px-2 py-1.5">名称</th>
            <th className="px-2 py-1.5">コード</th>
            <th className="px-2 py-1.5 text-right">点数×回数</th>
            <th className="px-2 py-1.5">理由</th>
            {props.onRemove && <th className="px-2 py-1.5" />}
          </tr>
        </thead>
        <tbody>
          {props.lines.map((l, i) => {
            const dropped = l.status === 'dropped';
            return (
              <tr
                // biome-ignore lint/suspicious/noArrayIndexKey: the same code may come twice (e.g. per 剤)
                key={`${l.code}-${i}`}
                data-testid="bill-line"
                data-status={l.status}
                className={`border-b border-slate-100 align-top ${dropped ? 'bg-slate-50 text-slate-400' : ''}`}
              >
                <td className="whitespace-nowrap px-2 py-1.5 text-xs">{sectionName(l.section)}</td>
                <td className={`px-2 py-1.5 ${dropped ? 'line-through' : ''}`}>
                  {l.name}
                  {statusLabels[l.status] && (
                    <span
                      className={`ml-2 rounded px-1.5 text-xs ${dropped ? 'bg-slate-200 text-slate-600' : 'bg-sky-100 text-sky-900'}`}
                    >
                      {statusLabels[l.status]}
                    </span>
                  )}
                  {l.warning && (
                    <div className="text-xs font-medium text-amber-800" data-testid="line-warning">
                      ⚠ {l.warning}
                    </div>
                  )}
                </td>
                <td className="px-2 py-1.5 font-mono text-xs">{l.code}</td>
                <td className="whitespace-nowrap px-2 py-1.5 text-right font-mono">
                  {props.onCount && countOf.has(l.code) && !dropped ? (
                    <CountField
                      name={l.name}
                      points={l.points}
                      count={countOf.get(l.code) ?? 1}
                      onCount={(typed) => props.onCount?.(l.code, typed)}
                    />
                  ) : (
                    <>
                      {l.points}点{l.count > 1 ? ` × ${l.count}` : ''}
                    </>
                  )}
                </td>
                <td className={`px-2 py-1.5 text-xs ${dropped ? 'text-slate-600' : 'text-slate-600'}`}>
                  {l.reason}
                </td>
                {props.onRemove && (
                  <td className="px-2 py-1.5 text-right">
                    {inDraft.has(l.code) && (
                      <button
                        type="button"
                        className={`${secondaryButtonClass} px-2 py-0.5 text-xs`}
                        aria-label={`${l.name}を削除`}
                        onClick={() => props.onRemove?.(l.code)}
                      >
                        削除
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.draft.removed.length > 0 && (
        <div className="rounded border border-slate-200 bg-slate-50 p-2 text-sm" data-testid="removed-lines">
          <p className="mb-1 font-medium text-slate-700">削除した提案行</p>
          <ul className="flex flex-col gap-1">
            {props.draft.removed.map((r) => (
              <li key={r.code} className="flex items-center gap-3 text-slate-600">
                <span>{props.names?.[r.code] ?? ''}</span>
                <span className="font-mono text-xs">{r.code}</span>
                <span>理由: {r.reason}</span>
                {props.onRestore && (
                  <button
                    type="button"
                    className={`${secondaryButtonClass} px-2 py-0.5 text-xs`}
                    onClick={() => props.onRestore?.(r.code)}
                  >
                    戻す
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** 回数 (1–99) of one line: what is typed stays in the field; only a valid count reaches the draft. */
function CountField(props: {
  name: string;
  points: number;
  count: number;
  onCount: (typed: string) => void;
}) {
  const [typed, setTyped] = useState(String(props.count));
  const n = Number(typed.normalize('NFKC').trim());
  const bad = typed.trim() === '' || !Number.isInteger(n) || n < 1 || n > 99;
  // The count changed elsewhere (the same code added again from search): show it.
  useEffect(() => {
    setTyped((t) => (Number(t.normalize('NFKC').trim()) === props.count ? t : String(props.count)));
  }, [props.count]);
  return (
    <span className="inline-flex flex-col items-end">
      <span>
        {props.points}点 ×{' '}
        <input
          type="text"
          inputMode="numeric"
          className="w-12 rounded border border-slate-300 px-1 text-right"
          aria-label={`${props.name}の回数`}
          aria-invalid={bad}
          data-testid="line-count"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            props.onCount(e.target.value);
          }}
        />
      </span>
      {bad && (
        <span role="alert" className="text-xs text-red-700">
          回数は1〜99で入力してください
        </span>
      )}
    </span>
  );
}
