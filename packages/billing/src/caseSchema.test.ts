import { describe, expect, it } from 'vitest';
import { billingCaseSchema, describeCaseError } from './caseSchema';

const ok = {
  birthDate: '1984-05-10',
  ratio: 3,
  kubun: 'ウ',
  publicSubsidies: [{ payerNumber: '54136015', monthlyCapYen: 10000 }],
  visits: [
    {
      date: '2024-07-03',
      items: [{ code: '112007410' }, { drug: '1149019F1ZZZ', amount: 3, days: 7, rp: 1 }],
    },
    { date: '2024-07-20', points: 4000, billedCodes: [{ code: '160061910', count: 1 }] },
  ],
};
const problem = (input: unknown) => {
  const r = billingCaseSchema.safeParse(input);
  return r.success ? 'ok' : describeCaseError(r.error);
};

describe('billingCaseSchema', () => {
  it('accepts the issue example shape', () => {
    expect(problem(ok)).toBe('ok');
  });

  it('names the field of the first problem', () => {
    expect(problem({ ...ok, ratio: 4 })).toMatch(/^入力が不正です: ratio/);
    expect(problem({ ...ok, visits: [{ date: '2024-07-03', items: [{ code: '1120074' }] }] })).toBe(
      '入力が不正です: visits.0.items.0.code: 診療行為コードは9桁の数字です',
    );
    expect(problem({ ...ok, visits: [{ date: '2024-07-03', points: 10, items: [] }] })).toMatch(
      /items と points/,
    );
    expect(problem({ ...ok, visits: [] })).toMatch(/受診が1件以上必要です/);
    expect(problem({ ...ok, extra: 1 })).toMatch(/^入力が不正です/);
  });

  it('refuses visits out of date order', () => {
    expect(problem({ ...ok, visits: [...ok.visits].reverse() })).toMatch(/日付順/);
  });
});
