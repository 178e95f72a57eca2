import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError } from './lock';
import { openDb } from './open';

const dir = mkdtempSync(join(tmpdir(), 'karte-lock-'));
// Every migration of the journal is applied on open.
const journal = JSON.parse(
  readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8'),
);
const level: number = journal.entries.length;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite data folder', () => {
  it.runIf(process.env.KARTE_TEST_DB !== 'postgres')(
    'is owned by one opener at a time; a second fails at once',
    async () => {
      const first = await openDb({ dataDir: join(dir, 'nested', 'data') }); // parent folders are created
      try {
        expect(await first.migrationLevel()).toBe(level);
        await expect(openDb({ dataDir: join(dir, 'nested', 'data') })).rejects.toBeInstanceOf(
          DataDirLockedError,
        );
      } finally {
        await first.close();
      }
      const again = await openDb({ dataDir: join(dir, 'nested', 'data') });
      expect(await again.migrationLevel()).toBe(level);
      await again.close();
    },
  );
});
