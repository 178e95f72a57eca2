/**
 * billing_visit_p95_ms: the calculator alone (rules + 窓口負担, in process, bundled masters already loaded) pricing
 * a case whose last visit has 40 lines, after 8 earlier visits of the same month entered with items (their
 * limits, 判断料 and same-day rules are part of the work). One call = calculate() of the whole case.
 */
import { type BillingCase, calculate, type ItemInput, type VisitInput } from '@karte/billing';
import { bundledTariff } from '@karte/billing/bundled';
import type { Figure } from './main';
import { p95, percentile, timeCalls } from './timing';

const codes = (...cs: string[]): ItemInput[] => cs.map((code) => ({ code }));

// 40 lines: 再診 + 管理, 採血, 血液学的・生化学(I) (まるめ 10項目以上), 腫瘍マーカー, 処置, 院内処方 (5 剤, 14 drugs), a film.
const BIG_VISIT: ItemInput[] = [
  ...codes(
    '112007410',
    '112011010',
    '113001810',
    '120001210',
    '120000710',
    '160095710',
    '160008010',
    '160010010',
  ),
  ...codes(
    '160022510',
    '160022610',
    '160020410',
    '160020910',
    '160023410',
    '160167250',
    '160019010',
    '160019210',
  ),
  ...codes(
    '160019310',
    '160019410',
    '160017410',
    '160020010',
    '160036510',
    '160036710',
    '160036910',
    '140002210',
  ),
  { drug: '620098801', amount: 3, days: 14, rp: 1 },
  { drug: '620452801', amount: 3, days: 14, rp: 1 },
  { drug: '620007870', amount: 1, days: 28, rp: 2 },
  { drug: '1149019F1ZZZ', amount: 2, days: 7, rp: 3 },
  { drug: '622234201', amount: 28, rp: 4 },
  { drug: '620098801', amount: 1, days: 5, rp: 5 },
  { drug: '620452801', amount: 1, days: 5, rp: 5 },
  { drug: '620007870', amount: 1, days: 5, rp: 5 },
  { drug: '1149019F1560', amount: 1, days: 3, rp: 6 },
  { drug: '620452801', amount: 2, days: 3, rp: 6 },
  { drug: '620098801', amount: 2, days: 10, rp: 7 },
  { drug: '620007870', amount: 2, days: 10, rp: 7 },
  { drug: '622234201', amount: 14, rp: 8 },
  { drug: '2171022F2ZZZ', amount: 1, days: 30, rp: 9 },
  { material: '700060000', amount: 2 },
  ...codes('160061810'),
];

const EARLIER = (day: number): VisitInput => ({
  date: `2024-07-${String(day).padStart(2, '0')}`,
  items: [
    ...codes(
      '112007410',
      '112011010',
      '113001810',
      '160095710',
      '160008010',
      '160022510',
      '160022610',
      '160020410',
    ),
    { drug: '620098801', amount: 3, days: 7, rp: 1 },
    { drug: '620452801', amount: 3, days: 7, rp: 1 },
  ],
});

/** The benchmark's case (exported for profiling). */
export function benchCase(): BillingCase {
  if (BIG_VISIT.length !== 40) throw new Error(`the bench visit must have 40 lines, has ${BIG_VISIT.length}`);
  return {
    birthDate: '1958-03-14',
    ratio: 3,
    visits: [...[1, 4, 8, 11, 15, 18, 22, 25].map(EARLIER), { date: '2024-07-29', items: BIG_VISIT }],
  };
}

export async function billingCalcBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const input = benchCase();
  const t0 = performance.now();
  const tariff = bundledTariff();
  const first = calculate(tariff, input); // loads the masters it needs
  console.log(
    `  masters loaded and first case priced in ${(performance.now() - t0).toFixed(0)} ms (not counted)`,
  );
  const last = first.visits.at(-1);
  console.log(`  last visit: ${last?.lines.length} lines, ${last?.points} 点, 窓口 ${last?.patientYen} 円`);
  const times = await timeCalls(quick ? 200 : 2000, async () => calculate(tariff, input), quick ? 50 : 200);
  console.log(
    `  ${times.length} calls: p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms`,
  );
  return [{ name: 'billing_visit_p95_ms', value: p95(times), unit: 'ms', target: 5 }];
}
