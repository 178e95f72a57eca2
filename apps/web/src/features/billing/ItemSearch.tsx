import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { inputClass } from '../../components/Field';
import { useTRPC } from '../../lib/trpc';
import { yen } from './money';

type Hit = {
  kind: 'procedure' | 'drug' | 'material' | 'selfPay';
  code: string;
  name: string;
  points: number | null;
  priceYen: number | null;
  unit: string;
  /** 点数欄集計先 of a 診療行為 (50 手術, 54 麻酔 …). */
  section?: string;
};

const kindLabels = { procedure: '診療行為', drug: '薬剤', material: '特定器材', selfPay: '自費' } as const;

/**
 * Adds a line from the master: type kana or a code, ↓/↑ to choose, Enter to add (a combobox). Only
 * 診療行為 and 自費 are searched here: drugs come from the prescriptions.
 */
export function ItemSearch(props: {
  date: string;
  onPick: (hit: Hit) => void;
  /** Others than the 会計 screen's (会計セット: 診療行為 and 特定器材). */
  kinds?: Hit['kind'][];
  label?: string;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  // Wait for the typing to pause before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useQuery({
    ...trpc.billing.searchItems.queryOptions({
      q,
      date: props.date,
      kinds: props.kinds ?? ['procedure', 'selfPay'],
    }),
    enabled: q.length > 0,
  });
  const hits = (q ? search.data : undefined) ?? [];
  // Enter typed before the results of the latest text came: take the first hit once they come.
  const [enterPending, setEnterPending] = useState(false);
  const fresh = q === text.trim() && search.isSuccess && !search.isFetching;
  const pick = (hit: Hit | undefined) => {
    setEnterPending(false);
    if (!hit) return;
    props.onPick(hit);
    setText('');
    setQ('');
    setActive(0);
  };
  const listId = `${id}-list`;
  useEffect(() => {
    if (enterPending && fresh) pick(hits[0]);
  });
  return (
    <div className="relative flex flex-col gap-1">
      <label htmlFor={`${id}-q`} className="text-sm font-medium text-slate-700">
        {props.label ?? '行を追加（カナ・コードで検索）'}
      </label>
      <input
        id={`${id}-q`}
        aria-controls={listId}
        className={inputClass}
        value={text}
        placeholder="例: さいしん、160000310"
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, hits.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (fresh) pick(hits[active]);
            else if (text.trim()) {
              setQ(text.trim());
              setEnterPending(true);
            }
          } else if (e.key === 'Escape') {
            setText('');
          }
        }}
      />
      {search.isError && q && (
        <p role="alert" className="text-sm text-red-700">
          検索できませんでした
        </p>
      )}
      {q && search.isSuccess && hits.length === 0 && <p className="text-sm text-slate-600">該当なし</p>}
      {hits.length > 0 && (
        <ul
          id={listId}
          aria-label="検索結果"
          className="absolute top-full z-20 mt-1 max-h-72 w-full overflow-auto rounded border border-slate-300 bg-white shadow-lg"
        >
          {hits.map((h, i) => (
            <li key={`${h.kind}-${h.code}`} data-active={i === active}>
              <button
                type="button"
                tabIndex={-1}
                className={`flex cursor-pointer justify-between gap-3 px-3 py-1.5 ${i === active ? 'bg-sky-100' : ''} w-full text-left`}
                onClick={() => pick(h)}
              >
                <span>
                  <span className="mr-2 text-xs text-slate-500">{kindLabels[h.kind]}</span>
                  {h.name}
                  <span className="ml-2 font-mono text-xs text-slate-500">{h.code}</span>
                </span>
                <span className="font-mono text-sm">
                  {h.points !== null ? `${h.points}点` : h.priceYen !== null ? yen(h.priceYen) : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
