export type { ValidationIssue } from './issue';
export { jlacSliceOf, jlacSlices, jlacSystems, MEDIS_DISEASE, type TerminologyOptions } from './terminology';
export { validateBundle, validateResourceAgainstProfile, warmUpValidator } from './validator';
