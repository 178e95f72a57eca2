import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const copy = new URL('../../test-vectors/copay-test-vectors.json', import.meta.url);
// The shared research folder beside the checkout (../shared from the repository root), when this machine has it.
const shared = new URL('../../../../../shared/billing-data/copay-test-vectors.json', import.meta.url);

describe('test-vectors/copay-test-vectors.json', () => {
  it('is a byte-identical copy of the shared vectors (or, without them here, still the vectors file)', () => {
    const ours = readFileSync(copy);
    if (existsSync(shared)) {
      expect(ours.equals(readFileSync(shared))).toBe(true);
    } else {
      const parsed = JSON.parse(ours.toString('utf8')) as { verbatim: unknown[] };
      expect(parsed.verbatim.length).toBeGreaterThan(0);
    }
  });
});
