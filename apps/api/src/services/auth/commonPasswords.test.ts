import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, isCommonPassword } from './commonPasswords';

describe('common passwords (server side of the password rule)', () => {
  it('knows passwords seen often in leaks, and the demo password', () => {
    for (const p of ['basketball', 'password123', '1qaz2wsx3edc', 'karte-demo'])
      expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword('sakura-kaze-72')).toBe(false);
  });

  it('refuses them with the message beside the field, whatever their case', () => {
    let error: unknown;
    try {
      assertPasswordAcceptable('newPassword', 'Basketball', 'nakamura');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).message).toMatch('推測されやすい');
    expect(() => assertPasswordAcceptable('newPassword', 'sakura-kaze-72', 'nakamura')).not.toThrow();
  });
});
