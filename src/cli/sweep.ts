import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import type { SweepStateFile } from '../sweep/sweep-state.js';
import { UserError } from '../util/diagnostics.js';
import { type Interrupt, NO_INTERRUPT } from './interrupt.js';
import { emitOutput, type Io } from './io.js';
import {
  checkTotalWork,
  MAX_WORKERS,
  wholeFlags,
  withForceOption,
  withOutputOptions,
  withWholeFlag,
} from './options.js';
import { announce, progressBar } from './progress.js';

export function sweepCommand(io: Io, setExit: (code: number) => void): CommandModule {
  return {
    command: 'sweep [file]',
    describe: 'sensitivity sweep: grid, one-at-a-time, Latin hypercube, Morris, Sobol, or policy grid × Monte Carlo',
    builder: (y) => {
      const o = withForceOption(withOutputOptions(y)).positional('file', {
        type: 'string',
        describe: 'sweep YAML file',
      });
      withWholeFlag(
        o,
        'workers',
        `worker threads (0: in the main thread; at most ${MAX_WORKERS}; default: all cores, or the main thread for small sweeps)`,
      );
      return o
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
        );
    },
    handler: async (argv) => {
      // Claimed first, as in mc: a signal while the files load stops the sweep cleanly.
      const interrupt = io.interrupt ?? NO_INTERRUPT;
      const release = interrupt.claim();
      try {
        await sweep(io, setExit, interrupt, argv);
      } finally {
        release();
      }
    },
  };
}

async function sweep(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  argv: Record<string, unknown>,
): Promise<void> {
  const a = argv as unknown as {
    file?: string;
    format: 'table' | 'csv' | 'json';
    out?: string;
    force: boolean;
    shard?: string;
    checkpoint?: string;
    checkpointEvery: number;
    resume?: string;
  };
  const f = wholeFlags(argv, ['workers']);
  if (!(a.checkpointEvery >= 0 && a.checkpointEvery <= 86400))
    throw new UserError({
      path: '--checkpoint-every',
      message: `must be from 0 to 86400 seconds (got ${a.checkpointEvery})`,
    });
  if (a.file === undefined && a.resume === undefined)
    throw new UserError({ path: 'file', message: 'give a sweep file (or --resume CHECKPOINT)' });
  if (a.out) checkOutputPath(a.out, '--out');
  const [{ POOL_THRESHOLD, evaluateRows, analyzeSweep }, { planSweepJob, resumeSweepJob }, state, { sweepOutputText }] =
    await Promise.all([
      import('../sweep/run-sweep.js'),
      import('./sweep-job.js'),
      import('../sweep/sweep-state.js'),
      import('./sweep-output.js'),
    ]);
  const job = a.resume ? resumeSweepJob(a.resume, a) : planSweepJob(a.file!, a.shard, process.env);
  const { sweep, design, range } = job;
  const rows = range.end - range.first;
  // A row with probability outputs is one projection plus one per Monte Carlo future.
  const futures =
    sweep.mc && sweep.outputs.some((o) => o.kind === 'target' && o.metric === 'probability') ? sweep.mc.runs : 0;
  const evaluations = rows * (1 + futures);
  const what = futures > 0 ? `${count(rows)} rows × (1 + ${count(futures)} futures)` : `${count(rows)} rows`;
  checkTotalWork(
    evaluations,
    a.force,
    {
      location: futures > 0 ? sweep.source.locate(['monte_carlo', 'runs']) : { file: sweep.file },
      path: futures > 0 ? 'monte_carlo.runs' : 'design',
    },
    what,
  );
  const workers = f.workers ?? (evaluations < POOL_THRESHOLD ? 0 : availableParallelism());
  announce(
    io,
    evaluations,
    `sweep: ${what} = ${count(evaluations)} model evaluations ${workers === 0 ? 'in the main thread' : `on ${workers} workers`}`,
  );
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
  const onInterrupt = (): void => {
    bar.stop();
    io.stderr('interrupted: stopping the sweep\n');
  };
  if (interrupt.signal.aborted) onInterrupt();
  else interrupt.signal.addEventListener('abort', onInterrupt, { once: true });
  let res;
  try {
    res = await evaluateRows(sweep, design.d.X, {
      workers,
      range,
      signal: interrupt.signal,
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
    interrupt.signal.removeEventListener('abort', onInterrupt);
  }
  // The rows done, finished or not (at Ctrl-C too): a resume from it repeats no row.
  if (checkpointFile) state.writeSweepState(checkpointFile, stateOf('checkpoint', res.done, res.Y), '--checkpoint');
  if (res.done < range.end) {
    setExit(interrupt.exitCode());
    io.stderr(
      `interrupted after ${res.done - range.first} of ${rows} rows; nothing written (the analysis needs every row of the design)${checkpointFile ? `; continue with: policysim sweep --resume ${checkpointFile}` : ''}\n`,
    );
    return;
  }
  if (job.shard) {
    emitOutput(io, state.renderSweepState(stateOf('shard', range.end, res.Y)), a.out);
    return;
  }
  const result = analyzeSweep(sweep, design, job.problem, res.Y);
  emitOutput(io, sweepOutputText({ ...result, manifest: job.manifest }, a.format), a.out);
}
