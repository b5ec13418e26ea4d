import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** Running from the TypeScript sources (the tests, through vitest), not from the built dist/. */
const fromSources = here.endsWith('.ts');
/** The repository root when running from the sources: this module is src/util/worker-script.ts. */
const root = resolve(here, '..', '..', '..');

/**
 * The file a worker thread loads, given as `new URL('./worker.js', import.meta.url)` by the module
 * that starts the pool. Built, that file sits next to the module. From the sources it does not exist,
 * and a worker thread cannot load the .ts file, so the pool takes the built copy under dist/
 * (`npm test` builds first): the tests then run real pools in-process, without a child process.
 */
export function workerScript(url: URL): string {
  const path = fileURLToPath(url);
  return fromSources ? join(root, 'dist', relative(root, path)) : path;
}
