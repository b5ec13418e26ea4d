import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import type { SweepStateFile } from '../sweep/sweep-state.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { EXIT_INTERRUPTED } from './mc.js';
import { withOutputOptions } from './options.js';
import { progressBar } from './progress.js';

export function sweepCommand(io: Io, setExit: (code: number) => void = () => {}): CommandModule {
  return {
    command: 'sweep [file]',
    describe: 'sensitivity sweep: grid, one-at-a-time, Latin hypercube, Morris, Sobol, or policy grid × Monte Carlo',
    builder: (y) =>
      withOutputOptions(y)
        .positional('file', { type: 'string', describe: 'sweep YAML file' })
        .option('workers', {
          type: 'number',
          describe: 'worker threads (0: in the main thread; default: all cores, or the main thread for small sweeps)',
        })
        .option('shard', {
          type: 'string',
          describe:
            'evaluate shard I of K of the design rows (I/K, auto/K, auto); writes a partial-state file for policysim merge',
        })
        .option('checkpoint', { type: 'string', describe: 'keep the rows done in this file (atomically)' })
        .option('checkpoint-every', { type: 'number', default: 10, describe: 'seconds between checkpoints' })
        .option('resume', { type: 'string', describe: 'continue the sweep of this checkpoint file' })
        .example('$0 sweep scenarios/sweeps/sobol-trade-gap.yaml', 'which factors drive the 2020 gap')
        .example(
          '$0 sweep scenarios/sweeps/tornado-levers.yaml --format csv --out tornado.csv',
          'raw design and outputs',
        ),
    handler: async (argv) => {
      const a = argv as unknown as {
        file?: string;
        workers?: number;
        format: 'table' | 'csv' | 'json';
        out?: string;
        shard?: string;
        checkpoint?: string;
        checkpointEvery: number;
        resume?: string;
      };
      if (a.workers !== undefined && (!Number.isSafeInteger(a.workers) || a.workers < 0 || a.workers > 256))
        throw new UserError({ path: '--workers', message: `must be a whole number from 0 to 256 (got ${a.workers})` });
      if (!(a.checkpointEvery >= 0 && a.checkpointEvery <= 86400))
        throw new UserError({
          path: '--checkpoint-every',
          message: `must be from 0 to 86400 seconds (got ${a.checkpointEvery})`,
        });
      if (a.file === undefined && a.resume === undefined)
        throw new UserError({ path: 'file', message: 'give a sweep file (or --resume CHECKPOINT)' });
      const [
        { POOL_THRESHOLD, evaluateRows, analyzeSweep },
        { planSweepJob, resumeSweepJob },
        state,
        { sweepOutputText },
      ] = await Promise.all([
        import('../sweep/run-sweep.js'),
        import('./sweep-job.js'),
        import('../sweep/sweep-state.js'),
        import('./sweep-output.js'),
      ]);
      const job = a.resume ? resumeSweepJob(a.resume, a) : planSweepJob(a.file!, a.shard, process.env);
      const { sweep, design, range } = job;
      const evaluations = (range.end - range.first) * (sweep.mc?.runs ?? 1);
      const workers = a.workers ?? (evaluations < POOL_THRESHOLD ? 0 : availableParallelism());
      const O = sweep.outputs.length;
      const checkpointFile = a.checkpoint ?? a.resume;
      const stateOf = (kind: 'shard' | 'checkpoint', done: number, Y: Float64Array): SweepStateFile => ({
        schema: state.SWEEP_STATE_SCHEMA,
        kind,
        manifest: job.manifest,
        range: { first: range.first, end: range.end, done },
        outputs: O,
        Y: Y.slice(range.first * O, done * O),
      });
      let last = Date.now();
      const bar = progressBar(io, 'sweep', 'rows');
      const abort = new AbortController();
      const onSigint = (): void => {
        io.stderr('\ninterrupted: stopping the workers\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      let res;
      try {
        res = await evaluateRows(sweep, design.d.X, {
          workers,
          range,
          signal: abort.signal,
          ...(job.resume ? { resume: job.resume } : {}),
          onProgress: (d, t) => bar.update(d, t),
          ...(checkpointFile
            ? {
                onPrefix: (done: number, Y: Float64Array) => {
                  if (Date.now() - last < a.checkpointEvery * 1000) return;
                  state.writeSweepState(checkpointFile, stateOf('checkpoint', done, Y), '--checkpoint');
                  last = Date.now();
                },
              }
            : {}),
        });
      } finally {
        bar.stop();
        process.removeListener('SIGINT', onSigint);
      }
      if (checkpointFile) state.writeSweepState(checkpointFile, stateOf('checkpoint', res.done, res.Y), '--checkpoint');
      if (res.done < range.end) {
        setExit(EXIT_INTERRUPTED);
        io.stderr(
          `interrupted after ${res.done - range.first} of ${range.end - range.first} rows; no results written${checkpointFile ? `; continue with: policysim sweep --resume ${checkpointFile}` : ''}\n`,
        );
        return;
      }
      if (job.shard) {
        emitOutput(io, state.renderSweepState(stateOf('shard', range.end, res.Y)), a.out);
        return;
      }
      const result = analyzeSweep(sweep, design, job.problem, res.Y);
      emitOutput(io, sweepOutputText({ ...result, manifest: job.manifest }, a.format), a.out);
    },
  };
}
