import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';

/**
 * Where a model file is, apart from the loader: the manifest code (loaded by every command, `--help`
 * included) needs the path of a model without loading YAML, zod or the compiler.
 */

/** Models that ship with policysim, by name. */
export const BUILTIN_MODELS = ['northeast'] as const;

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
