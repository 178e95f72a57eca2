import { genericCodeOf, type RpDrug } from '@karte/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { inputClass } from '../../components/Field';
import { useTRPC } from '../../lib/trpc';

/** A likely unit from the 規格 (１錠 → 錠, １カプセル → カプセル …); the doctor can change it. */
function unitFromSpec(spec: string): string {
  const s = spec.normalize('NFKC');
  if (s.includes('カプセル')) return 'CAP';
  if (s.includes('錠')) return 'TAB';
  if (s.includes('包')) return 'HO';
  if (s.includes('枚')) return 'MAI';
  if (s.includes('個')) return 'KO';
  if (s.includes('本') || s.includes('瓶') || s.includes('キット')) return 'HON';
  if (/mL/i.test(s)) return 'ML';
  return 'G';
}

/** 薬剤検索: kana, kanji, 成分名 or code; Enter takes the highlighted product, Alt+Enter its 一般名. */
export function DrugSearch({ onPick, id }: { onPick: (d: RpDrug) => void; id: string }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const q = text.trim();
  const found = useQuery({
    ...trpc.chart.searchDrugs.queryOptions({ query: q, limit: 20 }),
    enabled: q.length >= 1,
    placeholderData: (prev) => prev,
  });
  const rows = q ? (found.data ?? []) : [];
  // Rows still shown from an earlier query (placeholder) are not what is in the box now.
  const fresh = q !== '' && found.isSuccess && !found.isPlaceholderData;
  // Enter pressed before the results for the text in the box arrived: taken when they arrive.
  const [pending, setPending] = useState<{ query: string; generic: boolean } | null>(null);
  const pick = (i: number, generic: boolean) => {
    const d = rows[i];
    if (!d) return;
    onPick(
      generic
        ? {
            code: genericCodeOf(d.code),
            generic: true,
            name: `【般】${d.ingredient}${d.spec}`,
            dose: 1,
            unit: unitFromSpec(d.spec),
          }
        : { code: d.code, generic: false, name: d.name, dose: 1, unit: unitFromSpec(d.spec) },
    );
    setText('');
    setActive(0);
  };
  useEffect(() => {
    if (!pending) return;
    if (pending.query !== q) setPending(null);
    else if (fresh) {
      setPending(null);
      pick(0, pending.generic);
    }
  });
  return (
    <div className="relative">
      <input
        id={id}
        className={`${inputClass} w-full`}
        placeholder="薬剤を検索（品名・成分名・かな・コード）"
        aria-label="薬剤を検索"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setPending(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, rows.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (fresh) pick(active, e.altKey);
            else if (q) setPending({ query: q, generic: e.altKey });
          } else if (e.key === 'Escape') setText('');
        }}
      />
      {q && found.isSuccess && rows.length === 0 && (
        <p className="mt-1 text-sm text-slate-500">
          該当する薬剤がありません（品名・成分名の先頭、またはコードで検索）
        </p>
      )}
      {rows.length > 0 && (
        <ul
          className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded border border-slate-300 bg-white shadow"
          aria-label="薬剤の候補"
        >
          {rows.map((d, i) => (
            <li
              key={d.code}
              className={`flex items-center gap-2 px-2 py-1 text-sm ${i === active ? 'bg-sky-100' : ''}`}
            >
              <button type="button" className="flex-1 text-left" onClick={() => pick(i, false)}>
                {d.name}
                <span className="ml-2 text-xs text-slate-500">
                  {d.ingredient}・{d.kind}・{d.code}
                  {d.price ? `・${d.price}円` : ''}
                </span>
              </button>
              <button type="button" className="text-xs text-sky-800 underline" onClick={() => pick(i, true)}>
                一般名で
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
