import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import type { McState, McStateFile } from '../montecarlo/partial-state.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { DEFAULT_RUNS, type McJobArgs, planJob, resumeJob } from './mc-job.js';
import { type McFormat, mcOutputText } from './mc-output.js';
import { checkIndicators, checkRegions, wholeNumber, withOutputOptions, withSetOption } from './options.js';
import { progressBar } from './progress.js';

export const EXIT_INTERRUPTED = 130;

export function mcCommand(io: Io, setExit: (code: number) => void): CommandModule {
  return {
    command: 'mc [scenarios..]',
    describe:
      "Monte Carlo over the scenario's uncertainties, on worker threads: bands and target probabilities; several scenarios: paired on the same futures",
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenarios', {
          type: 'string',
          array: true,
          describe: 'scenario YAML (default: the built-in baseline); several: paired on the same futures',
        })
        .option('runs', { type: 'number', describe: 'number of futures to simulate (default 10000)' })
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
        .option('shard', {
          type: 'string',
          describe:
            'compute shard I of K (I/K, from 0), or auto/K / auto from a Slurm, Kubernetes or AWS Batch array; writes a partial-state file for policysim merge',
        })
        .option('checkpoint', {
          type: 'string',
          describe: 'keep the merged state in this file (atomically, every --checkpoint-every seconds and at Ctrl-C)',
        })
        .option('checkpoint-every', { type: 'number', default: 10, describe: 'seconds between checkpoints' })
        .option('resume', { type: 'string', describe: 'continue the job of this checkpoint file' })
        .option('precision', {
          type: 'number',
          describe: "stop when every target probability's 95% Wilson half-width is at most this (with --max-runs)",
        })
        .option('max-runs', { type: 'number', describe: 'the most runs the stopping rule may use' })
        .option('years', {
          type: 'number',
          array: true,
          describe: "several scenarios: years of the differences from the first (default: the targets' years)",
        })
        .example('$0 mc --runs 100000', 'the baseline on all cores')
        .example('$0 mc scenarios/ftz.yaml scenarios/paper-proposals.yaml --runs 20000', 'paired: the same futures')
        .example('$0 run scenarios/paper-proposals.yaml --mc-run 42 --seed 7', 'replay one future'),
    handler: async (argv) => {
      const a = argv as unknown as Omit<McJobArgs, 'scenario'> & {
        scenarios?: string[];
        workers: number;
        chunk: number;
        saveRuns?: string;
        format: McFormat;
        out?: string;
        set: string[];
        indicators?: string[];
        regions?: string[];
        step: number;
        checkpoint?: string;
        checkpointEvery: number;
        resume?: string;
        years?: number[];
      };
      if ((a.scenarios?.length ?? 0) > 1) {
        const single = (
          [
            ['--shard', a.shard],
            ['--checkpoint', a.checkpoint],
            ['--resume', a.resume],
            ['--precision', a.precision],
            ['--max-runs', a.maxRuns],
          ] as const
        ).filter(([, v]) => v !== undefined);
        if (single.length > 0)
          throw new UserError(
            single.map(([flag]) => ({
              path: flag,
              message: 'applies to one scenario (a paired run is not sharded or checkpointed)',
            })),
          );
        const { pairedMc } = await import('./mc-paired.js');
        return pairedMc(io, setExit, { ...a, runs: a.runs ?? DEFAULT_RUNS, scenarios: a.scenarios! });
      }
      if (a.years !== undefined)
        throw new UserError({ path: '--years', message: 'applies only to several scenarios (the paired differences)' });
      const jobArgs: McJobArgs = { ...a, ...(a.scenarios?.[0] !== undefined ? { scenario: a.scenarios[0] } : {}) };
      wholeNumber('workers', a.workers, 0, 256);
      wholeNumber('chunk', a.chunk, 1, 1e7);
      wholeNumber('step', a.step, 1, 1000);
      if (!(a.checkpointEvery >= 0 && a.checkpointEvery <= 86400))
        throw new UserError({
          path: '--checkpoint-every',
          message: `must be from 0 to 86400 seconds (got ${a.checkpointEvery})`,
        });
      // Loaded here, not at start-up: the other commands never need the pool or the statistics.
      const [
        { PoolEvaluator, SequentialEvaluator },
        { RunBlockEvaluator },
        { simulate },
        { RecordWriter },
        { writeStateFile },
        { MC_STATE_SCHEMA, renderStateFile },
      ] = await Promise.all([
        import('../montecarlo/evaluators.js'),
        import('../montecarlo/run-block.js'),
        import('../montecarlo/simulate.js'),
        import('../report/record-writer.js'),
        import('../montecarlo/checkpoint.js'),
        import('../montecarlo/partial-state.js'),
      ]);
      const job = a.resume ? resumeJob(a.resume, jobArgs) : planJob(jobArgs, process.env);
      const { ctx } = job;
      checkIndicators(a.indicators ?? [], ctx.scenario.model);
      checkRegions(a.regions ?? [], ctx.scenario.model);
      const checkpointFile = a.checkpoint ?? a.resume;
      const local = new RunBlockEvaluator(ctx.image);
      const evaluator = a.workers === 0 ? new SequentialEvaluator(local) : new PoolEvaluator(ctx.image, a.workers);
      let writer;
      try {
        writer = a.saveRuns ? new RecordWriter(a.saveRuns, local.saveColumns) : undefined;
      } catch (e) {
        await evaluator.close();
        throw e;
      }
      const stateFile = (
        kind: 'shard' | 'checkpoint',
        state: McState,
        done: number,
        stopped: string | null,
      ): McStateFile => ({
        schema: MC_STATE_SCHEMA,
        kind,
        manifest: job.manifest,
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
          runs: job.runs,
          seed: job.seed,
          chunk: a.chunk,
          range: job.range,
          ...(job.resume ? { resume: job.resume } : {}),
          ...(job.stopping ? { stopping: job.stopping } : {}),
          ...(checkpointFile
            ? { onCheckpoint: (st: McState) => checkpoint(st), checkpointEveryMs: a.checkpointEvery * 1000 }
            : {}),
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
      // The last state, finished or not: a resume from it repeats no run.
      checkpoint(result.state, result.stop?.reason ?? null);
      const resumeHint = checkpointFile ? `; continue with: policysim mc --resume ${checkpointFile}` : '';
      if (result.partial) {
        setExit(EXIT_INTERRUPTED);
        if (!a.out || job.shard) {
          const saved = a.saveRuns ? `; ${a.saveRuns} holds the ${result.runsCompleted} runs merged` : '';
          io.stderr(
            `interrupted after ${result.runsCompleted} of ${job.range.end - job.range.first} runs; no statistics written${job.shard || checkpointFile ? '' : ' (use --out to keep partial results)'}${saved}${resumeHint}\n`,
          );
          return;
        }
      }
      if (job.shard) {
        emitOutput(io, renderStateFile(stateFile('shard', result.state, job.range.end, null)), a.out);
        return;
      }
      const text = mcOutputText({ ...result, manifest: job.manifest }, a.format, a);
      emitOutput(io, text, a.out);
    },
  };
}
