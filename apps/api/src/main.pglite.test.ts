/**
 * The real entry point as `npm start` runs it (the bundled dist/main.js, built by `npm test` first):
 * first boot on an empty folder, one owner per PGlite folder, graceful shutdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, '../dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'karte-main-'));
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(port: number) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    KARTE_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.KARTE_DEMO;
  const proc = spawn('node', [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let output = '';
  proc.stdout?.on('data', (c) => {
    output += c;
  });
  proc.stderr?.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, exited, output: () => output };
}

async function healthy(port: number) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return res.json();
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not healthy');
}

describe('npm start', () => {
  it('boots an empty folder into the demo clinic, refuses a second owner, and stops gracefully', async () => {
    expect(existsSync(main), 'apps/api/dist/main.js: run `npm test` (it builds first)').toBe(true);
    const first = start(3291);
    expect(await healthy(3291)).toMatchObject({
      status: 'ok',
      database: 'pglite',
      migrationLevel: 23,
      demo: true,
    });
    const page = await fetch('http://127.0.0.1:3291/patients/new'); // deep link: the SPA
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(first.output()).toContain('demo clinic seeded');

    const second = start(3292);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('別のプロセス');

    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dir, 'data', 'karte.lock'))).toBe(false);

    // A restart opens the same data and does not seed again.
    const again = start(3293);
    await healthy(3293);
    expect(again.output()).not.toContain('demo clinic seeded');
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
