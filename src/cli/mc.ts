import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import { DEFAULT_SCENARIO } from '../scenario/defaults.js';
import { UserError } from '../util/diagnostics.js';
import { escapeControl } from '../util/terminal-text.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitCsv, emitOutput, type Io } from './io.js';
import {
  checkIndicators,
  checkRegions,
  checkTotalWork,
  MAX_WORKERS,
  type OutputFormat,
  outputFormat,
  wholeFlags,
  withForceOption,
  withOutputOptions,
  withSetOption,
  withWholeFlag,
} from './options.js';
import { announce, progressBar } from './progress.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { type Interrupt, NO_INTERRUPT } from './signal-interrupt.js';

export function mcCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION): CommandModule {
  return {
    command: 'mc [scenarios..]',
    describe:
      "Monte Carlo over the scenario's uncertainties, on worker threads: bands and target probabilities; several scenarios: paired on the same futures",
    builder: (y) => {
      const o = withForceOption(withSetOption(withOutputOptions(y))).positional('scenarios', {
        type: 'string',
        array: true,
        describe: 'scenario YAML (default: the built-in baseline); several: paired on the same futures',
      });
      withWholeFlag(o, 'runs', 'number of futures to simulate', { def: DEFAULT_RUNS });
      withWholeFlag(o, 'seed', "random seed (default: the scenario's seed)");
      withWholeFlag(o, 'workers', `worker threads (0: compute in the main thread; at most ${MAX_WORKERS})`, {
        def: 'all cores',
      });
      withWholeFlag(o, 'chunk', 'runs per block sent to a worker (results do not depend on it)', {
        def: DEFAULT_CHUNK,
      });
      withWholeFlag(o, 'step', 'show every STEP years in the table', { def: 5 });
      withWholeFlag(
        o,
        'years',
        "several scenarios: years of the differences from the first (default: the targets' years)",
        {
          array: true,
        },
      );
      return o
        .option('save-runs', {
          type: 'string',
          describe: "stream every run's draws and target outcomes to this CSV file",
        })
        .option('indicators', { type: 'string', array: true, describe: 'indicators in the table' })
        .option('regions', {
          type: 'string',
          array: true,
          describe: 'regions in the table (default: aggregates and national)',
        })
        .example('$0 mc --runs 100000', 'the baseline on all cores')
        .example('$0 mc scenarios/ftz.yaml scenarios/paper-proposals.yaml --runs 20000', 'paired: the same futures')
        .example('$0 run scenarios/paper-proposals.yaml --mc-run 42 --seed 7', 'replay one future');
    },
    handler: async (argv) => {
      // The interrupt is claimed before anything else: Ctrl-C while loading, compiling or running the
      // pilot stops the command cleanly (once that synchronous step ends) instead of killing it.
      const interrupt = io.interrupt ?? NO_INTERRUPT;
      const release = interrupt.claim();
      try {
        // The format follows --out's extension (options.ts).
        const format = outputFormat(argv as { format?: OutputFormat; out?: string });
        const scenarios = (argv as { scenarios?: string[] }).scenarios ?? [];
        if (scenarios.length > 1) {
          const { pairedMc } = await import('./mc-paired.js');
          return await pairedMc(io, setExit, interrupt, { ...argv, format }, inv);
        }
        await mc(io, setExit, interrupt, argv, format, inv);
      } finally {
        release();
      }
    },
  };
}

const DEFAULT_RUNS = 10_000;
const DEFAULT_CHUNK = 8192;

async function mc(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  argv: Record<string, unknown>,
  format: OutputFormat,
  inv: Invocation,
): Promise<void> {
  const a = argv as unknown as {
    scenarios?: string[];
    saveRuns?: string;
    out?: string;
    set: string[];
    indicators?: string[];
    regions?: string[];
    force: boolean;
  };
  const f = wholeFlags(argv, ['runs', 'seed', 'workers', 'chunk', 'step'], ['years']);
  if (f.years !== undefined)
    throw new UserError({ path: '--years', message: 'applies only to several scenarios (the paired differences)' });
  const runs = f.runs ?? DEFAULT_RUNS;
  const workers = f.workers ?? availableParallelism();
  checkTotalWork(runs, a.force, { path: '--runs' }, 'one per run');
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.saveRuns) checkOutputPath(a.saveRuns, '--save-runs');
  // Loaded here, not at start-up: the other commands never need the pool or the statistics.
  const [
    { prepareMc },
    { PoolEvaluator, SequentialEvaluator },
    { RunBlockEvaluator },
    { simulate },
    { mcResultJson, renderMcCsv, renderMcJson, renderMcTable, renderMcTargetsCsv },
    { RecordWriter },
  ] = await Promise.all([
    import('../montecarlo/prepare-mc.js'),
    import('../montecarlo/evaluators.js'),
    import('../montecarlo/run-block.js'),
    import('../montecarlo/simulate.js'),
    import('../report/mc-report.js'),
    import('../report/record-writer.js'),
  ]);
  const setup = { scenarioFile: a.scenarios?.[0] ?? DEFAULT_SCENARIO, overrides: a.set };
  const ctx = prepareMc(setup);
  warnAboutScenario(io, ctx.scenario);
  checkIndicators(a.indicators ?? [], ctx.scenario.model);
  checkRegions(a.regions ?? [], ctx.scenario.model);
  const local = new RunBlockEvaluator(ctx.image);
  const seed = f.seed ?? ctx.scenario.seed;
  announce(
    io,
    runs,
    `mc: ${count(runs)} runs of '${escapeControl(ctx.scenario.name)}' (seed ${seed}) ${workers === 0 ? 'in the main thread' : `on ${workers} workers`}`,
  );
  const evaluator = workers === 0 ? new SequentialEvaluator(local) : new PoolEvaluator(ctx.image, workers);
  let writer;
  try {
    writer = a.saveRuns ? new RecordWriter(a.saveRuns, local.saveColumns) : undefined;
  } catch (e) {
    await evaluator.close();
    throw e;
  }
  const bar = progressBar(io, 'mc', 'runs');
  const onInterrupt = (): void => {
    // The bar goes first, so that the message is not drawn over what is left of it.
    bar.stop();
    io.stderr('interrupted: stopping the workers\n');
  };
  whenAborted(interrupt.signal, onInterrupt);
  let result;
  try {
    result = await simulate(ctx, local, evaluator, {
      runs,
      seed,
      chunk: f.chunk ?? DEFAULT_CHUNK,
      signal: interrupt.signal,
      onProgress: (d, t) => bar.update(d, t),
      ...(writer ? { onRecords: (rec: Float64Array, cols: number) => writer!.write(rec, cols) } : {}),
    });
  } catch (e) {
    writer?.discard();
    throw e;
  } finally {
    bar.stop();
    interrupt.signal.removeEventListener('abort', onInterrupt);
  }
  if (result.partial) {
    setExit(interrupt.exitCode());
    if (result.runsCompleted === 0) {
      writer?.discard();
      io.stderr(`interrupted before any of the ${result.runsRequested} runs completed; nothing written\n`);
      return;
    }
    writer?.commit();
    if (!a.out) {
      const saved = a.saveRuns ? `; ${a.saveRuns} holds the ${result.runsCompleted} runs merged` : '';
      io.stderr(
        `interrupted after ${result.runsCompleted} of ${result.runsRequested} runs; no statistics written (use --out to keep partial results)${saved}\n`,
      );
      return;
    }
  } else writer?.commit();
  const meta = { command: reproducingCommand(inv) };
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(mcResultJson(result, meta)))], a.out);
  if (format === 'csv') return emitCsv(io, renderMcCsv(result), renderMcTargetsCsv(result), a.out);
  const text =
    format === 'json'
      ? renderMcJson(result, meta)
      : renderMcTable(result, {
          ...(a.indicators ? { indicators: a.indicators } : {}),
          ...(a.regions ? { regions: a.regions } : {}),
          step: f.step ?? 5,
        });
  emitOutput(io, text, a.out);
}

/** Call `f` when `signal` aborts, or now if it already has. */
function whenAborted(signal: AbortSignal, f: () => void): void {
  if (signal.aborted) f();
  else signal.addEventListener('abort', f, { once: true });
}
