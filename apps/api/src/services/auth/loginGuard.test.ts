import { describe, expect, it } from 'vitest';
import { HashQueue, TokenBuckets } from './loginGuard';

const deferred = () => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('the password-hashing queue', () => {
  it('refuses at once beyond its length, serves addresses in turn and known browsers on their own slot', async () => {
    const q = new HashQueue(1, 3);
    const order: string[] = [];
    const gate = deferred();
    const job = (name: string, address: string, preferred = false) =>
      q.run(address, preferred, async () => {
        order.push(name);
        if (name === 'first') await gate.promise;
      });
    const first = job('first', 'a');
    const queued = [job('a1', 'a'), job('a2', 'a'), job('b1', 'b')];
    // Full: the next one is refused without waiting, by precheck and by run alike.
    expect(() => q.precheck(false)).toThrow(/混み合っています/);
    await expect(job('c1', 'c')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // A browser that signed in before runs now, on the reserved slot.
    expect(() => q.precheck(true)).not.toThrow();
    await job('known', 'k', true);
    expect(order).toEqual(['first', 'known']);
    gate.resolve();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(['first', 'known', 'a1', 'b1', 'a2']);
  });
});

describe('token buckets', () => {
  it('allow a burst, then the refill rate; a success gives its token back', () => {
    const b = new TokenBuckets(3, 60); // one a second
    const t = 1_000_000;
    expect([b.take('x', t), b.take('x', t), b.take('x', t), b.take('x', t)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(b.take('y', t)).toBe(true); // another key has its own
    expect(b.take('x', t + 1000)).toBe(true);
    expect(b.take('x', t + 1000)).toBe(false);
    b.give('x', t + 1000);
    expect(b.has('x', t + 1000)).toBe(true);
  });
});
