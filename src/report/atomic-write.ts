import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../util/diagnostics.js';

/** Write a whole file through a temporary file and a rename, so no reader ever sees half of it. */
export function writeFileAtomically(path: string, content: string): void {
  const full = resolve(path);
  try {
    mkdirSync(dirname(full), { recursive: true });
    writeFileAtomic.sync(full, content, { encoding: 'utf8' });
  } catch (e) {
    throw new UserError({
      location: { file: path },
      path: '--out',
      message: `cannot write output: ${(e as Error).message}`,
    });
  }
}
