import type { Argv } from 'yargs';
import { checkOutputPath, writeOutputFile } from '../report/atomic-write.js';
import { checkAll, UserError } from '../util/diagnostics.js';
import { MAX_EVIDENCE_RUNS } from './backtest.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { evidenceRuns, loadWithObserved } from './evidence-runs.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import {
  type ArgsOf,
  type LongHandler,
  longCommand,
  numberFlag,
  numberFlags,
  outputFormat,
  wholeFlag,
  wholeFlags,
  withObservedOption,
  withScenario,
  workersFlag,
} from './options.js';

const DEFAULT_RUNS = 4000;
const DEFAULT_REL_ERROR = 0.02;
const DEFAULT_POSTERIOR_ROWS = 1000;

function calibrateOptions(y: Argv) {
  return withObservedOption(withScenario(y))
    .option('fit', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'parameters to fit: NAME (a regional one: each region) or NAME.REGION',
    })
    .option('posterior', {
      type: 'boolean',
      default: true,
      describe: 'update the uncertainties by importance reweighting (--no-posterior: point fit only)',
    })
    .option('posterior-out', {
      type: 'string',
      describe: 'write the posterior as an uncertainties file (empirical joint rows) for policysim mc',
    })
    .option(
      'rel-error',
      numberFlag('standard error of an observation without sd, as a fraction of its value', DEFAULT_REL_ERROR),
    )
    .option('runs', wholeFlag('prior Monte Carlo runs for the posterior', DEFAULT_RUNS))
    .option('seed', wholeFlag("random seed (default: the scenario's seed)"))
    .option('workers', workersFlag())
    .option('posterior-rows', wholeFlag('rows of the resampled posterior table', DEFAULT_POSTERIOR_ROWS))
    .example('$0 calibrate scenarios/observed/hindcast.yaml --fit td_trend gdp_growth rd_trend', '');
}

export function calibrateCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'calibrate <scenario>',
    describe:
      'fit parameters to observed values (bounded least squares) and update the uncertainties (importance reweighting)',
    builder: calibrateOptions,
    handler: calibrateHandler,
  });
}

const calibrateHandler: LongHandler<ArgsOf<typeof calibrateOptions>> = async (io, setExit, interrupt, argv, inv) => {
  const a = argv;
  const format = outputFormat(a);
  // Every bad flag at once: each range is checked on the values that parsed (the others keep defaults).
  const [f, relError] = checkAll(
    () =>
      wholeFlags(argv, ['runs', 'seed', 'workers', 'posterior-rows'], [], { runs: { min: 1, max: MAX_EVIDENCE_RUNS } }),
    () => {
      const relError = numberFlags(argv, ['rel-error'])['rel-error'] ?? DEFAULT_REL_ERROR;
      if (!(relError > 0 && relError <= 1))
        throw new UserError({ path: '--rel-error', message: `must be a fraction in (0, 1] (got ${relError})` });
      return relError;
    },
    () => {
      if (a.posterior) return;
      const given = (['runs', 'workers', 'posterior-rows', 'posterior-out'] as const).filter(
        (k) => argv[k] !== undefined,
      );
      if (given.length > 0)
        throw new UserError(
          given.map((k) => ({ path: `--${k}`, message: 'applies to the posterior, not with --no-posterior' })),
        );
    },
  );
  const runs = f.runs ?? DEFAULT_RUNS;
  const rows = f['posterior-rows'] ?? DEFAULT_POSTERIOR_ROWS;
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.posteriorOut) checkOutputPath(a.posteriorOut, '--posterior-out');
  const [{ pointFit, resolveFitNames }, { importancePosterior }, pf, report] = await Promise.all([
    import('../evidence/point-fit.js'),
    import('../evidence/importance.js'),
    import('../evidence/posterior-file.js'),
    import('../report/calibrate-report.js'),
  ]);
  // The --fit names are checked with the uncertainties and the observed file: problems reported together.
  let unknowns: ReturnType<typeof resolveFitNames> = [];
  const { ctx, observed } = await loadWithObserved(io, a, (s) => {
    unknowns = resolveFitNames(s, a.fit);
  });
  const uncertain = ctx.spec.parameters.length > 0;
  if (a.posteriorOut && !uncertain)
    throw new UserError({
      path: '--posterior-out',
      message: 'the scenario has no uncertain parameters to update',
    });
  const fit = pointFit(ctx.scenario, observed, unknowns, relError);
  let posterior;
  if (uncertain && a.posterior) {
    const seed = f.seed ?? ctx.scenario.seed;
    const what = {
      label: 'calibrate',
      runsAre: 'prior runs',
      runs,
      seed,
      scenario: ctx.scenario,
      workers: f.workers,
      nothing: 'calibration',
    };
    posterior = await evidenceRuns(io, setExit, interrupt, a.set, what, (o) =>
      importancePosterior(ctx, observed, { ...o, runs, seed, relativeError: relError, sampleRows: rows }),
    );
    if (posterior === undefined) return;
  }
  if (interrupt.signal.aborted) {
    setExit(interrupt.exitCode());
    io.stderr('interrupted: no calibration written\n');
    return;
  }
  if (a.posteriorOut && posterior) {
    writeOutputFile(
      a.posteriorOut,
      pf.posteriorUncertaintiesYaml(ctx.spec, posterior, { scenario: ctx.scenario.file, observed: observed.file }),
      '--posterior-out',
    );
  }
  const r = {
    scenario: ctx.scenario,
    observedFile: observed.file,
    fit,
    ...(posterior ? { posterior } : {}),
    ...(a.posteriorOut && posterior ? { posteriorFile: a.posteriorOut } : {}),
  };
  const meta = { command: reproducingCommand(inv) };
  // From the JSON text, so that `policysim report` of the saved JSON writes the same bytes.
  if (format === 'html') return emitHtml(io, [JSON.parse(report.renderCalibrateJson(r, meta))], a.out);
  const text =
    format === 'json'
      ? report.renderCalibrateJson(r, meta)
      : format === 'csv'
        ? report.renderCalibrateCsv(r)
        : report.renderCalibrateTable(r);
  emitOutput(io, text, a.out);
};
