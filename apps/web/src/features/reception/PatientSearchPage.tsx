import { formatBirthDate, sexLabels } from '@karte/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Banner, buttonClass, inputClass } from '../../components/Field';
import { errorMessage, useTRPC } from '../../lib/trpc';

/** One screenful: more than this means the clerk should type a little more. */
const PAGE = 20;

export function PatientSearchPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const location = useLocation();
  // The search text lives in the history entry's state, not in the URL: a reload or the access log of
  // the server must not carry a patient's name (and Back still returns to the same results).
  const [text, setText] = useState(() => (location.state as { q?: string } | null)?.q ?? '');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const typed = text.trim();
  // What is searched follows the box 200 ms after typing stops; Enter searches at once (below).
  const [query, setQuery] = useState(typed);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed), 200);
    return () => clearTimeout(timer);
  }, [typed]);
  /** Enter pressed for this text before its results were in: act when they arrive, on them only. */
  const [enterFor, setEnterFor] = useState<string | null>(null);

  useEffect(() => {
    navigate('.', { replace: true, state: query ? { q: query } : null });
    setActive(0);
  }, [query, navigate]);

  const results = useQuery({
    ...trpc.reception.searchPatients.queryOptions({ query, limit: PAGE }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
  const rows = query ? (results.data ?? []) : [];
  // The rows on screen answer exactly the text in the box (not an earlier text kept while loading).
  const current = query === typed && results.isSuccess && !results.isPlaceholderData;

  useEffect(() => {
    if (enterFor === null) return;
    if (enterFor !== typed) {
      setEnterFor(null); // the text changed since Enter: that Enter no longer applies
      return;
    }
    if (query !== enterFor || !results.isSuccess || results.isPlaceholderData) return;
    setEnterFor(null);
    const first = results.data[0];
    if (first) navigate(`/patients/${first.id}`);
  }, [enterFor, typed, query, results.isSuccess, results.isPlaceholderData, results.data, navigate]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.nativeEvent.isComposing) return; // Enter that confirms a kana-kanji conversion is not a choice
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, rows.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (!typed) return;
      if (current) {
        const row = rows[active];
        if (row) navigate(`/patients/${row.id}`);
        return;
      }
      // Typed (or scanned) faster than the search: search this text now and open its first result,
      // or nobody; never a row left from the previous text.
      setQuery(typed);
      setEnterFor(typed);
    }
  };

  return (
    <section className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-bold">患者検索</h1>
        <Link to="/patients/new" className={buttonClass}>
          新患登録 <span className="ml-2 text-xs opacity-75">Alt+N</span>
        </Link>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="patient-search" className="text-sm text-slate-600">
          カナ・漢字（前方一致）、患者番号、生年月日（1975-04-01 / S50.4.1）、電話番号
        </label>
        <input
          id="patient-search"
          ref={inputRef}
          type="search"
          autoFocus
          autoComplete="off"
          className={`${inputClass} text-lg`}
          placeholder="例: やまだ　／　山田　／　123　／　S50.4.1"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-controls="patient-results"
        />
        <p className="text-xs text-slate-500">↑↓ で選択、Enter で開く</p>
      </div>
      {results.isError && <Banner kind="error">{errorMessage(results.error)}</Banner>}
      {current && rows.length === 0 && (
        <Banner kind="info">該当する患者はいません。新患として登録する場合は「新患登録」へ。</Banner>
      )}
      {rows.length >= PAGE && (
        <p className="text-sm text-slate-600">上位{PAGE}件を表示しています。続けて入力すると絞り込めます。</p>
      )}
      {rows.length > 0 && (
        <table
          id="patient-results"
          className={`w-full border-collapse bg-white text-left ${current ? '' : 'opacity-60'}`}
          aria-label="検索結果"
          aria-busy={!current}
        >
          <thead>
            <tr className="border-b border-slate-300 text-sm text-slate-600">
              <th className="px-3 py-2">患者番号</th>
              <th className="px-3 py-2">氏名</th>
              <th className="px-3 py-2">カナ</th>
              <th className="px-3 py-2">性別</th>
              <th className="px-3 py-2">生年月日</th>
              <th className="px-3 py-2">電話</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p, i) => (
              <tr
                key={p.id}
                aria-selected={i === active}
                className={`cursor-pointer border-b border-slate-100 ${i === active ? 'bg-sky-100' : 'hover:bg-slate-50'}`}
                onClick={() => navigate(`/patients/${p.id}`)}
                onMouseEnter={() => setActive(i)}
              >
                <td className="px-3 py-2 font-mono">{p.patientNumber}</td>
                <td className="px-3 py-2 font-medium">
                  <Link to={`/patients/${p.id}`} tabIndex={-1}>
                    {p.familyName} {p.givenName}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  {p.familyNameKana} {p.givenNameKana}
                </td>
                <td className="px-3 py-2">{sexLabels[p.sex]}</td>
                <td className="px-3 py-2">{formatBirthDate(p.birthDate)}</td>
                <td className="px-3 py-2">{p.phone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
