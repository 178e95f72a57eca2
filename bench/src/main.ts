/**
 * npm run bench [-- --quick] [-- --only NAME]
 * Writes bench-results.json: [{ name, value, unit, target }]. Budgets live here, never in unit tests.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditVerifyBench } from './auditVerify';
import { backupBench } from './backup';
import { billingBench } from './billing';
import { billingCalcBench } from './billingCalc';
import { calendarBench } from './calendar';
import { chartBench } from './chart';
import { checkinBench } from './checkin';
import { fhirBench } from './fhir';
import { loginBench } from './login';
import { ordersBench } from './orders';
import { patientSearch } from './patientSearch';
import { rezaiBench } from './rezai';
import { shareBench } from './share';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target: number | null;
  /** How the target reads: value must be ≤ target (default) or ≥ target ('min'). */
  note?: 'min';
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const suites: Record<string, (o: { quick: boolean }) => Promise<Figure[]>> = {
  patient_search: patientSearch,
  checkin: checkinBench,
  chart: chartBench,
  calendar: calendarBench,
  orders: ordersBench,
  fhir: fhirBench,
  share: shareBench,
  login: loginBench,
  billing_calc: billingCalcBench,
  billing: billingBench,
  backup: backupBench,
  audit_verify: auditVerifyBench,
  rezai: rezaiBench, // 再診を短く (issue #15)
};

const figures: Figure[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only && !name.startsWith(only) && !only.startsWith(name)) continue;
  console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
  figures.push(...(await suite({ quick })));
}

console.log('\n name                                   value        unit    target');
for (const f of figures) {
  const min = f.note === 'min';
  const ok = f.target === null ? '' : (min ? f.value >= f.target : f.value <= f.target) ? ' ✓' : ' ✗';
  console.log(
    ` ${f.name.padEnd(38)} ${f.value.toFixed(3).padStart(10)}  ${f.unit.padEnd(6)} ${f.target === null ? '' : `${min ? '≥' : '≤'} ${f.target}`}${ok}`,
  );
}
const out = join(new URL('../..', import.meta.url).pathname, 'bench-results.json');
// Figures of suites not run this time (--only) stay as they were.
const previous: Figure[] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : [];
const names = new Set(figures.map((f) => f.name));
const merged = [...previous.filter((f) => !names.has(f.name)), ...figures.map(({ note: _note, ...f }) => f)];
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
console.log(`\nwrote ${out}`);
process.exit(0);
