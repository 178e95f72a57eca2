/**
 * The floor for the API: a bare tRPC server (standalone adapter, superjson, one query) that does
 * exactly the direct database work of a search and nothing else — no session, no roles, no
 * drizzle. What it measures is what HTTP + tRPC alone cost on this machine.
 */
import http from 'node:http';
import { openDb } from '@karte/db';
import { initTRPC } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { z } from 'zod';
import { directSearch } from './direct';

const karte = await openDb(
  process.env.DATABASE_URL
    ? { databaseUrl: process.env.DATABASE_URL }
    : { dataDir: process.env.KARTE_DATA_DIR },
);
const facility = await karte.db.query.facilities.findFirst();
const user = await karte.db.query.users.findFirst();
if (!facility || !user) throw new Error('no bench facility');
const search = directSearch(karte, facility.id, user.id);
const t = initTRPC.create({ transformer: superjson });
const router = t.router({
  search: t.procedure
    .input(z.object({ query: z.string(), limit: z.number() }))
    .query(({ input }) => search(input.query)()),
});
const handler = createHTTPHandler({ router, basePath: '/trpc/' });
const server = http.createServer((req, res) => handler(req, res));
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => karte.close().then(() => process.exit(0))));
