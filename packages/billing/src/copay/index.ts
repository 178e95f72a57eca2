import type { CopayStep, PublicSubsidyInput } from '../types';

/** Who pays: the patient's insurance facts for 窓口負担. */
export interface CopayContext {
  birthDate: string;
  ratio?: 0 | 1 | 2 | 3;
  kubun?: string;
  manyTimes?: boolean;
  maruchoCapYen?: number;
  publicSubsidies: PublicSubsidyInput[];
}

/** One visit's insured total and the 公費 that apply to it. */
export interface CopayVisit {
  date: string;
  points: number;
  publicSubsidies: string[]; // payerNumbers (of the context's) that apply
}

export interface VisitCopay {
  patientYen: number; // window amount, 10円 rounded
  patientRawYen: number;
  insurerYen: number;
  publicYen: number;
  publicByPayer: { payerNumber: string; yen: number }[];
  ratio: number;
  ratioReason: string;
  steps: CopayStep[];
}

/**
 * 窓口負担 per visit for one patient's visits in date order: the month's cumulative share (1-yen units:
 * ratio, 公費 chain, 高額療養費) charged as round10(cum_n − cum_(n−1)) (NOTES §3.1, §3.7).
 */
export function copayForVisits(_ctx: CopayContext, _visits: CopayVisit[]): VisitCopay[] {
  throw new Error('copayForVisits: not implemented yet');
}
