import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';
import { UserError } from '../util/diagnostics.js';
import { emitHtml } from './html-output.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './invocation.js';
import { emitOutput, type Io } from './io.js';
import { type OutputFormat, outputFormat, withOutputOptions } from './options.js';
import { progressBar } from './progress.js';

export function sweepCommand(io: Io, inv: Invocation = NO_INVOCATION): CommandModule {
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
        .option('design-out', {
          type: 'string',
          describe: 'also write the raw design and its outputs, one row per model evaluation, to this CSV file',
        })
        .example('$0 sweep scenarios/sweeps/sobol-trade-gap.yaml', 'which factors drive the 2020 gap')
        .example(
          '$0 sweep scenarios/sweeps/tornado-levers.yaml --out tornado.csv --design-out tornado-design.csv',
          'the analysis, and the raw design and outputs',
        ),
    handler: async (argv) => {
      const a = argv as unknown as {
        file: string;
        workers?: number;
        format?: OutputFormat;
        out?: string;
        designOut?: string;
      };
      const format = outputFormat(a);
      if (a.designOut !== undefined && !/\.csv$/i.test(a.designOut))
        throw new UserError({
          path: '--design-out',
          message: `the design is written as CSV: ${a.designOut} must end in .csv`,
        });
      if (a.workers !== undefined && (!Number.isSafeInteger(a.workers) || a.workers < 0 || a.workers > 256))
        throw new UserError({ path: '--workers', message: `must be a whole number from 0 to 256 (got ${a.workers})` });
      const [
        { renderSweepCsv, renderSweepDesignCsv, renderSweepJson, renderSweepTable, sweepResultJson },
        { loadSweep, designRows },
        { runSweep, POOL_THRESHOLD },
      ] = await Promise.all([
        import('../report/sweep-report.js'),
        import('../sweep/load-sweep.js'),
        import('../sweep/run-sweep.js'),
      ]);
      const sweep = loadSweep(a.file);
      const evaluations = (designRows(sweep.raw)?.rows ?? Infinity) * (sweep.mc?.runs ?? 1);
      const workers = a.workers ?? (evaluations < POOL_THRESHOLD ? 0 : availableParallelism());
      const bar = progressBar(io, 'sweep', 'rows');
      let result;
      try {
        result = await runSweep(sweep, { workers, onProgress: (d, t) => bar.update(d, t) });
      } finally {
        bar.stop();
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
    },
  };
}
