import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Composition, Observation, Patient } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateBundle, validateResourceAgainstProfile, warmUpValidator } from './index';
import { definitionsDir, vendorDefinitions } from './vendor';

// The official snapshots and examples (../shared/fhir): the vendored definitions must be what they give.
const fhirDir = fileURLToPath(new URL('../../../../../shared/fhir/', import.meta.url));
const read = (dir: string) =>
  readdirSync(join(fhirDir, dir))
    .filter((f) => f.endsWith('.json') && !f.startsWith('package'))
    .map((f) => JSON.parse(readFileSync(join(fhirDir, dir, f), 'utf8')));
const example = <T>(path: string): T => JSON.parse(readFileSync(join(fhirDir, path), 'utf8'));
const errors = (b: Bundle) => validateBundle(b).map((i) => `${i.path}: ${i.message}`);

beforeAll(() => warmUpValidator(), 60_000);

describe('vendored definitions', () => {
  it('are exactly what scripts/vendor.ts makes of the official packages', () => {
    const made = vendorDefinitions(read);
    for (const [name, content] of Object.entries(made))
      expect(JSON.parse(readFileSync(join(definitionsDir, name), 'utf8')), name).toEqual(content);
  }, 60_000);
});

describe('official examples', () => {
  const files = [
    ...readdirSync(join(fhirDir, 'jp-clins-1.5.2/examples')).map((f) => `jp-clins-1.5.2/examples/${f}`),
    ...readdirSync(join(fhirDir, 'echeckup-1.5.0/examples')).map((f) => `echeckup-1.5.0/examples/${f}`),
  ];
  const valid = files.filter((f) => !f.includes('ErrorExample'));

  it.each(valid)('%s has no errors', (file) => {
    const r = example<Bundle>(file);
    const issues = r.resourceType === 'Bundle' ? validateBundle(r) : validateResourceAgainstProfile(r);
    expect(issues).toEqual([]);
  });

  it('finds the error of the error example that breaks R3010', () => {
    const r = example<Bundle>(
      'jp-clins-1.5.2/examples/MedicationRequest-ErrorExample-JP-MedReq-ExtEye-Total1.json',
    );
    expect(
      validateResourceAgainstProfile(r)
        .map((i) => i.message)
        .join(),
    ).toMatch(/needs-anyOfStandardCode/);
  });
});

describe('mutated copies fail', () => {
  const labs = () =>
    example<Bundle>('jp-clins-1.5.2/examples/Bundle-Bundle-CLINS-Observations-Example-01.json');
  const referral = () =>
    example<Bundle>('jp-clins-1.5.2/examples/Bundle-Bundle-CLINS-Referral-Example-01.json');
  const checkup = () =>
    example<Bundle>('echeckup-1.5.0/examples/Bundle-Bundle-eCheckupReport-Sample-01.json');

  it('a required element removed (Patient.birthDate)', () => {
    const b = labs();
    delete (b.entry![0]!.resource as Patient).birthDate;
    expect(errors(b).join('\n')).toMatch(/entry\[0\].*birthDate|Missing required property/);
  });

  it('the insured-person identifier broken (R1013)', () => {
    const b = labs();
    const p = b.entry![0]!.resource as Patient;
    const id = p.identifier?.find((i) => i.system?.endsWith('JP_Insurance_memberID'));
    if (id) id.value = '12345:あいう:187:5';
    expect(errors(b).join('\n')).toMatch(/R1013|insurance-memberID|Constraint/);
  });

  it('the Bundle identifier broken (R2152)', () => {
    const b = labs();
    if (b.identifier) b.identifier.value = '1318814790-2024-x';
    expect(errors(b).join('\n')).toMatch(/R2152|Constraint/);
  });

  it('the institution-number extension removed from a lab result (R9011 / R901101)', () => {
    const b = labs();
    const o = b.entry![1]!.resource as Observation;
    o.extension = o.extension?.filter((e) => !e.url.endsWith('JP_eCS_InstitutionNumber'));
    expect(errors(b).length).toBeGreaterThan(0);
  });

  it('a JLAC code outside its item list', () => {
    const b = labs();
    const coding = (b.entry![1]!.resource as Observation).code.coding?.find((c) => c.display === 'ALB');
    if (coding) coding.code = '3H015000002326101'; // the K code under the ALB slice
    expect(errors(b).join('\n')).toMatch(/not in the ValueSet of ALB/);
  });

  it('a required section removed from a referral (340 傷病名・主訴)', () => {
    const b = referral();
    const c = b.entry![0]!.resource as Composition;
    const structured = c.section?.find((s) => s.code?.coding?.[0]?.code === '300');
    if (structured)
      structured.section = structured.section?.filter((s) => s.code?.coding?.[0]?.code !== '340');
    expect(
      validateBundle(b)
        .map((i) => i.messageJa)
        .join('\n'),
    ).toMatch(/必須のセクション「傷病名・主訴」/);
  });

  it('a Condition without its MEDIS coding in a referral', () => {
    const b = referral();
    const cond = b.entry?.find((e) => e.resource?.resourceType === 'Condition')?.resource as unknown as {
      code: { coding: { system: string }[] };
    };
    cond.code.coding = cond.code.coding.filter((c) => !c.system.includes('medis'));
    expect(errors(b).length).toBeGreaterThan(0);
  });

  it('a checkup report whose Patient lost its name', () => {
    const b = checkup();
    const p = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient;
    delete p.name;
    expect(errors(b).length).toBeGreaterThan(0);
  });

  it('a checkup report whose Bundle type is not document', () => {
    const b = checkup();
    b.type = 'collection';
    expect(errors(b).length).toBeGreaterThan(0);
  });
});
