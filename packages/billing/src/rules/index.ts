import type { BillingCase, PricedLine, Tariff } from '../types';

export interface PointedVisit {
  date: string;
  points: number;
  lines: PricedLine[];
  warnings: string[];
}

/** Points per visit from the tariff valid on its date, each line with the rule that decided it. */
export function priceVisits(_tariff: Tariff, _input: BillingCase): PointedVisit[] {
  throw new Error('priceVisits: not implemented yet');
}
