import { bundledTariff } from './bundled';
import { calculate } from './calculate';
import { billingCaseSchema, describeCaseError } from './caseSchema';
import { BillingInputError } from './types';

// npm run -s billing:calc < case.json — one case in (BillingCase), `{ "visits": [...] }` out, on the bundled
// masters. Bad input: exit 1 with one line naming the item; anything else: exit 2, one line, no stack trace.

function fail(code: number, message: string): never {
  process.stderr.write(`${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const text = await readStdin();
let json: unknown;
try {
  json = JSON.parse(text);
} catch (e) {
  fail(1, `JSONとして読めません / malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
}
const parsed = billingCaseSchema.safeParse(json);
if (!parsed.success) fail(1, describeCaseError(parsed.error));
try {
  const result = calculate(bundledTariff(), parsed.data);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (e) {
  if (e instanceof BillingInputError) fail(1, e.message);
  fail(2, `計算できませんでした / internal error: ${e instanceof Error ? e.message : String(e)}`);
}
