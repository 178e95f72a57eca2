import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunningSimulator {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The share-service simulator (apps/share-sim) as its own process, the same way. */
export const startShareSimulator = (command: string[], env: Record<string, string> = {}) =>
  startEligibilitySimulator(command, env, 'share simulator');

/**
 * Starts the eligibility simulator as its own process on a free port and waits for the line
 * in which it says where it listens. `command` is e.g. ['apps/eligibility-sim/dist/main.js'].
 */
export function startEligibilitySimulator(
  command: string[],
  env: Record<string, string> = {},
  name = 'eligibility simulator',
): Promise<RunningSimulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KARTE_PARENT_PID: String(process.pid), ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not start`));
    }, 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code})`)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
