import { MC_STATE_SCHEMA } from '../montecarlo/partial-state.js';
import { SWEEP_STATE_SCHEMA } from '../sweep/sweep-state.js';
import { MAX_RESULT_BYTES, readInputFile } from '../util/input-file.js';
import { parseJsonText } from '../util/json-text.js';

/**
 * `validate` of a JSON file policysim wrote: a result (checked by the reader `report` uses) or a
 * partial-state file (by the reader `merge` and `--resume` use), told apart by its `schema`. Returns
 * what the file is, for the "ok" line, or undefined for JSON with no policysim schema (then an input file).
 */
export async function validateJsonFile(file: string): Promise<string | undefined> {
  const text = readInputFile(file, 'JSON file', undefined, MAX_RESULT_BYTES);
  const data = parseJsonText(text, file);
  const first: unknown = Array.isArray(data) ? data[0] : data;
  const schema = first !== null && typeof first === 'object' ? (first as { schema?: unknown }).schema : undefined;
  // A partial-state file is read again by its own reader, from its bytes, as merge and --resume read it.
  if (schema === MC_STATE_SCHEMA) {
    (await import('../montecarlo/checkpoint.js')).readStateFile(file);
    return `Monte Carlo partial-state file, ${schema}`;
  }
  if (schema === SWEEP_STATE_SCHEMA) {
    (await import('../sweep/sweep-state.js')).readSweepState(file, '');
    return `sweep partial-state file, ${schema}`;
  }
  if (typeof schema === 'string' && schema.startsWith('policysim.')) {
    const docs = (await import('../report/html/result-docs.js')).parseResultDocs(text, file);
    return docs.length === 1 ? `result, ${schema}` : `${docs.length} results, ${schema}`;
  }
  // Any other JSON is YAML to the file reader (a scenario may be written as JSON): told by its keys.
  return undefined;
}
