import type { CommandModule } from 'yargs';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { wholeNumber, withOutputOptions, withSetOption } from './options.js';
import { progressBar } from './progress.js';

export function backtestCommand(io: Io): CommandModule {
  return {
    command: 'backtest <scenario>',
    describe: "grade the scenario's Monte Carlo bands against observed values: coverage, PIT, CRPS, median error",
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML' })
        .option('observed', {
          type: 'string',
          describe: "observed CSV (default: the scenario's observed: file)",
        })
        .option('runs', {
          type: 'number',
          default: 4000,
          describe: 'Monte Carlo runs (kept per run for the observed cells)',
        })
        .option('seed', { type: 'number', describe: "random seed (default: the scenario's seed)" })
        .example('$0 backtest scenarios/observed/hindcast.yaml --runs 4000', ''),
    handler: async (argv) => {
      const a = argv as unknown as {
        scenario: string;
        observed?: string;
        runs: number;
        seed?: number;
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
      };
      wholeNumber('runs', a.runs, 1, 10_000_000);
      if (a.seed !== undefined) wholeNumber('seed', a.seed, 0, 2 ** 32 - 1);
      const [{ prepareMc }, { loadObservedFor }, { backtest }, report] = await Promise.all([
        import('../montecarlo/prepare-mc.js'),
        import('../evidence/observed-file.js'),
        import('../evidence/backtest.js'),
        import('../report/backtest-report.js'),
      ]);
      const ctx = prepareMc({ scenarioFile: a.scenario, overrides: a.set });
      const observed = loadObservedFor(ctx.scenario, a.observed);
      if (!observed)
        throw new UserError({
          path: '--observed',
          message: 'no observations: give --observed FILE or set observed: in the scenario',
        });
      if (ctx.spec.parameters.length === 0 && ctx.spec.shocks.length === 0)
        throw new UserError({
          location: { file: ctx.scenario.file },
          path: 'uncertainties',
          message: 'the scenario has no uncertainties, so every run is the same and there are no bands to grade',
        });
      const bar = progressBar(io, 'backtest', 'runs');
      let result;
      try {
        result = backtest(ctx, observed, a.runs, a.seed ?? ctx.scenario.seed, (d, t) => bar.update(d, t));
      } finally {
        bar.stop();
      }
      if (result.scores.length === 0)
        throw new UserError({
          location: { file: observed.file },
          path: '',
          message: `no observation after the base year ${ctx.scenario.model.baseYear}: nothing to backtest (base-year values are data)`,
        });
      const text =
        a.format === 'json'
          ? report.renderBacktestJson(result, ctx.scenario)
          : a.format === 'csv'
            ? report.renderBacktestCsv(result)
            : report.renderBacktestTable(result, ctx.scenario);
      emitOutput(io, text, a.out);
    },
  };
}
