import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Defaults the CLI needs before it knows the command: kept apart from the loaders so that
 * `policysim --help` (and any command's option parsing) loads neither YAML, zod nor the compiler.
 */

const here = dirname(fileURLToPath(import.meta.url));
/** The package root, found from this file whether it runs from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = here;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}
export const DEFAULT_SCENARIO = resolve(packageRoot(), 'scenarios', 'baseline.yaml');
export const DEFAULT_HORIZON_END = 2035;
/** The built-in model a scenario uses unless it names one. */
export const DEFAULT_MODEL = 'builtin:northeast';
