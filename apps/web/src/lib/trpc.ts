import type { AppRouter } from '@karte/api/router';
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

const UPLOADS = new Set(['orders.previewLabImport', 'orders.importLabs']);
// The server refuses POSTs without this header (CSRF).
const headers = () => ({ 'x-karte-csrf': '1' });

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      // The lab file goes alone: the server gives only its two procedures a body limit that fits 5 MB.
      splitLink({
        condition: (op) => UPLOADS.has(op.path),
        true: httpLink({ url: '/trpc', transformer: superjson, headers }),
        false: httpBatchLink({
          url: '/trpc',
          transformer: superjson,
          headers,
          // Queries go by POST as well: search terms and patient ids stay out of URLs, histories and logs.
          methodOverride: 'POST',
          // The server refuses batches of more than 20 calls.
          maxItems: 10,
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
