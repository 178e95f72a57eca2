/** Latency measuring shared by the benches: warm up, then time each call one after another. */
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number;
};
export const p95 = (xs: number[]) => percentile(xs, 0.95);

/** Milliseconds of each of `calls` sequential calls of `fn(i)`, after `warmup` untimed calls. */
export async function timeCalls(calls: number, fn: (i: number) => Promise<unknown>, warmup = 0) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times;
}
