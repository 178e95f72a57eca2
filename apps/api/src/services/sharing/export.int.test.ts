import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateBundle } from '@karte/fhir-mapping';
import type { Bundle } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing';
import { exportBundles } from './export';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 120_000);
afterAll(() => app?.close());

describe('fhir export of the demo clinic', () => {
  it('writes every kind — conditions, allergies (with a drug contraindication), labs (with an infection result) and the three documents — and each validates', async () => {
    const out = mkdtempSync(join(tmpdir(), 'karte-export-'));
    const report = await exportBundles(app.karte.db, out);
    // The demo's history patients (7–36, demoHistory.ts) have no 保険: listed as not sent, with the reason.
    expect(report.notSent).toHaveLength(30);
    for (const line of report.notSent) expect(line).toMatch(/^患者 \d+: 保険が登録されていないため/);
    expect(report.byKind).toMatchObject({
      conditions: 1,
      allergies: 1,
      labs: 4, // patient 1's lab days: three months of history (every other month) and the demo chart's own
      referral: 1,
      discharge: 1,
      checkup: 1,
    });
    expect(report.files).toHaveLength(report.written);
    const bundles = report.files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Bundle);
    for (const b of bundles) expect(validateBundle(b), b.identifier?.value).toEqual([]);
    const resources = bundles.flatMap((b) => b.entry?.map((e) => e.resource) ?? []);
    expect(
      resources.some(
        (r) =>
          r?.resourceType === 'AllergyIntolerance' &&
          (r as { category?: string[] }).category?.includes('medication'),
      ),
    ).toBe(true);
    expect(
      resources.some((r) =>
        (r as { code?: { coding?: { system?: string }[] } }).code?.coding?.some((c) =>
          c.system?.endsWith('InfectionLabo_CS'),
        ),
      ),
    ).toBe(true);
    expect(resources.some((r) => r?.resourceType === 'MedicationRequest')).toBe(true);
    // A second export writes the same identifiers: a resend replaces.
    const again = await exportBundles(app.karte.db, mkdtempSync(join(tmpdir(), 'karte-export-')));
    expect(again.files.map((f) => f.split('/').at(-1))).toEqual(report.files.map((f) => f.split('/').at(-1)));
  }, 120_000);
});
