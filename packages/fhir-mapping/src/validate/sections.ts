import type { Bundle, BundleEntry, Composition, CompositionSection } from 'fhir/r4';
import type { ValidationIssue } from './issue';

// biome-ignore lint/suspicious/noExplicitAny: ElementDefinition JSON of a snapshot
type Element = any;

interface SectionSlice {
  id: string; // element id, e.g. Composition.section:compositionSection.section:problemSection
  code: string;
  min: number;
  max: string;
  title?: string;
  display?: string;
  entryMin: number;
  entryProfiles: string[];
  children: SectionSlice[];
}

const fixedOf = (e: Element | undefined) =>
  e ? (e.fixedCode ?? e.fixedUri ?? e.fixedString ?? e.patternString ?? e.patternCode) : undefined;

/**
 * The section tree a Composition profile declares: slices of Composition.section and their sub-sections,
 * each with its code (fixed on code.coding.code or a pattern on code), cardinality, title and what entries
 * may point at. Read from the official snapshot, so a newer package brings its own rules.
 */
export function sectionTree(elements: Element[]): SectionSlice[] {
  const byId = new Map<string, Element>(elements.map((e) => [e.id, e]));
  const slicesUnder = (parentPath: string, parentId: string): SectionSlice[] =>
    elements
      .filter(
        (e) =>
          e.sliceName &&
          e.path === parentPath &&
          e.id.startsWith(`${parentId}:`) &&
          !e.id.slice(parentId.length + 1).includes('.'),
      )
      .map((e) => {
        const code =
          fixedOf(byId.get(`${e.id}.code.coding.code`)) ??
          (byId.get(`${e.id}.code`)?.patternCodeableConcept?.coding?.[0]?.code as string | undefined);
        const entry = byId.get(`${e.id}.entry`);
        return {
          id: e.id,
          code: code ?? '',
          min: e.min ?? 0,
          max: e.max ?? '*',
          title: fixedOf(byId.get(`${e.id}.title`)),
          display: fixedOf(byId.get(`${e.id}.code.coding.display`)),
          entryMin: entry?.min ?? 0,
          entryProfiles: (entry?.type ?? []).flatMap((t: Element) => t.targetProfile ?? []),
          children: slicesUnder(`${e.path}.section`, `${e.id}.section`),
        };
      })
      .filter((s) => s.code);
  return slicesUnder('Composition.section', 'Composition.section');
}

const codeOf = (s: CompositionSection) => s.code?.coding?.[0]?.code;

/** Checks a document's sections against the tree: presence, count, title, narrative and entry targets. */
export function checkSections(
  bundle: Bundle,
  tree: SectionSlice[],
  typeOfProfile: (url: string) => string | undefined,
): ValidationIssue[] {
  const composition = bundle.entry?.[0]?.resource as Composition | undefined;
  if (composition?.resourceType !== 'Composition') return [];
  const byUrl = new Map<string, BundleEntry>((bundle.entry ?? []).map((e) => [e.fullUrl ?? '', e]));
  const issues: ValidationIssue[] = [];
  const walk = (sections: CompositionSection[], slices: SectionSlice[], path: string) => {
    for (const slice of slices) {
      const found = sections.filter((s) => codeOf(s) === slice.code);
      const label = slice.title ?? slice.code;
      if (found.length < slice.min)
        issues.push({
          severity: 'error',
          path,
          message: `Section ${slice.code} (${slice.id}) is required`,
          messageJa: `必須のセクション「${label}」(${slice.code}) がありません`,
        });
      if (slice.max !== '*' && found.length > Number(slice.max))
        issues.push({
          severity: 'error',
          path,
          message: `Section ${slice.code} appears ${found.length} times (max ${slice.max})`,
          messageJa: `セクション「${label}」は${slice.max}つまでです`,
        });
      found.forEach((s, i) => {
        const at = `${path}.section[${sections.indexOf(s)}]`;
        if (slice.title && s.title !== slice.title)
          issues.push({
            severity: 'error',
            path: `${at}.title`,
            message: `Section ${slice.code} title must be "${slice.title}"`,
            messageJa: `セクション ${slice.code} の表題は「${slice.title}」です`,
          });
        if (slice.display && s.code?.coding?.[0]?.display !== slice.display)
          issues.push({
            severity: 'error',
            path: `${at}.code.coding[0].display`,
            message: `Section ${slice.code} display must be "${slice.display}"`,
            messageJa: `セクション ${slice.code} の表示名は「${slice.display}」です`,
          });
        if ((s.entry?.length ?? 0) < slice.entryMin)
          issues.push({
            severity: 'error',
            path: `${at}.entry`,
            message: `Section ${slice.code} needs at least ${slice.entryMin} entries`,
            messageJa: `セクション「${label}」に必要な項目がありません`,
          });
        // Karte's own rule on top of the IG: every leaf section carries a narrative.
        if (!s.text?.div && !s.section?.length)
          issues.push({
            severity: 'error',
            path: `${at}.text`,
            message: `Section ${slice.code} has no narrative`,
            messageJa: `セクション「${label}」に記載がありません`,
          });
        for (const ref of s.entry ?? []) {
          const target = byUrl.get(ref.reference ?? '');
          if (!target) {
            issues.push({
              severity: 'error',
              path: `${at}.entry`,
              message: `Reference ${ref.reference} is not in the Bundle`,
              messageJa: `セクション「${label}」の参照先 ${ref.reference} が文書内にありません`,
            });
            continue;
          }
          const type = target.resource?.resourceType;
          const allowed = slice.entryProfiles;
          const typeOk = allowed.some(
            (p) => p.endsWith('/Resource') || typeOfProfile(p) === type || p.endsWith(`/${type}`),
          );
          if (allowed.length > 0 && !typeOk)
            issues.push({
              severity: 'error',
              path: `${at}.entry`,
              message: `Section ${slice.code} cannot hold ${type}`,
              messageJa: `セクション「${label}」に置けない種類のリソースです (${target.resource?.resourceType})`,
            });
        }
        walk(s.section ?? [], slice.children, at);
        void i;
      });
    }
  };
  walk(composition.section ?? [], tree, 'Bundle.entry[0].resource');
  return issues;
}
