import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/** A refusal the form shows beside one field (`a.b` for nested fields), like the contract's own checks. */
export function fieldError(field: string, message: string, code: 'BAD_REQUEST' | 'CONFLICT' = 'BAD_REQUEST') {
  const path = field.split('.');
  const cause = new z.ZodError([{ code: 'custom', message, path, input: undefined }]);
  return new TRPCError({ code, message, cause });
}
