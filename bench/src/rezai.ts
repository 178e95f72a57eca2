/**
 * 再診を短く (issue #15): the doctor's keys and clicks for a Do 再診 — board → chart → 前回Do → 確定 both + 会計待 —
 * as counted by the browser test e2e/src/rezai.spec.ts, run here against what `npm run bench` built, on a fresh
 * embedded database and a free port.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with the test runner script
import { chromiumMissing, findChromium } from '../../scripts/find-chromium.mjs';
import type { Figure } from './main';

const root = new URL('../..', import.meta.url).pathname;

const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A free port whose neighbour below is free too (the e2e config puts the share simulator there). */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    if (port > 1025 && (await free(port - 1))) return port;
  }
  throw new Error('no free port pair for the browser test');
}

export async function rezaiBench(_o: { quick: boolean }): Promise<Figure[]> {
  const chromium: string | null = await findChromium();
  if (!chromium) throw new Error(chromiumMissing);
  const dir = mkdtempSync(join(tmpdir(), 'karte-bench-rezai-'));
  const result = join(dir, 'rezai.json');
  const port = await freePortPair();
  // A fresh embedded database of its own, never DATABASE_URL's.
  const { DATABASE_URL: _db, DATABASE_OWNER_URL: _owner, ...env } = process.env;
  const run = spawnSync('npx', ['playwright', 'test', 'src/rezai.spec.ts', '--reporter=list'], {
    cwd: join(root, 'e2e'),
    stdio: 'inherit',
    env: {
      ...env,
      CHROMIUM_PATH: chromium,
      E2E_PORT: String(port),
      E2E_DATA_DIR: join(dir, 'data'),
      REZAI_RESULT: result,
    },
  });
  try {
    const figure = JSON.parse(readFileSync(result, 'utf8')) as {
      rezai_do_actions: number;
      keys: number;
      clicks: number;
    };
    console.log(
      `  Do 再診: ${figure.rezai_do_actions} actions (${figure.keys} keys, ${figure.clicks} clicks)${run.status === 0 ? '' : ' — the browser test failed'}`,
    );
    if (run.status !== 0) throw new Error('rezai.spec.ts failed: the figure is not valid');
    return [{ name: 'rezai_do_actions', value: figure.rezai_do_actions, unit: 'actions', target: 8 }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
