import { type BillingCase, BillingInputError, type PricedLine, type Tariff, type VisitInput } from '../types';
import { exclusiveAddOns, percentAddOns } from './addOns';
import { ageWindow } from './age';
import { bundleTests } from './bundle';
import { type DrugInput, drugLines } from './drugs';
import { MonthHistory } from './history';
import { judgementFees } from './judgement';
import { monthLimits } from './limits';
import { materialLine } from './materials';
import { outpatientManagement } from './outpatientMgmt';
import { procedureLine, resolveProcedure } from './procedures';
import { facilityStandards } from './standards';
import { drop, live, type WorkLine, warn } from './work';

export { BUNDLE_STEPS, type BundleStepTable } from './bundleSteps';
export { drugFeePoints } from './drugs';
export { JUDGEMENT_CODES } from './judgement';

export interface PointedVisit {
  date: string;
  points: number;
  lines: PricedLine[];
  warnings: string[];
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** Points per visit from the tariff valid on its date, each line with the rule that decided it. */
export function priceVisits(tariff: Tariff, input: BillingCase): PointedVisit[] {
  if (!ISO.test(input.birthDate))
    throw new BillingInputError(`生年月日が不正です: ${input.birthDate} / bad birthDate`);
  const months = new Map<string, MonthHistory>();
  const log = new Map<string, Map<string, number>>(); // the case's counts per code and month
  let previous = '';
  let newest: string | undefined;
  return input.visits.map((visit) => {
    if (!ISO.test(visit.date))
      throw new BillingInputError(`受診日が不正です: ${visit.date} / bad visit date`);
    if (visit.date < previous) {
      throw new BillingInputError(
        `受診日は日付順に並べてください: ${visit.date} が ${previous} の後にあります / visits out of order`,
      );
    }
    previous = visit.date;
    const month = visit.date.slice(0, 7);
    let history = months.get(month);
    if (!history) {
      history = new MonthHistory(log);
      months.set(month, history);
    }
    const priced = priceVisit(tariff, input, visit, history);
    if (visit.items) {
      newest ??= tariff.newestChange();
      if (newest && visit.date > newest) priced.warnings.unshift(outdatedMaster(visit.date, newest));
    }
    return priced;
  });
}

/** A visit after the newest loaded change may fall under a revision the loaded master does not have. */
export function outdatedMaster(date: string, newest: string): string {
  return `受診日 ${date} は読み込み済みマスターの最新の変更（${newest}）より後です。診療報酬改定があれば公式マスターを読み込んでください（npm run masters:import -- ファイル）`;
}

function priceVisit(
  tariff: Tariff,
  input: BillingCase,
  visit: VisitInput,
  history: MonthHistory,
): PointedVisit {
  const { date } = visit;
  if (visit.items && visit.points !== undefined) {
    throw new BillingInputError(
      `受診日 ${date}: items と points はどちらか一方を指定してください / give items or points`,
    );
  }
  if (!visit.items) {
    // priced elsewhere: pass the total through, count what it billed for month limits and 判断料
    if (visit.points === undefined || !Number.isInteger(visit.points)) {
      throw new BillingInputError(
        `受診日 ${date}: items か points（整数）が必要です / items or integer points required`,
      );
    }
    for (const b of visit.billedCodes ?? []) {
      history.add(date, resolveProcedure(tariff, b.code, date, '算定済みの診療行為'), b.count);
    }
    return { date, points: visit.points, lines: [], warnings: [] };
  }

  const warnings: string[] = [];
  const lines: WorkLine[] = [];
  const drugs: { input: DrugInput; order: number }[] = [];
  let lastSection = '80';
  visit.items.forEach((it, order) => {
    if ('code' in it) {
      const line = procedureLine(resolveProcedure(tariff, it.code, date), it.count ?? 1);
      lastSection = line.section;
      lines.push(line);
    } else if ('drug' in it) {
      drugs.push({ input: it, order });
    } else {
      // a material goes to the section of the procedure it was entered with (the one before it)
      lines.push(materialLine(tariff, it, date, lastSection));
    }
  });
  lines.push(...drugLines(tariff, drugs, date));

  for (const l of lines) {
    if (!l.item) continue;
    const age = ageWindow(l.item, input.birthDate, date);
    if (age.ok === false) drop(l, `${l.name}: 年齢条件（${age.why}）を満たさないため算定不可`);
    else if (age.ok === 'unknown') warn(l, `年齢条件（コード ${age.code}）は自動判定していません`, warnings);
  }
  monthLimits(lines, history, date, warnings);
  exclusiveAddOns(lines);
  percentAddOns(lines, warnings);
  bundleTests(lines, date, warnings);
  lines.push(...judgementFees(tariff, lines, date, history, warnings));
  outpatientManagement(lines, history.byDate.get(date) ?? []);
  facilityStandards(lines, input.facilityStandards ?? [], warnings);

  for (const l of lines) if (l.item && live(l)) history.add(date, l.item, l.count);
  const points = lines.reduce((s, l) => s + (live(l) ? l.points * l.count : 0), 0);
  return { date, points, lines: lines.map(toPriced), warnings };
}

/** The line without the master item the rules worked with. */
function toPriced(l: WorkLine): PricedLine {
  const out: PricedLine = {
    code: l.code,
    name: l.name,
    points: l.points,
    count: l.count,
    section: l.section,
    reason: l.reason,
    status: l.status,
  };
  if (l.warning) out.warning = l.warning;
  return out;
}
