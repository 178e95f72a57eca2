import type { BillSet } from '@karte/domain';
import { useId, useState } from 'react';
import { inputClass, secondaryButtonClass } from '../../components/Field';

/**
 * セットから追加: the facility's 会計セット as a list box the keyboard reaches with Tab; ↓/↑ choose, Enter adds
 * (or the 追加 button). The セット are defined on 会計設定.
 */
export function SetPicker(props: { sets: BillSet[]; onPick: (set: BillSet) => void }) {
  const id = useId();
  const [chosen, setChosen] = useState('');
  if (props.sets.length === 0) return null;
  const current = props.sets.find((s) => s.id === chosen) ?? props.sets[0];
  const add = () => {
    if (current) props.onPick(current);
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        セットから追加
      </label>
      <div className="flex items-start gap-2">
        <select
          id={id}
          size={Math.min(Math.max(props.sets.length, 2), 6)}
          className={`${inputClass} flex-1 py-1`}
          value={current?.id ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        >
          {props.sets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}（{s.items.length}項目）
            </option>
          ))}
        </select>
        <button type="button" className={`${secondaryButtonClass} text-sm`} onClick={add}>
          追加
        </button>
      </div>
    </div>
  );
}
