import type { EnsembleOptions } from '../evidence/ensemble.js';
import type { ObservedSet } from '../evidence/observed-file.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { count } from '../report/format.js';
import type { Scenario } from '../scenario/scenario.js';
import { checkAll } from '../util/diagnostics.js';
import { escapeControl } from '../util/terminal-text.js';
import type { Io } from './io.js';
import { requireObserved, whereItRuns } from './options.js';
import { announce, withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { setOverrides } from './set-overrides.js';
import type { Interrupt } from './signal-interrupt.js';

/**
 * The scenario of backtest or calibrate with its uncertainties, and the observations it is graded or fitted
 * against: the observed file is checked with the uncertainties (and `also`, the command's own checks of the
 * scenario), and their problems are reported together.
 */
export async function loadWithObserved(
  io: Io,
  a: { readonly scenario: string; readonly set: readonly string[]; readonly observed?: string | undefined },
  also?: (scenario: Scenario) => void,
): Promise<{ ctx: McContext; observed: ObservedSet }> {
  const [{ prepareMc }, { loadObservedFor }] = await Promise.all([
    import('../montecarlo/prepare-mc.js'),
    import('../evidence/observed-file.js'),
  ]);
  let loaded: ObservedSet | undefined;
  const ctx = prepareMc({ scenarioFile: a.scenario, overrides: setOverrides(a.set) }, (s) =>
    checkAll(
      () => {
        loaded = loadObservedFor(s, a.observed);
      },
      () => also?.(s),
    ),
  );
  await warnAboutScenario(io, ctx.scenario);
  return { ctx, observed: requireObserved(loaded) };
}

/**
 * The Monte Carlo runs of backtest or calibrate under the progress bar: the start-up line when they are
 * many (`backtest: 4,000 runs of 'S' (seed 7) on 2 workers`), a failed run with the command that replays
 * it, and at an interrupt `interrupted: no <nothing> written` with the signal's exit code and undefined.
 */
export async function evidenceRuns<T>(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  sets: readonly string[],
  what: {
    readonly label: string;
    /** What the runs are, in the start-up line: "runs", "prior runs". */
    readonly runsAre: string;
    readonly runs: number;
    readonly seed: number;
    readonly scenario: Scenario;
    /** --workers as parsed: undefined is `auto`. */
    readonly workers: number | undefined;
    /** What an interrupt leaves unwritten: "backtest", "calibration". */
    readonly nothing: string;
  },
  work: (o: EnsembleOptions) => Promise<T>,
): Promise<T | undefined> {
  const { EnsembleInterrupted } = await import('../evidence/ensemble.js');
  const { label, runs, seed } = what;
  try {
    return await withProgressBar(io, interrupt.signal, { label, unit: 'runs', stopping: 'stopping' }, (bar) =>
      work({
        workers: what.workers ?? 'auto',
        onStart: (workers) =>
          announce(
            io,
            runs,
            `${label}: ${count(runs)} ${what.runsAre} of '${escapeControl(what.scenario.name)}' (seed ${seed}) ${whereItRuns(workers)}`,
          ),
        signal: interrupt.signal,
        onProgress: (d, t) => bar.update(d, t),
      }),
    );
  } catch (e) {
    if (e instanceof EnsembleInterrupted) {
      setExit(interrupt.exitCode());
      io.stderr(`interrupted: no ${what.nothing} written\n`);
      return undefined;
    }
    throw replayable(e, sets);
  }
}
