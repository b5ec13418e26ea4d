import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { EXIT_INTERRUPTED } from './mc.js';
import { checkIndicators, checkRegions, wholeNumber } from './options.js';
import { progressBar } from './progress.js';

/** Paired statistics keep each run's target and difference cells of every scenario in memory. */
export const MAX_PAIRED_RUNS = 1_000_000;

export interface PairedArgs {
  readonly scenarios: string[];
  readonly runs: number;
  readonly seed?: number;
  readonly workers: number;
  readonly chunk: number;
  readonly saveRuns?: string;
  readonly format: 'table' | 'csv' | 'json';
  readonly out?: string;
  readonly set: string[];
  readonly indicators?: string[];
  readonly regions?: string[];
  readonly step: number;
  readonly years?: number[];
}

/** `policysim mc A.yaml B.yaml ...`: every scenario on the same futures, then paired statistics. */
export async function pairedMc(io: Io, setExit: (code: number) => void, a: PairedArgs): Promise<void> {
  wholeNumber('runs', a.runs, 1, MAX_PAIRED_RUNS);
  wholeNumber('workers', a.workers, 0, 256);
  wholeNumber('chunk', a.chunk, 1, 1e7);
  if (a.seed !== undefined) wholeNumber('seed', a.seed, 0, 2 ** 32 - 1);
  wholeNumber('step', a.step, 1, 1000);
  for (const y of a.years ?? []) wholeNumber('years', y, 1, 9999);
  if (a.saveRuns !== undefined)
    throw new UserError({
      path: '--save-runs',
      message:
        'applies to one scenario; run `policysim mc SCENARIO --save-runs` for each (the same seed gives the same futures)',
    });
  const [{ prepareMc }, { PoolEvaluator, SequentialEvaluator }, { simulatePaired }, report] = await Promise.all([
    import('../montecarlo/prepare-mc.js'),
    import('../montecarlo/evaluators.js'),
    import('../decision/paired-run.js'),
    import('../report/paired-report.js'),
  ]);
  const ctxs = a.scenarios.map((f) => prepareMc({ scenarioFile: f, overrides: a.set }));
  const model = ctxs[0]!.scenario.model;
  checkIndicators(a.indicators ?? [], model);
  checkRegions(a.regions ?? [], model);
  const { horizon } = ctxs[0]!.scenario;
  for (const y of a.years ?? [])
    if (y < horizon.start || y > horizon.end)
      throw new UserError({
        path: '--years',
        message: `year ${y} is outside the horizon ${horizon.start}-${horizon.end}`,
      });
  const seed = a.seed ?? ctxs[0]!.scenario.seed;
  const bar = progressBar(io, 'mc (paired)', 'runs');
  const abort = new AbortController();
  const onSigint = (): void => {
    io.stderr('\ninterrupted: stopping the workers\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  let result;
  try {
    result = await simulatePaired(
      ctxs,
      (ctx, local) => (a.workers === 0 ? new SequentialEvaluator(local) : new PoolEvaluator(ctx.image, a.workers)),
      {
        runs: a.runs,
        seed,
        chunk: a.chunk,
        signal: abort.signal,
        ...(a.indicators ? { indicators: a.indicators } : {}),
        ...(a.regions ? { regions: a.regions } : {}),
        ...(a.years ? { years: a.years } : {}),
        onProgress: (i, d, t) => bar.update(i * t + d, t * ctxs.length),
      },
    );
  } finally {
    bar.stop();
    process.removeListener('SIGINT', onSigint);
  }
  if (result.partial) {
    setExit(EXIT_INTERRUPTED);
    if (!a.out) {
      io.stderr(
        `interrupted: ${result.runs} of ${result.runsRequested} paired runs; no statistics written (use --out to keep partial results)\n`,
      );
      return;
    }
  }
  const text =
    a.format === 'json'
      ? report.renderPairedJson(result)
      : a.format === 'csv'
        ? report.renderPairedCsv(result)
        : report.renderPairedTable(result, {
            ...(a.indicators ? { indicators: a.indicators } : {}),
            ...(a.regions ? { regions: a.regions } : {}),
            step: a.step,
          });
  emitOutput(io, text, a.out);
}
