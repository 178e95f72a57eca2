import { Writable } from 'node:stream';
import { insertFacility, type KarteDb } from '@karte/db';
import { openTestDb } from '@karte/db/testing';
import { getTRPCErrorFromUnknown } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './log';

let karte: KarteDb;
beforeAll(async () => {
  karte = await openTestDb();
});
afterAll(() => karte?.close());

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { log: createLogger(stream, 'info'), text: () => text };
}

describe('logs hold codes and ids, never patient data', () => {
  it('a failed query is logged with its SQLSTATE and constraint, without its parameters or text', async () => {
    await insertFacility(karte.db, { institutionCode: '0110113719', name: 'A' });
    let error: unknown;
    try {
      // A duplicate 医療機関コード with a recognisable value in another parameter.
      await insertFacility(karte.db, { institutionCode: '0110113719', name: '秘密山田花子1975' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    const { log, text } = capture();
    // As the API logs it: the raw error, and the tRPC error wrapping it (whose message repeats it).
    log.error({ err: error, path: 'x.y' }, 'procedure failed');
    log.error({ err: getTRPCErrorFromUnknown(error) }, 'trpc error');
    log.error(error as Error);
    const out = text();
    expect(out).not.toContain('秘密山田花子1975');
    expect(out).not.toContain('0110113719');
    expect(out).not.toMatch(/insert into/i);
    expect(out).toContain('23505'); // unique_violation
    expect(out).toContain('facilities_institutionCode_unique');
  });

  it('keeps the message of errors that are not about the database', () => {
    const { log, text } = capture();
    log.error({ err: new Error('share worker stopped') }, 'x');
    expect(text()).toContain('share worker stopped');
  });
});
