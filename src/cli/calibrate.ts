import type { CommandModule } from 'yargs';
import { checkOutputPath, writeOutputFile } from '../report/atomic-write.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { wholeNumber, withOutputOptions, withSetOption } from './options.js';
import { progressBar } from './progress.js';

export function calibrateCommand(io: Io): CommandModule {
  return {
    command: 'calibrate <scenario>',
    describe:
      'fit parameters to observed values (bounded least squares) and update the uncertainties (importance reweighting)',
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML' })
        .option('observed', { type: 'string', describe: "observed CSV (default: the scenario's observed: file)" })
        .option('fit', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'parameters to fit: NAME (a regional one: each region) or NAME.REGION',
        })
        .option('rel-error', {
          type: 'number',
          default: 0.02,
          describe: 'standard error of an observation without sd, as a fraction of its value',
        })
        .option('runs', {
          type: 'number',
          default: 4000,
          describe: 'prior Monte Carlo runs for the posterior (0: point fit only)',
        })
        .option('seed', { type: 'number', describe: "random seed (default: the scenario's seed)" })
        .option('posterior-rows', { type: 'number', default: 1000, describe: 'rows of the resampled posterior table' })
        .option('posterior-out', {
          type: 'string',
          describe: 'write the posterior as an uncertainties file (empirical joint rows) for policysim mc',
        })
        .example('$0 calibrate scenarios/observed/hindcast.yaml --fit td_trend gdp_growth rd_trend', ''),
    handler: async (argv) => {
      const a = argv as unknown as {
        scenario: string;
        observed?: string;
        fit: string[];
        relError: number;
        runs: number;
        seed?: number;
        posteriorRows: number;
        posteriorOut?: string;
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
      };
      if (!(a.relError > 0 && a.relError <= 1))
        throw new UserError({ path: '--rel-error', message: `must be a fraction in (0, 1] (got ${a.relError})` });
      wholeNumber('runs', a.runs, 0, 10_000_000);
      wholeNumber('posterior-rows', a.posteriorRows, 1, 100_000);
      if (a.seed !== undefined) wholeNumber('seed', a.seed, 0, 2 ** 32 - 1);
      if (a.out) checkOutputPath(a.out, '--out');
      if (a.posteriorOut) checkOutputPath(a.posteriorOut, '--posterior-out');
      const [{ prepareMc }, { loadObservedFor }, { pointFit, resolveFitNames }, { importancePosterior }, pf, report] =
        await Promise.all([
          import('../montecarlo/prepare-mc.js'),
          import('../evidence/observed-file.js'),
          import('../evidence/point-fit.js'),
          import('../evidence/importance.js'),
          import('../evidence/posterior-file.js'),
          import('../report/calibrate-report.js'),
        ]);
      const ctx = prepareMc({ scenarioFile: a.scenario, overrides: a.set });
      const observed = loadObservedFor(ctx.scenario, a.observed);
      if (!observed)
        throw new UserError({
          path: '--observed',
          message: 'no observations: give --observed FILE or set observed: in the scenario',
        });
      const unknowns = resolveFitNames(ctx.scenario, a.fit);
      const fit = pointFit(ctx.scenario, observed, unknowns, a.relError);
      const uncertain = ctx.spec.parameters.length > 0;
      if (a.posteriorOut && (!uncertain || a.runs === 0))
        throw new UserError({
          path: '--posterior-out',
          message: uncertain ? 'needs --runs above 0' : 'the scenario has no uncertain parameters to update',
        });
      let posterior;
      if (uncertain && a.runs > 0) {
        const bar = progressBar(io, 'calibrate', 'runs');
        try {
          posterior = importancePosterior(ctx, observed, {
            runs: a.runs,
            seed: a.seed ?? ctx.scenario.seed,
            relativeError: a.relError,
            sampleRows: a.posteriorRows,
            onProgress: (d, t) => bar.update(d, t),
          });
        } finally {
          bar.stop();
        }
        if (a.posteriorOut) {
          writeOutputFile(
            a.posteriorOut,
            pf.posteriorUncertaintiesYaml(ctx.spec, posterior, {
              scenario: ctx.scenario.file,
              observed: observed.file,
            }),
            '--posterior-out',
          );
        }
      }
      const r = {
        scenario: ctx.scenario,
        observedFile: observed.file,
        fit,
        ...(posterior ? { posterior } : {}),
        ...(a.posteriorOut && posterior ? { posteriorFile: a.posteriorOut } : {}),
      };
      const text =
        a.format === 'json'
          ? report.renderCalibrateJson(r)
          : a.format === 'csv'
            ? report.renderCalibrateCsv(r)
            : report.renderCalibrateTable(r);
      emitOutput(io, text, a.out);
    },
  };
}
