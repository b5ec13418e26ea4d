import { type OutputFlag, writeOutputFile } from '../report/atomic-write.js';
import { readInputBytes } from '../util/input-file.js';
import { type McStateFile, parseStateBytes, renderStateFile } from './partial-state.js';

/**
 * Checkpoints of a running Monte Carlo: the merged state of the runs done so far, in the partial-state
 * format, replaced atomically (a crash mid-write leaves the previous checkpoint), so `--resume` can
 * continue from the last one and end byte-identical to an uninterrupted run.
 */
export function writeStateFile(path: string, f: McStateFile, flag: OutputFlag): void {
  writeOutputFile(path, renderStateFile(f), flag);
}

/**
 * The largest partial-state file read (`merge`, `--resume`): 256 MiB. A Monte Carlo part is the size
 * of its statistics (about 1 MB for the built-in model); a sweep part holds its rows' outputs.
 */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** Reads a partial-state file (a shard or a checkpoint) through the one input reader; damaged files are user errors. */
export function readStateFile(path: string): McStateFile {
  return parseStateBytes(readInputBytes(path, 'partial-state file', undefined, MAX_STATE_BYTES), path);
}
