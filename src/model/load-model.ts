import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/diagnostics.js';
import { checkSchema } from '../util/schema-check.js';
import { didYouMean } from '../util/suggest.js';
import { readYamlFile } from '../util/yaml-source.js';
import { type CompileOptions, compileModel } from './compile.js';
import type { CompiledModel } from './compiled-model.js';
import { ModelFileSchema } from './model-file.js';

/** Models that ship with policysim, by name. */
const BUILTIN_MODELS = ['northeast'] as const;
export const DEFAULT_MODEL = 'builtin:northeast';

const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'models');

/** `builtin:NAME` or a path (relative paths resolve against `baseDir`). */
export function resolveModelPath(ref: string, baseDir: string): string {
  if (ref.startsWith('builtin:')) {
    const name = ref.slice('builtin:'.length);
    if (!(BUILTIN_MODELS as readonly string[]).includes(name)) {
      throw new UserError({
        path: 'model',
        message: `unknown built-in model '${name}'`,
        hint: didYouMean(name, BUILTIN_MODELS) ?? `built-in models: ${BUILTIN_MODELS.join(', ')}`,
      });
    }
    return resolve(modelsDir, `${name}.yaml`);
  }
  return resolve(baseDir, ref);
}

/** Read, check and compile a model file. All problems are reported at once. */
export function loadModel(
  ref: string = DEFAULT_MODEL,
  baseDir = process.cwd(),
  options: CompileOptions = {},
): CompiledModel {
  const file = resolveModelPath(ref, baseDir);
  if (!existsSync(file))
    throw new UserError({ location: { file: ref }, path: 'model', message: `model file not found: ${ref}` });
  // Problems with the file as a whole (a device, a FIFO, too large) are placed at the scenario's `model:`.
  const src = readYamlFile(file, 'model file', { location: { file: ref }, path: 'model', name: ref });
  const { value, diagnostics } = checkSchema(ModelFileSchema, src);
  if (!value) throw new UserError(diagnostics);
  const origin = ref.startsWith('builtin:') ? ref : file;
  return compileModel(value, origin, (path) => src.locate(path), options);
}
