import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { allFacilities, appendAudit, type Database, patientsWithSharedData } from '@karte/db';
import { warmUpValidator } from '@karte/fhir-mapping';
import { bundlesOfPatient } from './bundles';

export interface ExportReport {
  written: number;
  byKind: Record<string, number>;
  /** Every item not sent, with the reason (refused by the mapping or by the validator). */
  notSent: string[];
  files: string[];
}

/**
 * Writes, for every patient with data, the current JP_Bundle_CLINS Bundles and every finalised document
 * Bundle into `out`, one Bundle per JSON file named after its identifier. A Bundle with validation errors
 * is not written: its errors are reported instead. Audited per facility.
 */
export async function exportBundles(db: Database, out: string, now = new Date()): Promise<ExportReport> {
  warmUpValidator();
  mkdirSync(out, { recursive: true });
  const report: ExportReport = { written: 0, byKind: {}, notSent: [], files: [] };
  for (const facility of await allFacilities(db)) {
    const patients = await patientsWithSharedData(db, facility.id);
    let written = 0;
    for (const { id } of patients) {
      const result = await db.transaction((tx) => bundlesOfPatient(tx, facility.id, id, now));
      for (const r of result.refused) report.notSent.push(`${r.item}: ${r.reason}`);
      for (const b of result.bundles) {
        if (b.issues.length > 0) {
          report.notSent.push(
            `${b.identifier}: ${b.issues.map((i) => `${i.path} ${i.messageJa}`).join(' / ')}`,
          );
          continue;
        }
        const file = resolve(out, `${b.identifier.replaceAll('^', '_')}.json`);
        writeFileSync(file, `${JSON.stringify(b.bundle, null, 2)}\n`);
        report.files.push(file);
        report.byKind[b.kind] = (report.byKind[b.kind] ?? 0) + 1;
        written++;
      }
    }
    report.written += written;
    await appendAudit(db, {
      facilityId: facility.id,
      userId: null,
      patientId: null,
      action: 'export',
      procedure: 'cli.fhir-export',
      outcome: 'ok',
      detail: { patients: patients.length, bundles: written, out },
    });
  }
  return report;
}
