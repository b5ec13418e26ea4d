import { readFileSync } from 'node:fs';
import { type OutputFlag, writeOutputFile } from '../report/atomic-write.js';
import { UserError } from '../util/diagnostics.js';
import { type McStateFile, parseStateFile, renderStateFile } from './partial-state.js';

/**
 * Checkpoints of a running Monte Carlo: the merged state of the runs done so far, in the partial-state
 * format, replaced atomically (a crash mid-write leaves the previous checkpoint), so `--resume` can
 * continue from the last one and end byte-identical to an uninterrupted run.
 */
export function writeStateFile(path: string, f: McStateFile, flag: OutputFlag): void {
  writeOutputFile(path, renderStateFile(f), flag);
}

/** Reads a partial-state file (a shard or a checkpoint); missing or damaged files are user errors. */
export function readStateFile(path: string, flag: string): McStateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError({
      location: { file: path },
      path: flag,
      message: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`,
    });
  }
  return parseStateFile(text, path);
}
