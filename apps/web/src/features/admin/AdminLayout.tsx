import { NavLink, Outlet } from 'react-router';

/**
 * The administrator's pages share one sub-menu under the top bar: the top bar keeps three admin links so that
 * it stays one line at 1366 px, the rest are reached from here.
 */
const adminTabs: { to: string; label: string }[] = [
  { to: '/admin/users', label: '利用者管理' },
  { to: '/admin/sessions', label: 'セッション' },
  { to: '/admin/two-factor', label: '2段階認証' },
  { to: '/admin/clinic', label: 'クリニック設定' },
  { to: '/admin/billing', label: '会計設定' },
  { to: '/admin/audit', label: '監査ログ' },
  { to: '/admin/backups', label: 'バックアップ' },
  { to: '/admin/offline', label: 'オフライン閲覧' },
];

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-t px-3 py-1.5 text-sm ${isActive ? 'border border-b-white border-slate-300 bg-white font-medium text-sky-800' : 'text-slate-600 hover:bg-slate-100'}`;

export function AdminLayout() {
  return (
    <div className="flex flex-col gap-4">
      <nav
        aria-label="管理メニュー"
        className="no-print -mb-1 flex flex-wrap gap-1 border-b border-slate-300"
      >
        {adminTabs.map((t) => (
          <NavLink key={t.to} to={t.to} className={tabClass}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
