import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/** A refusal the form shows beside one field (`a.b` for nested fields), like the contract's own checks. */
export function fieldError(field: string, message: string, code: 'BAD_REQUEST' | 'CONFLICT' = 'BAD_REQUEST') {
  const cause = z
    .object({ [field]: z.string().refine(() => false, message) })
    .safeParse({ [field]: '' }).error;
  return new TRPCError({ code, message, cause });
}
