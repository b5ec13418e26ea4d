import { existsSync } from 'node:fs';
import { DEFAULT_MODEL } from '../scenario/defaults.js';
import { sortDiagnostics, UserError } from '../util/diagnostics.js';
import { checkSchema, salvage, valueAt } from '../util/schema-check.js';
import { readYamlFile } from '../util/yaml-source.js';
import { compileModel, type Specialisation, withUncertainties } from './compile.js';
import type { CompiledModel } from './compiled-model.js';
import { type ModelFile, modelFileSchema } from './model-file.js';
import { loadModelImage } from './model-image.js';
import { resolveModelPath } from './model-path.js';

export { DEFAULT_MODEL, resolveModelPath };

/**
 * Read, check and compile a model file. All problems are reported at once. With uncertainties, the
 * checked model's kernel is generated for them (compile.ts: withUncertainties).
 */
export function loadModel(
  ref: string = DEFAULT_MODEL,
  baseDir = process.cwd(),
  uncertainties: Specialisation = {},
): CompiledModel {
  return withUncertainties(loadPlainModel(ref, baseDir), uncertainties);
}

function loadPlainModel(ref: string, baseDir: string): CompiledModel {
  const file = resolveModelPath(ref, baseDir);
  if (!existsSync(file))
    throw new UserError({ location: { file: ref }, path: 'model', message: `model file not found: ${ref}` });
  const origin = ref.startsWith('builtin:') ? ref : file;
  // A built-in model compiled at build time: its image holds the kernel and the checked model.
  if (origin !== file) {
    const image = loadModelImage(file, origin);
    if (image) return image;
  }
  // Problems with the file as a whole (a device, a FIFO, too large) are placed at the scenario's `model:`.
  const src = readYamlFile(file, 'model file', { location: { file: ref }, path: 'model', name: ref });
  const { value, diagnostics } = checkSchema(modelFileSchema(), src);
  if (value) return compileModel(value, origin, (path) => src.locate(path));
  // Shape problems: the well-formed declarations are still compiled and checked, so that every
  // problem is reported at once. Without its base year or regions nothing else can be checked.
  const { value: partial, failed } = salvage(modelFileSchema(), src.data);
  if (failed.has('base_year') || failed.has('regions') || src.data === null || typeof src.data !== 'object')
    throw new UserError(sortDiagnostics(diagnostics));
  const complete: ModelFile = { ...partial, states: partial.states ?? {}, indicators: partial.indicators ?? {} };
  try {
    return compileModel(complete, origin, (path) => src.locate(path), {
      partial: { earlier: diagnostics, broken: leftOut(src.data, complete) },
    });
  } catch (e) {
    // A check that trips over a part left out: the shape problems alone, never an internal error.
    if (e instanceof UserError) throw e;
    throw new UserError(sortDiagnostics(diagnostics));
  }
}

/** Names declared in the file that the partial model lacks (their declarations are not well-formed). */
function leftOut(data: unknown, kept: ModelFile): string[] {
  const sections: [unknown, object | undefined][] = [
    [valueAt(data, ['parameters']), kept.parameters],
    [valueAt(data, ['levers']), kept.levers],
    [valueAt(data, ['states']), kept.states],
    [valueAt(data, ['auxiliaries']), kept.auxiliaries],
    [valueAt(data, ['globals', 'states']), kept.globals?.states],
    [valueAt(data, ['globals', 'auxiliaries']), kept.globals?.auxiliaries],
    [valueAt(data, ['indicators']), kept.indicators],
  ];
  const out: string[] = [];
  for (const [raw, got] of sections) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    for (const name of Object.keys(raw)) if (!got || !Object.hasOwn(got, name)) out.push(name);
  }
  return out;
}
