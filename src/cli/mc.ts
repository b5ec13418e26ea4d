import type { Argv } from 'yargs';
import type { McState, McStateFile } from '../montecarlo/partial-state.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import type { Scenario } from '../scenario/scenario.js';
import { checkAll, UserError } from '../util/diagnostics.js';
import { escapeControl } from '../util/terminal-text.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitOutput, type Io } from './io.js';
import { DEFAULT_RUNS } from './mc-defaults.js';
import type { McJobArgs } from './mc-job.js';
import { emitMcResult } from './mc-output.js';
import {
  type ArgsOf,
  checkIndicators,
  checkpointEveryMs,
  checkRegions,
  checkTotalWork,
  longCommand,
  numberFlag,
  numberFlags,
  type OutputFormat,
  outputFormat,
  whereItRuns,
  wholeFlag,
  wholeFlags,
  withCheckpointEvery,
  withForceOption,
  withOutputOptions,
  withSetOption,
  workersFlag,
} from './options.js';
import { announce, withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { warnAboutScenario } from './scenario-warnings.js';
import type { Interrupt } from './signal-interrupt.js';

function mcOptions(y: Argv) {
  const sampling = withForceOption(withSetOption(withOutputOptions(y)))
    .positional('scenarios', {
      type: 'string',
      array: true,
      describe: 'scenario YAML (default: the built-in baseline); several: paired on the same futures',
    })
    .option('runs', wholeFlag('number of futures to simulate', DEFAULT_RUNS))
    .option('seed', wholeFlag("random seed (default: the scenario's seed)"))
    .option('workers', workersFlag())
    .option(
      'chunk',
      wholeFlag(
        'runs per block (default: 32768 in the main thread; on worker threads 8192 to 32768, at least 8 blocks per thread; results do not depend on it)',
      ),
    )
    .option('step', wholeFlag('show every STEP years in the table', 5))
    .option('years', {
      ...wholeFlag("several scenarios: years of the differences from the first (default: the targets' years)"),
      array: true,
    });
  return withCheckpointEvery(sampling)
    .option(
      'precision',
      numberFlag("stop when every target probability's 95% Wilson half-width is at most this (with --max-runs)"),
    )
    .option('max-runs', wholeFlag('the most runs the stopping rule may use (with --precision)'))
    .option('save-runs', {
      type: 'string',
      describe: "stream every run's draws and target outcomes to this CSV file",
    })
    .option('indicators', { type: 'string', array: true, describe: 'indicators in the table' })
    .option('observed', {
      type: 'string',
      describe: "observed CSV shown beside the bands (default: the scenario's observed: file)",
    })
    .option('regions', {
      type: 'string',
      array: true,
      describe: 'regions in the table (default: aggregates and national)',
    })
    .option('shard', {
      type: 'string',
      describe:
        'compute shard I of K (I/K, from 0), or auto/K / auto from a Slurm, Kubernetes or AWS Batch array; writes a partial-state file for policysim merge',
    })
    .option('checkpoint', {
      type: 'string',
      describe: 'keep the merged state in this file (atomically, every --checkpoint-every seconds and at Ctrl-C)',
    })
    .option('resume', { type: 'string', describe: 'continue the job of this checkpoint file' })
    .example('$0 mc --runs 100000', 'the baseline on all cores')
    .example('$0 mc scenarios/ftz.yaml scenarios/paper-proposals.yaml --runs 20000', 'paired: the same futures')
    .example('$0 run scenarios/paper-proposals.yaml --mc-run 42 --seed 7', 'replay one future');
}

/** mc's argv, as its options give it. */
export type McArgs = ArgsOf<typeof mcOptions>;

export function mcCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'mc [scenarios..]',
    describe:
      "Monte Carlo over the scenario's uncertainties, on worker threads: bands and target probabilities; several scenarios: paired on the same futures",
    builder: mcOptions,
    handler: async (io, setExit, interrupt, argv, inv) => {
      // The format follows --out's extension (options.ts).
      const format = outputFormat(argv);
      const scenarios = argv.scenarios ?? [];
      if (scenarios.length > 1) {
        // A paired run is neither sharded, checkpointed nor stopped early.
        const a = argv;
        const single = (['shard', 'checkpoint', 'resume', 'precision', 'max-runs'] as const).filter(
          (k) => a[k] !== undefined,
        );
        const problems = single.map((k) => ({
          path: `--${k}`,
          message: 'applies to one scenario (a paired run is not sharded, checkpointed or stopped early)',
        }));
        if (a.observed !== undefined)
          problems.push({ path: '--observed', message: 'applies to one scenario (not to a paired comparison)' });
        if (problems.length > 0) throw new UserError(problems);
        const { pairedMc } = await import('./mc-paired.js');
        return await pairedMc(io, setExit, interrupt, { ...argv, scenarios, format }, inv);
      }
      await mc(io, setExit, interrupt, argv, format, inv);
    },
  });
}

async function mc(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  a: McArgs,
  format: OutputFormat,
  inv: Invocation,
): Promise<void> {
  // The shared validators (options.ts), every bad flag at once.
  const [f, n, everyMs] = checkAll(
    () => wholeFlags(a, ['runs', 'seed', 'workers', 'chunk', 'step', 'max-runs'], ['years']),
    () => numberFlags(a, ['precision']),
    () => checkpointEveryMs(a),
  );
  if (f.years !== undefined)
    throw new UserError({ path: '--years', message: 'applies only to several scenarios (the paired differences)' });
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.saveRuns) checkOutputPath(a.saveRuns, '--save-runs');
  // Loaded here, not at start-up: the other commands never need the pool or the statistics.
  const [
    { RunBlockEvaluator },
    { runMonteCarlo },
    { RecordWriter },
    { writeStateFile },
    { MC_STATE_SCHEMA, renderStateFile },
    { loadObservedFor },
    { ObservedView },
  ] = await Promise.all([
    import('../montecarlo/run-block.js'),
    import('../montecarlo/simulate.js'),
    import('../report/record-writer.js'),
    import('../montecarlo/checkpoint.js'),
    import('../montecarlo/partial-state.js'),
    import('../evidence/observed-file.js'),
    import('../report/observed-view.js'),
  ]);
  const jobArgs: McJobArgs = {
    set: a.set,
    ...(a.shard !== undefined ? { shard: a.shard } : {}),
    ...(n.precision !== undefined ? { precision: n.precision } : {}),
    ...(f['max-runs'] !== undefined ? { maxRuns: f['max-runs'] } : {}),
    ...(f.runs !== undefined ? { runs: f.runs } : {}),
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
    ...(a.scenarios?.[0] !== undefined ? { scenario: a.scenarios[0] } : {}),
  };
  // Loaded here: planning reads and compiles the scenario (YAML, zod, the compiler), which `--help` needs none of.
  const { planJob, resumeJob } = await import('./mc-job.js');
  // The observed file is checked with the uncertainties: their problems are reported together.
  let observedSet: ReturnType<typeof loadObservedFor>;
  const withObserved = (s: Scenario): void => {
    observedSet = loadObservedFor(s, a.observed);
  };
  const job = a.resume
    ? resumeJob(a.resume, jobArgs, withObserved)
    : planJob(jobArgs, process.env, reproducingCommand(inv), withObserved);
  if (job.shard) shardOutputOnly(format, a);
  // A shard shows nothing, so it takes no observed file: `policysim merge --observed` does.
  if (job.shard && a.observed !== undefined)
    throw new UserError({
      path: '--observed',
      message: 'a shard writes a partial-state file, not a table: give --observed to policysim merge',
    });
  const { ctx } = job;
  await warnAboutScenario(io, ctx.scenario);
  const runs = job.range.end - job.range.first;
  checkTotalWork(runs, a.force, { path: f.runs !== undefined ? '--runs' : '--max-runs' }, 'one per run');
  checkIndicators(a.indicators ?? [], ctx.scenario.model);
  checkRegions(a.regions ?? [], ctx.scenario.model);
  const checkpointFile = a.checkpoint ?? a.resume;
  const observed = observedSet ? new ObservedView(observedSet) : undefined;
  const local = new RunBlockEvaluator(ctx.image);
  const writer = a.saveRuns ? new RecordWriter(a.saveRuns, local.saveColumns) : undefined;
  const stateFile = (
    kind: 'shard' | 'checkpoint',
    state: McState,
    done: number,
    stopped: string | null,
  ): McStateFile => ({
    schema: MC_STATE_SCHEMA,
    kind,
    manifest: job.manifest,
    command: job.command,
    range: { first: job.range.first, end: job.range.end, done },
    stopped,
    state,
  });
  const checkpoint = (state: McState, stopped: string | null = null): void => {
    if (checkpointFile)
      writeStateFile(
        checkpointFile,
        stateFile('checkpoint', state, state.stats.firstRun + state.stats.runs, stopped),
        '--checkpoint',
      );
  };
  let result;
  try {
    const progress = { label: 'mc', unit: 'runs', stopping: 'stopping the workers' };
    result = await withProgressBar(io, interrupt.signal, progress, (bar) =>
      runMonteCarlo(ctx, local, {
        workers: f.workers ?? 'auto',
        onStart: (workers) =>
          announce(
            io,
            runs,
            `mc: ${count(runs)} runs of '${escapeControl(ctx.scenario.name)}' (seed ${job.seed}) ${whereItRuns(workers)}`,
          ),
        runs: job.runs,
        seed: job.seed,
        ...(f.chunk !== undefined ? { chunk: f.chunk } : {}),
        range: job.range,
        ...(job.resume ? { resume: job.resume } : {}),
        ...(job.stopping ? { stopping: job.stopping } : {}),
        ...(checkpointFile ? { onCheckpoint: (st: McState) => checkpoint(st), checkpointEveryMs: everyMs } : {}),
        signal: interrupt.signal,
        onProgress: (d, t) => bar.update(d, t),
        ...(writer ? { onRecords: (rec: Float64Array, cols: number) => writer!.write(rec, cols) } : {}),
      }),
    );
  } catch (e) {
    writer?.discard();
    throw replayable(e, job.manifest.overrides);
  }
  // The last state, finished or not (at Ctrl-C too): a resume from it repeats no run.
  checkpoint(result.state, result.stop?.reason ?? null);
  const resumeHint = checkpointFile ? `; continue with: policysim mc --resume ${checkpointFile}` : '';
  if (result.partial) {
    setExit(interrupt.exitCode());
    if (result.runsCompleted === 0 && !checkpointFile) {
      writer?.discard();
      io.stderr(`interrupted before any of the ${runs} runs completed; nothing written\n`);
      return;
    }
    writer?.commit();
    if (!a.out || job.shard) {
      const saved = a.saveRuns ? `; ${a.saveRuns} holds the ${result.runsCompleted} runs merged` : '';
      io.stderr(
        `interrupted after ${result.runsCompleted} of ${runs} runs; no statistics written${job.shard || checkpointFile ? '' : ' (use --out to keep partial results)'}${saved}${resumeHint}\n`,
      );
      return;
    }
  } else writer?.commit();
  if (job.shard) return emitOutput(io, renderStateFile(stateFile('shard', result.state, job.range.end, null)), a.out);
  // The command that computes this result: a resumed job's is the one it was started with.
  const meta = { command: job.command };
  await emitMcResult(
    io,
    { ...result, manifest: job.manifest },
    format,
    a.out,
    meta,
    { ...a, step: f.step ?? 5 },
    observed,
  );
}

/**
 * A shard writes its partial-state file (JSON, for `policysim merge`), never a report: a format other
 * than JSON, given or implied by --out's extension, is a usage error rather than a surprise.
 */
function shardOutputOnly(format: OutputFormat, a: { format?: string; out?: string }): void {
  if (format === 'json' || (a.format === undefined && a.out === undefined)) return;
  throw new UserError({
    path: a.format !== undefined ? '--format' : '--out',
    message: `a shard writes a partial-state file (JSON) for policysim merge, not ${format}`,
    hint: 'give --out PART.json; choose the format (csv, html, ...) at policysim merge --out',
  });
}
