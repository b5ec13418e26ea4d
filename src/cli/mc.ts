import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { DEFAULT_SCENARIO } from '../scenario/defaults.js';
import { emitOutput, type Io } from './io.js';
import { checkIndicators, checkRegions, wholeNumber, withOutputOptions, withSetOption } from './options.js';
import { progressBar } from './progress.js';

export const EXIT_INTERRUPTED = 130;

export function mcCommand(io: Io, setExit: (code: number) => void): CommandModule {
  return {
    command: 'mc [scenario]',
    describe: "Monte Carlo over the scenario's uncertainties, on worker threads: bands and target probabilities",
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenario', { type: 'string', describe: 'scenario YAML (default: the built-in baseline)' })
        .option('runs', { type: 'number', default: 10000, describe: 'number of futures to simulate' })
        .option('seed', { type: 'number', describe: "random seed (default: the scenario's seed)" })
        .option('workers', {
          type: 'number',
          default: availableParallelism(),
          describe: 'worker threads (0: compute in the main thread)',
        })
        .option('chunk', {
          type: 'number',
          default: 8192,
          describe: 'runs per block sent to a worker (results do not depend on it)',
        })
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
        .option('step', { type: 'number', default: 5, describe: 'show every STEP years in the table' })
        .example('$0 mc --runs 100000', 'the baseline on all cores')
        .example('$0 run scenarios/paper-proposals.yaml --mc-run 42 --seed 7', 'replay one future'),
    handler: async (argv) => {
      const a = argv as unknown as {
        scenario?: string;
        runs: number;
        seed?: number;
        workers: number;
        chunk: number;
        saveRuns?: string;
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
        indicators?: string[];
        regions?: string[];
        step: number;
      };
      wholeNumber('runs', a.runs, 1, 1e10);
      wholeNumber('workers', a.workers, 0, 256);
      wholeNumber('chunk', a.chunk, 1, 1e7);
      if (a.seed !== undefined) wholeNumber('seed', a.seed, 0, 2 ** 32 - 1);
      wholeNumber('step', a.step, 1, 1000);
      // Loaded here, not at start-up: the other commands never need the pool or the statistics.
      const [
        { prepareMc },
        { PoolEvaluator, SequentialEvaluator },
        { RunBlockEvaluator },
        { simulate },
        { renderMcCsv, renderMcJson, renderMcTable },
        { RecordWriter },
      ] = await Promise.all([
        import('../montecarlo/prepare-mc.js'),
        import('../montecarlo/evaluators.js'),
        import('../montecarlo/run-block.js'),
        import('../montecarlo/simulate.js'),
        import('../report/mc-report.js'),
        import('../report/record-writer.js'),
      ]);
      const setup = { scenarioFile: a.scenario ?? DEFAULT_SCENARIO, overrides: a.set };
      const ctx = prepareMc(setup);
      checkIndicators(a.indicators ?? [], ctx.scenario.model);
      checkRegions(a.regions ?? [], ctx.scenario.model);
      const local = new RunBlockEvaluator(ctx.image);
      const seed = a.seed ?? ctx.scenario.seed;
      const evaluator = a.workers === 0 ? new SequentialEvaluator(local) : new PoolEvaluator(ctx.image, a.workers);
      let writer;
      try {
        writer = a.saveRuns ? new RecordWriter(a.saveRuns, local.saveColumns) : undefined;
      } catch (e) {
        await evaluator.close();
        throw e;
      }
      const bar = progressBar(io, 'mc', 'runs');
      const abort = new AbortController();
      const onSigint = (): void => {
        io.stderr('\ninterrupted: stopping the workers\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      let result;
      try {
        result = await simulate(ctx, local, evaluator, {
          runs: a.runs,
          seed,
          chunk: a.chunk,
          signal: abort.signal,
          onProgress: (d, t) => bar.update(d, t),
          ...(writer ? { onRecords: (rec: Float64Array, cols: number) => writer!.write(rec, cols) } : {}),
        });
      } catch (e) {
        writer?.discard();
        throw e;
      } finally {
        bar.stop();
        process.removeListener('SIGINT', onSigint);
      }
      writer?.commit();
      if (result.partial) {
        setExit(EXIT_INTERRUPTED);
        if (!a.out) {
          const saved = a.saveRuns ? `; ${a.saveRuns} holds the ${result.runsCompleted} runs merged` : '';
          io.stderr(
            `interrupted after ${result.runsCompleted} of ${result.runsRequested} runs; no statistics written (use --out to keep partial results)${saved}\n`,
          );
          return;
        }
      }
      const text =
        a.format === 'json'
          ? renderMcJson(result)
          : a.format === 'csv'
            ? renderMcCsv(result)
            : renderMcTable(result, {
                ...(a.indicators ? { indicators: a.indicators } : {}),
                ...(a.regions ? { regions: a.regions } : {}),
                step: a.step,
              });
      emitOutput(io, text, a.out);
    },
  };
}
