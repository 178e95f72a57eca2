import type { AppRouter } from '@karte/api/router';
import { LAB_UPLOAD_PROCEDURES } from '@karte/domain';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, splitLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  // A session that ended (idle, logout elsewhere, user disabled) sends everyone back to the login page.
  const onError = (error: unknown) => {
    if (errorCode(error) === 'UNAUTHORIZED') {
      void client.invalidateQueries({ queryKey: [['auth', 'me']] });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) => {
          const code = error instanceof TRPCClientError ? error.data?.code : undefined;
          return !['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(code) && count < 2;
        },
      },
    },
  });
  return client;
}

/**
 * Only what the user does keeps the session alive. A request sent while nobody has typed, clicked or
 * focused the window for a while is background work (a board or a list polling): it carries
 * `x-karte-background: 1` and the server does not count it as activity. A query may also say so
 * itself with `trpc: { context: { background: true } }`.
 */
const ACTIVE_MS = 10_000;
let lastActivity = Date.now(); // loading or reloading the page is something the user did
if (typeof window !== 'undefined') {
  const mark = () => {
    lastActivity = Date.now();
  };
  for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart', 'focus'])
    window.addEventListener(type, mark, { capture: true, passive: true });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') mark();
  });
}
export const userIsActive = () => Date.now() - lastActivity < ACTIVE_MS;

export function makeTrpcClient() {
  // The server refuses POSTs without this header (CSRF).
  const csrf = { 'x-karte-csrf': '1' };
  const common = {
    url: '/trpc',
    transformer: superjson,
    // Queries go by POST as well: search terms and patient ids stay out of URLs, histories and logs.
    methodOverride: 'POST' as const,
  };
  const batch = (background: boolean) =>
    httpBatchLink({
      ...common,
      headers: () => (background ? { ...csrf, 'x-karte-background': '1' } : csrf),
      // The server refuses batches of more than 20 calls.
      maxItems: 10,
    });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // The server refuses auth.* in a batch (one request, many password attempts): one call each.
        condition: (op) => op.path.startsWith('auth.') || LAB_UPLOAD_PROCEDURES.has(op.path),
        true: httpLink({ ...common, headers: () => csrf }),
        false: splitLink({
          condition: (op) => op.type === 'query' && (op.context.background === true || !userIsActive()),
          true: batch(true),
          false: batch(false),
        }),
      }),
    ],
  });
}

/** The message for the person at the screen, whatever went wrong. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return '通信に失敗しました。ネットワークを確認してください';
}

/** Field messages the server sent back for a rejected form. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (error instanceof TRPCClientError) return (error.data?.fieldErrors as Record<string, string>) ?? {};
  return {};
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? error.data?.code : undefined;
}
