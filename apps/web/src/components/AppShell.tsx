import { roleLabels } from '@karte/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { NavLink, useNavigate } from 'react-router';
import type { Me } from '../App';
import { useTRPC } from '../lib/trpc';

const navClass = ({ isActive }: { isActive: boolean }) =>
  `shrink-0 whitespace-nowrap rounded px-2.5 py-1.5 text-sm ${isActive ? 'bg-sky-900 text-white' : 'text-sky-100 hover:bg-sky-800'}`;

/** Doctors see at once how many proxy entries wait for them (未承認). */
function PendingLink() {
  const trpc = useTRPC();
  const pending = useQuery({ ...trpc.chart.pendingApprovals.queryOptions(), refetchInterval: 30_000 });
  const n = pending.data?.length ?? 0;
  return (
    <NavLink to="/chart/approvals" className={navClass}>
      未承認
      {n > 0 && (
        <span
          className="ml-1 rounded-full bg-amber-400 px-2 text-xs font-bold text-slate-900"
          data-testid="pending-count"
        >
          {n}
        </span>
      )}
    </NavLink>
  );
}

export function AppShell({ me, children }: { me: Me; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        // Drop every cached patient screen, then show the login page.
        const meKey = trpc.auth.me.queryKey();
        queryClient.removeQueries({ predicate: (q) => JSON.stringify(q.queryKey) !== JSON.stringify(meKey) });
        queryClient.setQueryData(meKey, (old) => (old ? { ...old, auth: null } : old));
        navigate('/');
      },
    }),
  );
  const userMenu = useRef<HTMLDetailsElement>(null);
  // Alt+N: 新患登録, Alt+K: 患者検索, Alt+B: 受付一覧 — reception works from the keyboard.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      if (e.key === 'n') {
        e.preventDefault();
        navigate('/patients/new');
      } else if (e.key === 'k') {
        e.preventDefault();
        navigate('/');
      } else if (e.key === 'b') {
        e.preventDefault();
        navigate('/reception/board');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate]);

  return (
    <div className="min-h-screen">
      {/* One line at 1366 px for every role: full width, the clinic's name shortened, rarely used items in the user menu. */}
      <header className="no-print bg-sky-700 text-white">
        <div className="mx-auto flex max-w-screen-2xl items-center gap-3 whitespace-nowrap px-4 py-2">
          <span className="shrink-0 text-lg font-bold">Karte</span>
          <span
            className="min-w-0 max-w-[16rem] truncate text-sm text-sky-100"
            title={me.facility.name}
            data-testid="facility-name"
          >
            {me.facility.name}
          </span>
          <nav className="flex shrink-0 gap-1" aria-label="メインメニュー">
            <NavLink to="/" end className={navClass}>
              患者検索
            </NavLink>
            <NavLink to="/patients/new" className={navClass}>
              新患登録
            </NavLink>
            <NavLink to="/reception/board" className={navClass}>
              受付一覧
            </NavLink>
            <NavLink to="/appointments" className={navClass}>
              予約
            </NavLink>
            {me.user.role !== 'admin' && (
              <NavLink to="/labs/import" className={navClass}>
                検査取込
              </NavLink>
            )}
            <NavLink to="/sharing" className={navClass}>
              共有送信
            </NavLink>
            {me.user.role === 'doctor' && <PendingLink />}
            {me.user.role === 'admin' && (
              <>
                <NavLink to="/admin/users" className={navClass}>
                  利用者管理
                </NavLink>
                <NavLink to="/admin/audit" className={navClass}>
                  監査ログ
                </NavLink>
                <NavLink to="/admin/billing" className={navClass}>
                  会計設定
                </NavLink>
              </>
            )}
          </nav>
          <div className="ml-auto flex shrink-0 items-center gap-2 text-sm">
            <details ref={userMenu} className="relative">
              <summary
                className="cursor-pointer list-none rounded px-2 py-1 hover:bg-sky-800"
                aria-label="利用者メニュー"
              >
                <span data-testid="current-user">
                  {me.user.displayName}（{roleLabels[me.user.role]}）
                </span>
                <span aria-hidden="true"> ▾</span>
              </summary>
              <div className="absolute right-0 z-30 mt-1 flex min-w-40 flex-col rounded border border-slate-200 bg-white py-1 text-slate-800 shadow-lg">
                <NavLink
                  to="/account/password"
                  className="px-3 py-2 hover:bg-slate-100"
                  onClick={() => userMenu.current?.removeAttribute('open')}
                >
                  パスワード変更
                </NavLink>
                <NavLink
                  to="/account/security"
                  className="px-3 py-2 hover:bg-slate-100"
                  onClick={() => userMenu.current?.removeAttribute('open')}
                >
                  2段階認証・パスキー
                </NavLink>
                <NavLink
                  to="/account/sessions"
                  className="px-3 py-2 hover:bg-slate-100"
                  onClick={() => userMenu.current?.removeAttribute('open')}
                >
                  ログイン中の端末
                </NavLink>
              </div>
            </details>
            <button
              type="button"
              onClick={() => logout.mutate()}
              className="rounded border border-sky-300 px-3 py-1 hover:bg-sky-800"
            >
              ログアウト
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-screen-2xl px-4 py-6">{children}</main>
    </div>
  );
}
