import { doseText, durationText } from '@karte/domain';
import type { PrescriptionRecord } from '../records';

/** Printed lines of a prescription: each drug with its amount, then the 用法 and duration of its RP. */
export const doseLine = (p: PrescriptionRecord) =>
  p.content.rps.flatMap((rp, i) => [
    ...rp.drugs.map((d, j) => `${j === 0 ? `Rp${i + 1} ` : '    '}${d.name} ${doseText(rp, d)}`),
    `    ${rp.usageText} ${durationText(rp)}`.trimEnd(),
  ]);
