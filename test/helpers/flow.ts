import { loadFlowText } from '../../src/flow/load.js';
import { validateLoaded, type ValidateOptions } from '../../src/flow/validate.js';

/** Validates YAML or JSON text as one file; returns the report. */
export function validateText(text: string, file = 'flow.yaml', options: ValidateOptions = {}) {
  return validateLoaded([loadFlowText(text, file, options)], options);
}

/** The codes of a report's diagnostics. */
export function codes(report: { diagnostics: Array<{ code: string }> }): string[] {
  return report.diagnostics.map((d) => d.code);
}
