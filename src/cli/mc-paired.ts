import { checkOutputPath } from '../report/atomic-write.js';
import { count } from '../report/format.js';
import { UserError } from '../util/diagnostics.js';
import { type Invocation, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import type { McArgs } from './mc.js';
import {
  checkIndicators,
  checkRegions,
  checkTotalWork,
  type OutputFormat,
  whereItRuns,
  wholeFlags,
  wholeNumber,
} from './options.js';
import { announce, withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { setOverrides } from './set-overrides.js';
import type { Interrupt } from './signal-interrupt.js';

/** Paired statistics keep each run's target and difference cells of every scenario in memory. */
export const MAX_PAIRED_RUNS = 1_000_000;

/** mc's argv with the scenarios given and the output format decided. */
type PairedArgs = McArgs & { readonly scenarios: string[]; readonly format: OutputFormat };

/** `policysim mc A.yaml B.yaml ...`: every scenario on the same futures, then paired statistics. */
export async function pairedMc(
  io: Io,
  setExit: (code: number) => void,
  interrupt: Interrupt,
  a: PairedArgs,
  inv: Invocation,
): Promise<void> {
  const f = wholeFlags(a, ['runs', 'seed', 'workers', 'chunk', 'step'], ['years']);
  const runs = f.runs ?? 10_000;
  wholeNumber('runs', runs, 1, MAX_PAIRED_RUNS);
  const years = f.years;
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.saveRuns !== undefined)
    throw new UserError({
      path: '--save-runs',
      message:
        'applies to one scenario; run `policysim mc SCENARIO --save-runs` for each (the same seed gives the same futures)',
    });
  const [{ prepareMc }, { simulatePaired }, report] = await Promise.all([
    import('../montecarlo/prepare-mc.js'),
    import('../decision/paired-run.js'),
    import('../report/paired-report.js'),
  ]);
  const ctxs = a.scenarios.map((f) => prepareMc({ scenarioFile: f, overrides: setOverrides(a.set) }));
  const model = ctxs[0]!.scenario.model;
  checkIndicators(a.indicators ?? [], model);
  checkRegions(a.regions ?? [], model);
  const { horizon } = ctxs[0]!.scenario;
  for (const y of years ?? [])
    if (y < horizon.start || y > horizon.end)
      throw new UserError({
        path: '--years',
        message: `year ${y} is outside the horizon ${horizon.start}-${horizon.end}`,
      });
  const seed = f.seed ?? ctxs[0]!.scenario.seed;
  const evaluations = runs * ctxs.length;
  checkTotalWork(evaluations, a.force, { path: '--runs' }, `${count(runs)} runs × ${ctxs.length} scenarios`);
  let result;
  try {
    const progress = { label: 'mc (paired)', unit: 'runs', stopping: 'stopping the workers' };
    result = await withProgressBar(io, interrupt.signal, progress, (bar) =>
      simulatePaired(ctxs, {
        workers: f.workers ?? 'auto',
        onStart: (workers) =>
          announce(
            io,
            evaluations,
            `mc: ${count(runs)} paired runs of ${ctxs.length} scenarios (seed ${seed}) ${whereItRuns(workers)}`,
          ),
        runs,
        seed,
        chunk: f.chunk ?? 8192,
        signal: interrupt.signal,
        ...(a.indicators ? { indicators: a.indicators } : {}),
        ...(a.regions ? { regions: a.regions } : {}),
        ...(years ? { years } : {}),
        onProgress: (i, d, t) => bar.update(i * t + d, t * ctxs.length),
      }),
    );
  } catch (e) {
    throw replayable(e, a.set);
  }
  if (result.partial) {
    setExit(interrupt.exitCode());
    if (!a.out) {
      io.stderr(
        `interrupted: ${result.runs} of ${result.runsRequested} paired runs; no statistics written (use --out to keep partial results)\n`,
      );
      return;
    }
  }
  const meta = { command: reproducingCommand(inv) };
  // The HTML report is made from the JSON, as `policysim report` makes it from the file.
  if (a.format === 'html')
    return emitHtml(io, [JSON.parse(JSON.stringify(report.pairedResultJson(result, meta)))], a.out);
  const text =
    a.format === 'json'
      ? report.renderPairedJson(result, meta)
      : a.format === 'csv'
        ? report.renderPairedCsv(result)
        : report.renderPairedTable(result, {
            ...(a.indicators ? { indicators: a.indicators } : {}),
            ...(a.regions ? { regions: a.regions } : {}),
            step: f.step ?? 5,
          });
  emitOutput(io, text, a.out);
}
