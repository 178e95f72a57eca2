/** One finding of the validator, with the FHIRPath-like location and a Japanese message for the screen. */
export interface ValidationIssue {
  severity: 'error' | 'warning';
  path: string;
  message: string;
  messageJa: string;
}
