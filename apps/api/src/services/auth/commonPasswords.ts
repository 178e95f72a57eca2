import { type CommonPasswordCheck, passwordProblem } from '@karte/domain';
import { TRPCError } from '@trpc/server';
import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

// The common-password list of zxcvbn-ts (about 49,000 passwords seen most often in leaks), lower-cased,
// plus the demo clinic's published password, which must never become a real one.
const common = new Set([...dictionary['passwords-common'].map((p) => p.toLowerCase()), 'karte-demo']);

export const isCommonPassword: CommonPasswordCheck = (lowered) => common.has(lowered);

/**
 * The whole password rule as the server applies it (the browser's zod contract has all of it but
 * the common-password list): throws BAD_REQUEST with the message beside `field`, as the contract would.
 */
export function assertPasswordAcceptable(field: string, password: string, loginId: string) {
  const problem = passwordProblem(password, loginId, isCommonPassword);
  if (!problem) return;
  const cause = z
    .object({ [field]: z.string().refine(() => false, problem) })
    .safeParse({ [field]: password }).error;
  throw new TRPCError({ code: 'BAD_REQUEST', message: problem, cause });
}
