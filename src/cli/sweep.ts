import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import { UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import {
  checkTotalWork,
  MAX_WORKERS,
  type OutputFormat,
  outputFormat,
  wholeFlags,
  withForceOption,
  withOutputOptions,
  withWholeFlag,
} from './options.js';
import { announce, progressBar } from './progress.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { type Interrupt, NO_INTERRUPT } from './signal-interrupt.js';

export function sweepCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION): CommandModule {
  return {
    command: 'sweep <file>',
    describe: 'sensitivity sweep: grid, one-at-a-time, Latin hypercube, Morris, Sobol, or policy grid × Monte Carlo',
    builder: (y) => {
      const o = withForceOption(withOutputOptions(y)).positional('file', {
        type: 'string',
        demandOption: true,
        describe: 'sweep YAML file',
      });
      withWholeFlag(
        o,
        'workers',
        `worker threads (0: in the main thread; at most ${MAX_WORKERS}; default: all cores, or the main thread for small sweeps)`,
      );
      return o
        .option('design-out', {
          type: 'string',
          describe: 'also write the raw design and its outputs, one row per model evaluation, to this CSV file',
        })
        .example('$0 sweep scenarios/sweeps/sobol-trade-gap.yaml', 'which factors drive the 2020 gap')
        .example(
          '$0 sweep scenarios/sweeps/tornado-levers.yaml --out tornado.csv --design-out tornado-design.csv',
          'the analysis, and the raw design and outputs',
        );
    },
    handler: async (argv) => {
      // Claimed first, as in mc: a signal while the files load stops the sweep cleanly.
      const interrupt = io.interrupt ?? NO_INTERRUPT;
      const release = interrupt.claim();
      try {
        await sweep(io, setExit, interrupt, argv, inv);
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
  inv: Invocation,
): Promise<void> {
  const a = argv as unknown as {
    file: string;
    format?: OutputFormat;
    out?: string;
    designOut?: string;
    force: boolean;
  };
  const format = outputFormat(a);
  const f = wholeFlags(argv, ['workers']);
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.designOut !== undefined) {
    if (!/\.csv$/i.test(a.designOut))
      throw new UserError({
        path: '--design-out',
        message: `the design is written as CSV: ${a.designOut} must end in .csv`,
      });
    checkOutputPath(a.designOut, '--design-out');
  }
  const [
    { renderSweepCsv, renderSweepDesignCsv, renderSweepJson, renderSweepTable, sweepResultJson },
    { loadSweep, designRows },
    { runSweep, POOL_THRESHOLD, SweepInterrupted },
  ] = await Promise.all([
    import('../report/sweep-report.js'),
    import('../sweep/load-sweep.js'),
    import('../sweep/run-sweep.js'),
  ]);
  const sweep = loadSweep(a.file);
  warnAboutScenario(io, sweep.scenario);
  const rows = designRows(sweep.raw)?.rows ?? Infinity;
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
  const bar = progressBar(io, 'sweep', 'rows');
  const onInterrupt = (): void => {
    bar.stop();
    io.stderr('interrupted: stopping the sweep\n');
  };
  if (interrupt.signal.aborted) onInterrupt();
  else interrupt.signal.addEventListener('abort', onInterrupt, { once: true });
  let result;
  try {
    result = await runSweep(sweep, { workers, signal: interrupt.signal, onProgress: (d, t) => bar.update(d, t) });
  } catch (e) {
    if (!(e instanceof SweepInterrupted)) throw e;
    setExit(interrupt.exitCode());
    io.stderr(`${e.message}; nothing written (the analysis needs every row of the design)\n`);
    return;
  } finally {
    bar.stop();
    interrupt.signal.removeEventListener('abort', onInterrupt);
  }
  if (a.designOut !== undefined) emitOutput(io, renderSweepDesignCsv(result), a.designOut);
  const meta = { command: reproducingCommand(inv) };
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(sweepResultJson(result, meta)))], a.out);
  const text =
    format === 'json'
      ? renderSweepJson(result, meta)
      : format === 'csv'
        ? renderSweepCsv(result)
        : renderSweepTable(result);
  emitOutput(io, text, a.out);
}
