/**
 * fhir_bundles_per_s: build and validate the JP_Bundle_CLINS Bundles (傷病名, アレルギー・薬剤禁忌, 検査・感染症)
 * of 1,000 patients (100 with --quick), in process, as the export and the share service do.
 * fhir_validation_share: the fraction of that time spent in validation (the official profiles through
 * Medplum + FHIRPath + the code lists), the rest being the mapping itself.
 */
import { buildClinsBundles, validateBundle, warmUpValidator } from '@karte/fhir-mapping';
import { at, chartFor, facility } from '@karte/fhir-mapping/testing';
import type { Figure } from './main';

export async function fhirBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  const patients = quick ? 100 : 1000;
  const t0 = performance.now();
  warmUpValidator();
  console.log(
    `  validator loaded in ${(performance.now() - t0).toFixed(0)} ms (once per process, not counted)`,
  );
  // Warm the JIT on a few patients first.
  for (let n = 1; n <= 5; n++)
    for (const b of buildClinsBundles(chartFor(n), facility, at).bundles) validateBundle(b.bundle);
  let build = 0;
  let validate = 0;
  let bundles = 0;
  let errors = 0;
  for (let n = 1; n <= patients; n++) {
    const a = performance.now();
    const built = buildClinsBundles(chartFor(n), facility, at).bundles;
    const b = performance.now();
    for (const x of built) errors += validateBundle(x.bundle).length;
    const c = performance.now();
    build += b - a;
    validate += c - b;
    bundles += built.length;
  }
  if (errors > 0) throw new Error(`${errors} validation errors in the benchmark's own Bundles`);
  const seconds = (build + validate) / 1000;
  console.log(
    `  ${patients} patients, ${bundles} Bundles: build ${build.toFixed(0)} ms, validate ${validate.toFixed(0)} ms`,
  );
  return [
    { name: 'fhir_bundles_per_s', value: bundles / seconds, unit: '/s', target: null },
    { name: 'fhir_validation_share', value: validate / (build + validate), unit: 'ratio', target: null },
  ];
}
