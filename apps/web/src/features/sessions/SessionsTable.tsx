import { roleLabels } from '@karte/domain';
import type { Outputs } from '../../App';
import { secondaryButtonClass } from '../../components/Field';

type Session = Outputs['sessions']['mine'][number];

const when = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A short name of the browser and system from the User-Agent (the whole text is in the tooltip). */
export function browserOf(userAgent: string): string {
  if (!userAgent) return '不明';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Chrome\//.test(userAgent)
      ? 'Chrome'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'ブラウザ';
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Android/.test(userAgent)
          ? 'Android'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser}（${system}）` : browser;
}

/** Open sessions: started, last seen, address and browser; this device marked; a revoke button on the others. */
export function SessionsTable(props: {
  sessions: Session[];
  showUser?: boolean;
  pending: boolean;
  onRevoke: (s: Session) => void;
  label: string;
}) {
  return (
    <table className="w-full border-collapse bg-white text-left text-sm" aria-label={props.label}>
      <thead>
        <tr className="border-b border-slate-300 text-slate-600">
          {props.showUser && <th className="px-3 py-2">利用者</th>}
          <th className="px-3 py-2">ログイン日時</th>
          <th className="px-3 py-2">最終操作</th>
          <th className="px-3 py-2">接続元</th>
          <th className="px-3 py-2">ブラウザ</th>
          <th className="px-3 py-2" />
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((s) => (
          <tr key={s.ref} className="border-b border-slate-100" data-testid="session-row">
            {props.showUser && (
              <td className="px-3 py-2">
                {s.user.displayName}（{roleLabels[s.user.role]}）{' '}
                <span className="font-mono text-slate-500">{s.user.username}</span>
              </td>
            )}
            <td className="px-3 py-2">{when.format(s.createdAt)}</td>
            <td className="px-3 py-2">{when.format(s.lastSeenAt)}</td>
            <td className="px-3 py-2 font-mono">{s.clientAddress || '不明'}</td>
            <td className="px-3 py-2" title={s.userAgent}>
              {browserOf(s.userAgent)}
            </td>
            <td className="px-3 py-2 text-right">
              {s.current ? (
                <span className="rounded bg-sky-100 px-2 py-1 text-sky-800">この端末</span>
              ) : (
                <button
                  type="button"
                  className={secondaryButtonClass}
                  disabled={props.pending}
                  onClick={() => props.onRevoke(s)}
                >
                  ログアウトさせる
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
