import type { Argv } from 'yargs';
import { CheckpointCadence } from '../montecarlo/checkpoint-cadence.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import type { Sweep } from '../sweep/load-sweep.js';
import type { SweepStateFile } from '../sweep/sweep-state.js';
import { checkAll, type SourceLocation, UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitOutput, type Io } from './io.js';
import {
  type ArgsOf,
  checkpointEveryMs,
  checkTotalWork,
  type LongHandler,
  longCommand,
  type OutputFormat,
  outputFormat,
  whereItRuns,
  wholeFlags,
  withCheckpointEvery,
  withForceOption,
  withOutputOptions,
  workersFlag,
} from './options.js';
import { announce, withProgressBar } from './progress.js';
import { warnAboutScenario } from './scenario-warnings.js';
import type { SweepJob } from './sweep-job.js';
import { checkDesignOut, emitSweepResult } from './sweep-output.js';

function sweepOptions(y: Argv) {
  const files = withForceOption(withOutputOptions(y))
    .positional('file', { type: 'string', describe: 'sweep YAML file' })
    .option('workers', workersFlag());
  return withCheckpointEvery(files)
    .option('shard', {
      type: 'string',
      describe:
        'evaluate shard I of K of the design rows (I/K, auto/K, auto); writes a partial-state file for policysim merge',
    })
    .option('checkpoint', { type: 'string', describe: 'keep the rows done in this file (atomically)' })
    .option('resume', { type: 'string', describe: 'continue the sweep of this checkpoint file' })
    .option('design-out', {
      type: 'string',
      describe: 'also write the raw design and its outputs, one row per model evaluation, to this CSV file',
    })
    .example('$0 sweep scenarios/sweeps/sobol-trade-gap.yaml', 'which factors drive the 2020 gap')
    .example(
      '$0 sweep scenarios/sweeps/tornado-levers.yaml --out tornado.csv --design-out tornado-design.csv',
      'the analysis, and the raw design and outputs',
    );
}

export function sweepCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'sweep [file]',
    describe: 'sensitivity sweep: grid, one-at-a-time, Latin hypercube, Morris, Sobol, or policy grid × Monte Carlo',
    builder: sweepOptions,
    handler: sweep,
  });
}

const sweep: LongHandler<ArgsOf<typeof sweepOptions>> = async (io, setExit, interrupt, a, inv) => {
  const format = outputFormat(a);
  const [f, everyMs] = checkAll(
    () => wholeFlags(a, ['workers']),
    () => checkpointEveryMs(a),
  );
  if (a.file === undefined && a.resume === undefined)
    throw new UserError({ path: 'file', message: 'give a sweep file (or --resume CHECKPOINT)' });
  if (a.out) checkOutputPath(a.out, '--out');
  checkDesignOut(a.designOut);
  const [{ evaluateRows, analyzeSweep, sweepFutures }, { planSweepJob, resumeSweepJob }, state, { loadSweep }] =
    await Promise.all([
      import('../sweep/run-sweep.js'),
      import('./sweep-job.js'),
      import('../sweep/sweep-state.js'),
      import('../sweep/load-sweep.js'),
    ]);
  // The work is checked against the limit before the design is built (planSweepJob calls this).
  const checkWork = (s: Sweep, rows: number): void => {
    const w = sweepWork(s, rows, sweepFutures(s));
    checkTotalWork(w.evaluations, a.force, w.where, w.what);
  };
  let job: SweepJob;
  if (a.resume) {
    job = resumeSweepJob(a.resume, a);
    await warnAboutScenario(io, job.sweep.scenario);
    checkWork(job.sweep, job.range.end - job.range.first);
  } else {
    const loaded = loadSweep(a.file!);
    await warnAboutScenario(io, loaded.scenario);
    job = planSweepJob(loaded, a.shard, process.env, reproducingCommand(inv), (rows) => checkWork(loaded, rows));
  }
  if (job.shard) shardOnlyOutputs(format, a);
  const { sweep, design, range } = job;
  const rows = range.end - range.first;
  const { evaluations, what } = sweepWork(sweep, rows, sweepFutures(sweep));
  const O = sweep.outputs.length;
  const checkpointFile = a.checkpoint ?? a.resume;
  const stateOf = (kind: 'shard' | 'checkpoint', done: number, Y: Float64Array): SweepStateFile => ({
    schema: state.SWEEP_STATE_SCHEMA,
    kind,
    manifest: job.manifest,
    command: job.command,
    range: { first: range.first, end: range.end, done },
    outputs: O,
    Y: Y.slice(range.first * O, done * O),
  });
  const cadence = new CheckpointCadence(everyMs);
  const progress = { label: 'sweep', unit: 'rows', stopping: 'stopping the sweep' };
  const res = await withProgressBar(io, interrupt.signal, progress, (bar) =>
    evaluateRows(sweep, design.d.X, {
      workers: f.workers ?? 'auto',
      onStart: (workers) =>
        announce(io, evaluations, `sweep: ${what} = ${count(evaluations)} model evaluations ${whereItRuns(workers)}`),
      range,
      signal: interrupt.signal,
      ...(job.resume ? { resume: job.resume } : {}),
      onProgress: (d, t) => bar.update(d, t),
      ...(checkpointFile
        ? {
            // The same cadence as mc's: at most 2% of the time (checkpoint-cadence.ts).
            onPrefix: (done: number, Y: Float64Array) => {
              if (cadence.due())
                cadence.take(() =>
                  state.writeSweepState(checkpointFile, stateOf('checkpoint', done, Y), '--checkpoint'),
                );
            },
          }
        : {}),
    }),
  );
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
  // The command that computes this result: a resumed sweep's is the one it was started with.
  await emitSweepResult(io, { ...result, manifest: job.manifest }, format, a, { command: job.command });
};

/**
 * The model evaluations of `rows` design rows (each one projection and `futures` Monte Carlo futures,
 * see sweepEvaluations), how they are made, and the field that sets them.
 */
function sweepWork(
  s: Sweep,
  rows: number,
  futures: number,
): { evaluations: number; what: string; where: { location: SourceLocation; path: string } } {
  return {
    evaluations: rows * (1 + futures),
    what: futures > 0 ? `${count(rows)} rows × (1 + ${count(futures)} futures)` : `${count(rows)} rows`,
    where: {
      location: futures > 0 ? s.source.locate(['monte_carlo', 'runs']) : { file: s.file },
      path: futures > 0 ? 'monte_carlo.runs' : 'design',
    },
  };
}

/** A shard writes its partial-state file (JSON) for policysim merge; reports come from the merge. */
function shardOnlyOutputs(format: OutputFormat, a: { format?: string; out?: string; designOut?: string }): void {
  const problems = [];
  if (format !== 'json' && (a.format !== undefined || a.out !== undefined))
    problems.push({
      path: a.format !== undefined ? '--format' : '--out',
      message: `a shard writes a partial-state file (JSON) for policysim merge, not ${format}`,
      hint: 'give --out PART.json; choose the format (csv, html, ...) at policysim merge --out',
    });
  if (a.designOut !== undefined)
    problems.push({ path: '--design-out', message: 'applies to the whole design: give it to policysim merge' });
  if (problems.length > 0) throw new UserError(problems);
}
