import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
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
  const a = argv as unknown as { file: string; format: 'table' | 'csv' | 'json'; out?: string; force: boolean };
  const f = wholeFlags(argv, ['workers']);
  if (a.out) checkOutputPath(a.out, '--out');
  const [
    { renderSweepCsv, renderSweepJson, renderSweepTable },
    { loadSweep, designRows },
    { runSweep, POOL_THRESHOLD, SweepInterrupted },
  ] = await Promise.all([
    import('../report/sweep-report.js'),
    import('../sweep/load-sweep.js'),
    import('../sweep/run-sweep.js'),
  ]);
  const sweep = loadSweep(a.file);
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
  const text =
    a.format === 'json'
      ? renderSweepJson(result)
      : a.format === 'csv'
        ? renderSweepCsv(result)
        : renderSweepTable(result);
  emitOutput(io, text, a.out);
}
