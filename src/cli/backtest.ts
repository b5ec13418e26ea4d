import type { Argv } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { evidenceRuns, loadWithObserved } from './evidence-runs.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import {
  type ArgsOf,
  type LongHandler,
  longCommand,
  outputFormat,
  wholeFlag,
  wholeFlags,
  withObservedOption,
  withScenario,
  workersFlag,
} from './options.js';

const DEFAULT_RUNS = 4000;
/** Runs are kept per observed cell in memory (src/evidence/ensemble.ts), so fewer than `mc` allows. */
export const MAX_EVIDENCE_RUNS = 1_000_000;

function backtestOptions(y: Argv) {
  return withObservedOption(withScenario(y))
    .option('runs', wholeFlag('Monte Carlo runs (kept per run for the observed cells)', DEFAULT_RUNS))
    .option('seed', wholeFlag("random seed (default: the scenario's seed)"))
    .option('workers', workersFlag())
    .example('$0 backtest scenarios/observed/hindcast.yaml --runs 4000', '');
}

export function backtestCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'backtest <scenario>',
    describe: "grade the scenario's Monte Carlo bands against observed values: coverage, PIT, CRPS, median error",
    builder: backtestOptions,
    handler: backtestHandler,
  });
}

const backtestHandler: LongHandler<ArgsOf<typeof backtestOptions>> = async (io, setExit, interrupt, a, inv) => {
  const format = outputFormat(a);
  const f = wholeFlags(a, ['runs', 'seed', 'workers'], [], { runs: { min: 1, max: MAX_EVIDENCE_RUNS } });
  const runs = f.runs ?? DEFAULT_RUNS;
  if (a.out) checkOutputPath(a.out, '--out');
  const [{ backtest }, report] = await Promise.all([
    import('../evidence/backtest.js'),
    import('../report/backtest-report.js'),
  ]);
  const { ctx, observed } = await loadWithObserved(io, a);
  if (ctx.spec.parameters.length === 0 && ctx.spec.shocks.length === 0)
    throw new UserError({
      location: { file: ctx.scenario.file },
      path: 'uncertainties',
      message: 'the scenario has no uncertainties, so every run is the same and there are no bands to grade',
    });
  if (!observed.observations.some((o) => o.year > ctx.scenario.model.baseYear))
    throw new UserError({
      location: { file: observed.file },
      path: '',
      message: `no observation after the base year ${ctx.scenario.model.baseYear}: nothing to backtest (base-year values are data)`,
    });
  const seed = f.seed ?? ctx.scenario.seed;
  const what = {
    label: 'backtest',
    runsAre: 'runs',
    runs,
    seed,
    scenario: ctx.scenario,
    workers: f.workers,
    nothing: 'backtest',
  };
  const result = await evidenceRuns(io, setExit, interrupt, a.set, what, (o) => backtest(ctx, observed, runs, seed, o));
  if (result === undefined) return;
  const meta = { command: reproducingCommand(inv) };
  switch (format) {
    case 'json':
      return emitOutput(io, report.renderBacktestJson(result, ctx.scenario, meta), a.out);
    case 'html':
      // From the JSON text, so that `policysim report` of the saved JSON writes the same bytes.
      return emitHtml(io, [JSON.parse(report.renderBacktestJson(result, ctx.scenario, meta))], a.out);
    case 'csv':
      return emitOutput(io, report.renderBacktestCsv(result), a.out);
    case 'table':
      return emitOutput(io, report.renderBacktestTable(result, ctx.scenario), a.out);
  }
};
