import { copayForVisits } from './copay';
import { priceVisits } from './rules';
import type { BillingCase, BillingResult, Tariff } from './types';

/** A case priced: points by the rules, then 窓口負担 over the month. */
export function calculate(tariff: Tariff, input: BillingCase): BillingResult {
  const pointed = priceVisits(tariff, input);
  const all = (input.publicSubsidies ?? []).map((p) => p.payerNumber);
  const copays = copayForVisits(
    {
      birthDate: input.birthDate,
      ratio: input.ratio,
      kubun: input.kubun,
      manyTimes: input.manyTimes,
      maruchoCapYen: input.maruchoCapYen,
      publicSubsidies: input.publicSubsidies ?? [],
    },
    pointed.map((v, i) => {
      const given = input.visits[i];
      return {
        date: v.date,
        points: v.points,
        publicSubsidies: given?.publicSubsidies ?? all,
        ...(given?.ratio !== undefined ? { ratio: given.ratio } : {}),
        ...(given?.insurer ? { insurer: given.insurer } : {}),
      };
    }),
  );
  return {
    visits: pointed.map((v, i) => {
      const c = copays[i];
      if (!c) throw new Error('copay missing for a visit');
      return { ...v, ...c };
    }),
  };
}
