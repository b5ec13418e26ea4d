import type { Argv } from 'yargs';
import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import { UserError } from '../util/diagnostics.js';
import { escapeControl } from '../util/terminal-text.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import {
  type ArgsOf,
  longCommand,
  outputFormat,
  requireObserved,
  whereItRuns,
  wholeFlag,
  wholeFlags,
  withObservedOption,
  withScenario,
  workersFlag,
} from './options.js';
import { announce, withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { setOverrides } from './set-overrides.js';
import type { Interrupt } from './signal-interrupt.js';

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

async function backtestHandler(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  a: ArgsOf<typeof backtestOptions>,
  inv: Invocation,
): Promise<void> {
  const format = outputFormat(a);
  const f = wholeFlags(a, ['runs', 'seed', 'workers'], [], { runs: { min: 1, max: MAX_EVIDENCE_RUNS } });
  const runs = f.runs ?? DEFAULT_RUNS;
  if (a.out) checkOutputPath(a.out, '--out');
  const [{ prepareMc }, { loadObservedFor }, { backtest }, { EnsembleInterrupted }, report] = await Promise.all([
    import('../montecarlo/prepare-mc.js'),
    import('../evidence/observed-file.js'),
    import('../evidence/backtest.js'),
    import('../evidence/ensemble.js'),
    import('../report/backtest-report.js'),
  ]);
  // The observed file is checked with the uncertainties: their problems are reported together.
  let loaded: ReturnType<typeof loadObservedFor>;
  const ctx = prepareMc({ scenarioFile: a.scenario, overrides: setOverrides(a.set) }, (s) => {
    loaded = loadObservedFor(s, a.observed);
  });
  warnAboutScenario(io, ctx.scenario);
  const observed = requireObserved(loaded);
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
  let result;
  try {
    result = await withProgressBar(
      io,
      interrupt.signal,
      { label: 'backtest', unit: 'runs', stopping: 'stopping' },
      (bar) =>
        backtest(ctx, observed, runs, seed, {
          workers: f.workers ?? 'auto',
          onStart: (workers) =>
            announce(
              io,
              runs,
              `backtest: ${count(runs)} runs of '${escapeControl(ctx.scenario.name)}' (seed ${seed}) ${whereItRuns(workers)}`,
            ),
          signal: interrupt.signal,
          onProgress: (d, t) => bar.update(d, t),
        }),
    );
  } catch (e) {
    if (e instanceof EnsembleInterrupted) {
      setExit(interrupt.exitCode());
      io.stderr('interrupted: no backtest written\n');
      return;
    }
    throw replayable(e, a.set);
  }
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
}
