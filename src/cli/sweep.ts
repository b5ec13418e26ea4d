import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { withOutputOptions } from './options.js';
import { progressBar } from './progress.js';
import { warnAboutScenario } from './warnings.js';

export function sweepCommand(io: Io): CommandModule {
  return {
    command: 'sweep <file>',
    describe: 'sensitivity sweep: grid, one-at-a-time, Latin hypercube, Morris, Sobol, or policy grid × Monte Carlo',
    builder: (y) =>
      withOutputOptions(y)
        .positional('file', { type: 'string', demandOption: true, describe: 'sweep YAML file' })
        .option('workers', {
          type: 'number',
          describe: 'worker threads (0: in the main thread; default: all cores, or the main thread for small sweeps)',
        })
        .example('$0 sweep scenarios/sweeps/sobol-trade-gap.yaml', 'which factors drive the 2020 gap')
        .example(
          '$0 sweep scenarios/sweeps/tornado-levers.yaml --format csv --out tornado.csv',
          'raw design and outputs',
        ),
    handler: async (argv) => {
      const a = argv as unknown as { file: string; workers?: number; format: 'table' | 'csv' | 'json'; out?: string };
      if (a.workers !== undefined && (!Number.isSafeInteger(a.workers) || a.workers < 0 || a.workers > 256))
        throw new UserError({ path: '--workers', message: `must be a whole number from 0 to 256 (got ${a.workers})` });
      const [
        { renderSweepCsv, renderSweepJson, renderSweepTable },
        { loadSweep, designRows },
        { runSweep, POOL_THRESHOLD },
      ] = await Promise.all([
        import('../report/sweep-report.js'),
        import('../sweep/load-sweep.js'),
        import('../sweep/run-sweep.js'),
      ]);
      const sweep = loadSweep(a.file);
      warnAboutScenario(io, sweep.scenario);
      const evaluations = (designRows(sweep.raw)?.rows ?? Infinity) * (sweep.mc?.runs ?? 1);
      const workers = a.workers ?? (evaluations < POOL_THRESHOLD ? 0 : availableParallelism());
      const bar = progressBar(io, 'sweep', 'rows');
      let result;
      try {
        result = await runSweep(sweep, { workers, onProgress: (d, t) => bar.update(d, t) });
      } finally {
        bar.stop();
      }
      const text =
        a.format === 'json'
          ? renderSweepJson(result)
          : a.format === 'csv'
            ? renderSweepCsv(result)
            : renderSweepTable(result);
      emitOutput(io, text, a.out);
    },
  };
}
