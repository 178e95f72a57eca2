/**
 * Every vector of test-vectors/copay-test-vectors.json (a verbatim copy of ../shared/billing-data/copay-test-vectors.json):
 * monthly vectors through `monthlyShare`, per-visit and cumulative ones through `copayForVisits`. Each vector's inputs are
 * read as they are written; every expected field is checked, and a field this file does not know fails the test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PublicSubsidyInput } from '../types';
import { type CopayContext, copayForVisits } from './index';
import { type MonthContext, type MonthShare, type MonthVisit, monthlyShare } from './month';
import { lawNumber, payerRule } from './publicRules';

type Json = Record<string, unknown>;
const file = JSON.parse(
  readFileSync(new URL('../../test-vectors/copay-test-vectors.json', import.meta.url), 'utf8'),
) as { verbatim: Json[]; derived_per_visit: Json[]; derived_cumulative: Json[] };

const num = (v: unknown): number => {
  if (typeof v !== 'number') throw new Error(`expected a number, got ${JSON.stringify(v)}`);
  return v;
};
/** A payerNumber for a 法別番号 (the engine reads the first two digits; the rest is a plausible 8-digit number). */
const payerNumberOf = (houbetsu: number | string): string => `${String(houbetsu).padStart(2, '0')}136015`;

/** The vectors give no dates: monthly cases are priced in 2024-06 (the 2018-08 tables and the 配慮措置 in force). */
const monthDate = '2024-06-01';

/** A 公費 as a vector writes it: {houbetsu, cap, rule} or 'NN(cap 5000)' / 'NN(5%)' / 'NN'. */
function publicOf(
  houbetsu: number | string,
  cap: number | undefined,
  stated: string | undefined,
): PublicSubsidyInput {
  const p: PublicSubsidyInput = { payerNumber: payerNumberOf(houbetsu), monthlyCapYen: cap };
  if (stated) {
    // The vector states the 公費's own rule (e.g. 結核 5%, 更生医療 1割): it must be the one our table holds.
    const rule = payerRule(p);
    const rate = stated.endsWith('%')
      ? Number(stated.slice(0, -1)) / 100
      : Number(stated.replace('割', '')) / 10;
    expect(rule).toEqual({ kind: 'rate', rate });
  }
  return p;
}

function parsePayer(text: string): PublicSubsidyInput {
  const m = /^(\d+)(?:\((?:cap (\d+)|([\d.]+%|\d割))\))?$/.exec(text);
  if (!m) throw new Error(`unknown payer ${text}`);
  return publicOf(m[1] as string, m[2] === undefined ? undefined : Number(m[2]), m[3]);
}

const known = new Set([
  'unit',
  'points',
  'bill_yen',
  'bills',
  'ratio',
  'age',
  'kubun',
  'kouhi',
  'marucho_cap',
  'outpatient',
  'inpatient',
  'month_of_75th_birthday',
  'tasuu',
]);

function monthCase(inputs: Json): { ctx: MonthContext; visits: MonthVisit[] } {
  for (const k of Object.keys(inputs)) if (!known.has(k)) throw new Error(`unknown input ${k}`);
  expect(inputs.unit).toBe('month');
  const ratio = num(inputs.ratio);
  const subsidies: PublicSubsidyInput[] = [];
  const add = (p: PublicSubsidyInput) => {
    if (!subsidies.some((s) => s.payerNumber === p.payerNumber)) subsidies.push(p);
    return p.payerNumber;
  };
  const listed = ((inputs.kouhi as Json[] | undefined) ?? []).map((k) =>
    add(
      publicOf(num(k.houbetsu), k.cap === undefined ? undefined : num(k.cap), k.rule as string | undefined),
    ),
  );
  let visits: MonthVisit[];
  if (inputs.bills) {
    visits = (inputs.bills as Json[]).map((b) => {
      const payers = (b.payers as string[]).filter((p) => p !== 'hoken').map((p) => add(parsePayer(p)));
      expect((b.payers as string[])[0]).toBe('hoken');
      return { medicalYen: num(b.points) * 10, ratio, payers };
    });
  } else {
    const medicalYen = inputs.points !== undefined ? num(inputs.points) * 10 : num(inputs.bill_yen);
    visits = [{ medicalYen, ratio, payers: listed }];
  }
  if (inputs.age !== undefined) expect(['<70', '>=70']).toContain(inputs.age);
  return {
    ctx: {
      date: monthDate,
      kubun: inputs.kubun as string | undefined,
      elderly: inputs.age === '>=70',
      turning75: inputs.month_of_75th_birthday === true,
      manyTimes: inputs.tasuu === true,
      maruchoCapYen: inputs.marucho_cap === undefined ? undefined : num(inputs.marucho_cap),
      inpatient: inputs.inpatient === true,
      publicSubsidies: subsidies,
    },
    visits,
  };
}

const publicGroups = (s: MonthShare) => s.groups.filter((g) => g.payers.length > 0);
function onlyPublicGroup(s: MonthShare) {
  const groups = publicGroups(s);
  expect(groups).toHaveLength(1);
  return groups[0] as MonthShare['groups'][number];
}
const groupWith = (s: MonthShare, law: string) => {
  const groups = publicGroups(s).filter((g) => g.payers.some((p) => lawNumber(p) === law));
  expect(groups).toHaveLength(1);
  return groups[0] as MonthShare['groups'][number];
};

describe('verbatim vectors (monthly totals, 1-yen units)', () => {
  it.each(file.verbatim.map((v) => [v.id as string, v] as const))('%s', (_id, v) => {
    const { ctx, visits } = monthCase(v.inputs as Json);
    const share = monthlyShare(ctx, visits);
    const expected = v.expected as Json;
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    for (const [field, value] of Object.entries(expected)) {
      const want = num(value);
      switch (field) {
        case 'patient_yen':
        case 'patient_yen_total':
          expect(share.patientYen, field).toBe(want);
          break;
        case 'kouhi_pays_yen':
          expect(share.publicYen, field).toBe(want);
          break;
        case 'insurer_pays_yen':
          expect(share.insurerYen, field).toBe(want);
          break;
        case 'insurer_uncovered_yen': // what the insurer leaves after 高額療養費 (医療費 − 保険者負担)
          expect(share.medicalYen - share.insurerYen, field).toBe(want);
          break;
        case 'kouhi_kakari_yen':
          expect(onlyPublicGroup(share).kakariYen, field).toBe(want);
          break;
        case 'patient_yen_under_kouhi':
          expect(onlyPublicGroup(share).patientYen, field).toBe(want);
          break;
        case 'kouhi54_kakari_yen':
          expect(groupWith(share, '54').kakariYen, field).toBe(want);
          break;
        case 'kouhi12_kakari_yen':
          expect(groupWith(share, '12').kakariYen, field).toBe(want);
          break;
        case 'limit_yen': {
          expect(share.groups).toHaveLength(1);
          const g = share.groups[0] as MonthShare['groups'][number];
          expect(g.limit?.yen, field).toBe(want);
          // The vector's note: the patient pays the lower of the 割合 share and the limit.
          expect(share.patientYen).toBe(Math.min(g.shareYen, want));
          break;
        }
        default:
          throw new Error(`unchecked expected field ${field}`);
      }
    }
  });
});

/** A birth date that gives the vector's age group (the ratio itself is given): 3割 adult, 2割 70–74 or 未就学, 1割 75+. */
function birthFor(ratio: number, title: string): string {
  if (ratio === 2 && /未就学|マル乳/.test(title)) return '2021-05-10';
  return ratio === 3 ? '1980-04-10' : ratio === 2 ? '1953-05-10' : '1945-05-10';
}

/** The vector's tariff period ('2024-06..2026-05', '2026-06..', 'any') → a visit date inside it. */
function dateFor(tariff: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(tariff);
  return m ? `${m[1]}-${m[2]}-10` : '2024-06-10';
}

/**
 * The 公費 of a per-visit vector is named only in its title: 東京都 マル乳 (全額助成) and マル子 (通院1回200円),
 * both 法別88 (NOTES §3.5).
 */
function localFromTitle(title: string): PublicSubsidyInput[] {
  if (title.includes('マル乳')) return [{ payerNumber: '88136015', local: { kind: 'full' } }];
  if (title.includes('マル子')) {
    const yen = Number(/(\d+)円/.exec(title)?.[1]); // 'マル子 (… 通院1回200円 …)', 'マル子, … below 200円'
    expect(yen).toBeGreaterThan(0);
    return [{ payerNumber: '88136015', local: { kind: 'perVisit', yen } }];
  }
  return [];
}

describe('derived per-visit vectors (window amounts)', () => {
  it.each(file.derived_per_visit.map((v) => [v.id as string, v] as const))('%s', (_id, v) => {
    const inputs = v.inputs as Json;
    const title = v.title as string;
    const ratio = num(inputs.ratio) as 1 | 2 | 3;
    const points = (inputs.lines as Json[]).reduce((a, l) => a + num(l.points), 0);
    const subsidies = localFromTitle(title);
    const ctx: CopayContext = { birthDate: birthFor(ratio, title), ratio, publicSubsidies: subsidies };
    const [visit] = copayForVisits(ctx, [
      { date: dateFor(v.tariff as string), points, publicSubsidies: subsidies.map((s) => s.payerNumber) },
    ]);
    if (!visit) throw new Error('no result');
    const expected = v.expected as Json;
    for (const [field, value] of Object.entries(expected)) {
      const want = num(value);
      switch (field) {
        case 'points':
          expect(points, field).toBe(want);
          break;
        case 'raw_yen': // the insurance 割合 share before any 公費, 1-yen units
          expect(visit.steps[0]?.yen, field).toBe(want);
          if (subsidies.length === 0) expect(visit.patientRawYen, field).toBe(want);
          break;
        case 'window_yen':
          expect(visit.patientYen, field).toBe(want);
          break;
        case 'kouhi_pays_yen':
          expect(visit.publicYen, field).toBe(want);
          break;
        default:
          throw new Error(`unchecked expected field ${field}`);
      }
    }
    expect(visit.ratio).toBe(ratio);
  });
});

describe('derived cumulative vectors (window amounts over a month)', () => {
  it.each(file.derived_cumulative.map((v) => [v.id as string, v] as const))('%s', (_id, v) => {
    const inputs = v.inputs as Json;
    const ratio = num(inputs.ratio) as 0 | 1 | 2 | 3;
    const subsidies = ((inputs.kouhi as Json[] | undefined) ?? []).map((k) =>
      publicOf(num(k.houbetsu), k.cap === undefined ? undefined : num(k.cap), undefined),
    );
    const birthDate =
      inputs.age === '>=70' ? '1953-05-10' : inputs.age === '<6' ? '2021-05-10' : '1980-04-10';
    const ctx: CopayContext = {
      birthDate,
      ratio,
      kubun: inputs.kubun as string | undefined,
      publicSubsidies: subsidies,
    };
    const points = inputs.visits_points as number[];
    const result = copayForVisits(
      ctx,
      points.map((p, i) => ({
        date: `2025-11-${String(10 + i).padStart(2, '0')}`,
        points: p,
        publicSubsidies: subsidies.map((s) => s.payerNumber),
      })),
    );
    const expected = v.expected as Json;
    for (const [field, value] of Object.entries(expected)) {
      switch (field) {
        case 'window_yen_per_visit':
          expect(result.map((r) => r.patientYen)).toEqual(value);
          break;
        default:
          throw new Error(`unchecked expected field ${field}`);
      }
    }
    if (inputs.outpatient !== undefined) expect(inputs.outpatient).toBe(true); // copayForVisits prices outpatient visits
  });
});

describe('the vectors file', () => {
  it('holds every vector of NOTES §3.8', () => {
    const ids = [...file.verbatim, ...file.derived_per_visit, ...file.derived_cumulative].map((v) => v.id);
    expect(ids.filter((id) => String(id).startsWith('V'))).toHaveLength(42);
    expect(ids).toEqual(expect.arrayContaining(['D02', 'D12', 'D13a', 'D13c', 'D14a', 'D15c', 'D16']));
  });
});
