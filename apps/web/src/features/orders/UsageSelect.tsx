import { FREE_TEXT_USAGE, type Rp, type UsageKind, usageCodes, usageKindLabels } from '@karte/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { inputClass } from '../../components/Field';
import { useTRPC } from '../../lib/trpc';

const FREE = 'free';
interface UsageChoice {
  code: string;
  text: string;
  kind: UsageKind;
}

/**
 * 用法 of one RP: a search box (text or kana, width folded) over the loaded 用法 table — the shipped
 * common ones first, then the official master once it is loaded — and the list to pick from. Until the
 * server answers, the shipped subset is offered.
 */
export function UsageSelect({
  label,
  rp,
  onPick,
  onFree,
}: {
  /** RP1 … */
  label: string;
  rp: Rp;
  onPick: (u: UsageChoice) => void;
  onFree: () => void;
}) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState('');
  const found = useQuery({
    ...trpc.chart.searchUsages.queryOptions({ query: filter.trim(), kind: null, limit: 100 }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
  const choices: UsageChoice[] = found.data ?? (filter.trim() === '' ? [...usageCodes] : []);
  const current =
    rp.usageCode && rp.usageCode !== FREE_TEXT_USAGE && !choices.some((u) => u.code === rp.usageCode)
      ? [{ code: rp.usageCode, text: rp.usageText, kind: rp.kind }]
      : [];
  const all = [...current, ...choices];
  return (
    <span className="flex items-center gap-1">
      <input
        className={`${inputClass} w-28 py-1`}
        aria-label={`用法検索（${label}）`}
        placeholder="用法を検索"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <select
        className={`${inputClass} py-1`}
        aria-label={`${label} の用法`}
        value={rp.usageCode === FREE_TEXT_USAGE ? FREE : rp.usageCode}
        onChange={(e) => {
          if (e.target.value === FREE) return onFree();
          const u = all.find((x) => x.code === e.target.value);
          if (u) onPick(u);
        }}
      >
        <option value="">
          {filter.trim() && choices.length === 0 ? '該当する用法がありません' : '選択してください'}
        </option>
        {all.map((u) => (
          <option key={u.code} value={u.code}>
            【{usageKindLabels[u.kind]}】{u.text}
          </option>
        ))}
        <option value={FREE}>自由記載（用法コードなし）</option>
      </select>
    </span>
  );
}
