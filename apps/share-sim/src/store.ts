import type { Bundle } from 'fhir/r4';

/** What the simulated service holds for one Bundle.identifier, and every version it was sent. */
export interface Held {
  identifier: string;
  bundle: Bundle | null; // null once deleted
  receivedAt: string;
  /** Bundle.timestamp of every accepted POST, in arrival order (tests check it never goes back). */
  history: string[];
  deleted: boolean;
}

const CLINS = 'http://jpfhir.jp/fhir/clins/StructureDefinition/JP_Bundle_CLINS';

/**
 * The latest Bundle per identifier: a POST with the same identifier replaces the earlier one, and a
 * JP_Bundle_CLINS holding only the Patient deletes it (as the IG says).
 */
export class BundleStore {
  private held = new Map<string, Held>();
  /** Times an older Bundle (by Bundle.timestamp) arrived after a newer one for the same identifier. */
  regressions = 0;

  accept(bundle: Bundle): Held {
    const identifier = bundle.identifier?.value ?? '';
    const isDelete =
      (bundle.meta?.profile ?? []).some((p) => p.split('|')[0] === CLINS) &&
      (bundle.entry ?? []).length === 1 &&
      bundle.entry?.[0]?.resource?.resourceType === 'Patient';
    const prev = this.held.get(identifier);
    const stamp = bundle.timestamp ?? '';
    if (prev && prev.history.length > 0 && stamp < (prev.history.at(-1) ?? '')) this.regressions++;
    const next: Held = {
      identifier,
      bundle: isDelete ? null : bundle,
      receivedAt: new Date().toISOString(),
      history: [...(prev?.history ?? []), stamp],
      deleted: isDelete,
    };
    this.held.set(identifier, next);
    return next;
  }

  get(identifier: string) {
    return this.held.get(identifier);
  }

  list() {
    return [...this.held.values()];
  }

  clear() {
    this.held.clear();
    this.regressions = 0;
  }
}
