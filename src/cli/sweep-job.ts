import { type Manifest, sweepManifest } from '../manifest/manifest.js';
import { parseShard, type Shard, shardRange } from '../montecarlo/shard.js';
import type { Problem } from '../sweep/design/index.js';
import { designRows, loadSweep, type Sweep } from '../sweep/load-sweep.js';
import { type Design, makeDesign } from '../sweep/run-sweep.js';
import { readSweepState } from '../sweep/sweep-state.js';
import { UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';
import { refuseChanged } from './mc-job.js';

/** What one `policysim sweep` process evaluates: all rows, one shard's, or the rest of a checkpoint. */
export interface SweepJob {
  readonly sweep: Sweep;
  readonly design: Design;
  readonly problem: Problem;
  readonly shard?: Shard;
  readonly range: { readonly first: number; readonly end: number };
  readonly manifest: Manifest;
  /** The command that computes the whole sweep's result (recorded in its JSON; a resume keeps the first). */
  readonly command: string | null;
  readonly resume?: { readonly done: number; readonly Y: Float64Array };
}

/**
 * A new sweep job. `checkWork` sees the rows this process evaluates before the design is built, so
 * that a design too large to start is refused before it takes the memory (main's limit on work).
 */
export function planSweepJob(
  sweep: Sweep,
  shardText: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  command: string | null,
  checkWork: (rows: number) => void,
): SweepJob {
  const shard = shardText === undefined ? undefined : parseShard(shardText, env);
  const planned = designRows(sweep.raw)?.rows;
  if (planned !== undefined) {
    const mine = rowsOf(planned, shard);
    checkWork(mine.end - mine.first);
  }
  const { rows, ...job } = designed(sweep, shard);
  if (planned === undefined) checkWork(job.range.end - job.range.first);
  const base = sweepManifest(sweep, rows);
  return { ...job, manifest: shard ? { ...base, shard: { index: shard.index, count: shard.count } } : base, command };
}

/** The rows a shard evaluates of a design's `rows` (all of them without one). */
function rowsOf(rows: number, shard: Shard | undefined): SweepJob['range'] {
  return shard ? shardRange(rows, 1, shard) : { first: 0, end: rows };
}

/** A sweep's design made, and the rows of it that the shard (or, without one, the job) evaluates. */
function designed(sweep: Sweep, shard: Shard | undefined) {
  const { design, problem } = makeDesign(sweep);
  const rows = design.d.X.rows;
  return { sweep, design, problem, ...(shard ? { shard } : {}), range: rowsOf(rows, shard), rows };
}

export function resumeSweepJob(file: string, given: { file?: string; shard?: string }): SweepJob {
  const extra = [
    ...(given.file !== undefined ? ['the sweep file'] : []),
    ...(given.shard !== undefined ? ['--shard'] : []),
  ];
  if (extra.length > 0)
    throw new UserError(
      extra.map((what) => ({
        path: what === '--shard' ? '--shard' : 'file',
        message: `--resume continues the sweep in ${printable(file)} with the settings recorded there: leave ${what} out`,
      })),
    );
  const f = readSweepState(file, '--resume');
  if (f.kind !== 'checkpoint')
    throw new UserError({
      location: { file },
      path: '--resume',
      message: 'is a finished shard, not a checkpoint: give it to policysim merge',
    });
  const sweepPath = f.manifest.inputs?.sweep?.path;
  if (f.manifest.command !== 'sweep' || typeof sweepPath !== 'string')
    throw new UserError({ location: { file }, path: 'manifest', message: 'not the manifest of a sweep' });
  const { rows, ...job } = designed(loadSweep(sweepPath), f.manifest.shard);
  const { sweep, range } = job;
  refuseChanged(file, f.manifest, sweepManifest(sweep, rows), 'resume');
  if (range.first !== f.range.first || range.end !== f.range.end || f.outputs !== sweep.outputs.length)
    throw new UserError({
      location: { file },
      path: 'range',
      message: 'does not match the shard plan in its manifest',
    });
  const Y = new Float64Array(rows * f.outputs);
  Y.set(f.Y, range.first * f.outputs);
  return { ...job, manifest: f.manifest, command: f.command, resume: { done: f.range.done, Y } };
}
