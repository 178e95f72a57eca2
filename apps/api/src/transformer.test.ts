import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { isPlainJson, transformer } from './transformer';

const plain = {
  encounters: [{ id: 'a', date: '2026-11-26', entries: [{ n: 1, ok: true, text: '主訴', none: null }] }],
  empty: {},
  list: [],
  nested: Object.assign(Object.create(null), { x: [1, 2.5, -3] }),
};

describe('tRPC transformer', () => {
  it('sends plain JSON as superjson would, without annotations', () => {
    expect(isPlainJson(plain)).toBe(true);
    expect(transformer.serialize(plain)).toEqual(superjson.serialize(plain));
    expect(superjson.deserialize(transformer.serialize(plain) as never)).toEqual(plain);
  });

  it.each([
    ['a Date', { at: new Date('2026-11-26T00:00:00Z') }],
    ['undefined in an object', { a: undefined }],
    ['undefined in an array', [1, undefined]],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    ['a hole in an array', [1, , 3]],
    ['a Map', { m: new Map([['k', 1]]) }],
    ['a Set', new Set([1])],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['-0', { z: -0 }],
    ['a bigint', { b: 10n }],
    ['a class instance', { u: new URL('https://example.jp/') }],
  ])('leaves %s to superjson, and it round-trips', (_, value) => {
    expect(isPlainJson(value)).toBe(false);
    expect(transformer.serialize(value)).toEqual(superjson.serialize(value));
    expect(superjson.deserialize(transformer.serialize(value) as never)).toEqual(value);
  });
});
