import { loadModel } from '../../src/model/load-model.js';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';

/** The formatted problems of a model file that must not compile. */
export function modelProblems(file: string): string[] {
  try {
    loadModel(file);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error(`expected ${file} to be rejected`);
}
