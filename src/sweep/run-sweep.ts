import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { RunError, UserError } from '../util/diagnostics.js';
import { DesignError, grid, lhs, morris, oat, sobol, type Problem } from './design/index.js';
import type { Matrix } from './design/matrix.js';
import type { Sweep } from './load-sweep.js';
import { RowEvaluator, sweepImage } from './row-evaluator.js';
import type { SweepTask } from './sweep-messages.js';

export type Analysis =
  | { readonly method: 'grid' | 'policy-grid'; readonly result: grid.GridResult; readonly table?: grid.GridTable }
  | { readonly method: 'oat'; readonly result: oat.OatResult }
  | { readonly method: 'lhs'; readonly result: lhs.LhsResult }
  | { readonly method: 'morris'; readonly result: morris.MorrisResult }
  | { readonly method: 'sobol'; readonly result: sobol.SobolResult };

export interface SweepResult {
  readonly sweep: Sweep;
  readonly X: Matrix;
  /** Rows × outputs. */
  readonly Y: Float64Array;
  readonly analyses: readonly Analysis[];
  readonly notes: readonly string[];
}

type Design =
  | { method: 'grid' | 'policy-grid'; d: grid.GridDesign }
  | { method: 'oat'; d: oat.OatDesign }
  | { method: 'lhs'; d: lhs.LhsDesign }
  | { method: 'morris'; d: morris.MorrisDesign }
  | { method: 'sobol'; d: sobol.SobolDesign };

const DEFAULT_GRID_LEVELS = 5;

/** Build the design matrix of a sweep; design-parameter problems become located user errors. */
export function makeDesign(sweep: Sweep): { design: Design; problem: Problem } {
  const { raw, factors } = sweep;
  const problem: Problem = { names: factors.map((f) => f.name), toValue: (i, u) => factors[i]!.toValue(u) };
  try {
    switch (raw.design) {
      case 'grid':
      case 'policy-grid': {
        const levels = factors.map((f) => f.levels ?? Array.from({ length: DEFAULT_GRID_LEVELS }, (_, k) => f.lo + ((f.hi - f.lo) * k) / (DEFAULT_GRID_LEVELS - 1)));
        return { design: { method: raw.design, d: grid.sample(problem, { levels }) }, problem };
      }
      case 'oat':
        return { design: { method: 'oat', d: oat.sample(problem, { base: factors.map((f) => f.base), low: factors.map((f) => f.lo), high: factors.map((f) => f.hi) }) }, problem };
      case 'lhs':
        return { design: { method: 'lhs', d: lhs.sample(problem, { samples: raw.samples!, seed: raw.seed }) }, problem };
      case 'morris':
        return { design: { method: 'morris', d: morris.sample(problem, { trajectories: raw.trajectories!, levels: raw.levels ?? 4, seed: raw.seed }) }, problem };
      case 'sobol':
        return { design: { method: 'sobol', d: sobol.sample(problem, { samples: raw.samples!, secondOrder: raw.second_order }) }, problem };
    }
  } catch (e) {
    if (e instanceof DesignError) {
      const key = ['samples', 'trajectories', 'levels'].includes(e.param) ? e.param : 'design';
      throw new UserError({ location: { file: sweep.file }, path: key, message: e.message.replace(/^\w+: /, '') });
    }
    throw e;
  }
}

export interface RunSweepOptions {
  /** 0: evaluate in this thread. */
  readonly workers: number;
  readonly onProgress?: (rowsDone: number, total: number) => void;
}

const workerFile = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));

/** Evaluate every design row (on the pool) and analyse each output. */
export async function runSweep(sweep: Sweep, o: RunSweepOptions): Promise<SweepResult> {
  const { design, problem } = makeDesign(sweep);
  const X = design.d.X;
  const rows = X.rows;
  const D = X.cols;
  const O = sweep.outputs.length;
  const Y = new Float64Array(rows * O);
  // Rows per task: small enough to spread work, large enough to amortise messages.
  const perRow = sweep.mc ? sweep.mc.runs : 1;
  const chunk = Math.max(1, Math.min(4096, Math.ceil(20000 / perRow), Math.ceil(rows / Math.max(1, o.workers * 4))));
  let done = 0;
  const image = sweepImage(sweep);
  if (o.workers === 0) {
    const ev = new RowEvaluator(image);
    for (let first = 0; first < rows; first += chunk) {
      const n = Math.min(chunk, rows - first);
      Y.set(ev.evaluate(X.data.subarray(first * D, (first + n) * D), n), first * O);
      done += n;
      o.onProgress?.(done, rows);
      await new Promise<void>((r) => setImmediate(r));
    }
  } else {
    if (!existsSync(workerFile)) throw new RunError(`worker script not found at ${workerFile}: run 'npm run build' first`);
    const pool = new Piscina({ filename: workerFile, minThreads: o.workers, maxThreads: o.workers, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    // A late result from a worker after a failure is reported as an 'error' event: not a crash.
    pool.on('error', () => {});
    try {
      const tasks: Promise<void>[] = [];
      for (let first = 0; first < rows; first += chunk) {
        const n = Math.min(chunk, rows - first);
        const task: SweepTask = { image, X: X.data.slice(first * D, (first + n) * D), rows: n };
        tasks.push(
          (pool.run(task) as Promise<Float64Array>).then((y) => {
            // Rows land at their own index: the result does not depend on completion order.
            Y.set(y, first * O);
            done += n;
            o.onProgress?.(done, rows);
          }),
        );
      }
      await Promise.all(tasks);
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new RunError(`a sweep worker failed: ${(e as Error).message}`);
    } finally {
      await pool.destroy();
    }
  }
  const notes: string[] = design.method === 'sobol' ? [...design.d.notes] : [];
  const analyses: Analysis[] = sweep.outputs.map((_, k) => {
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) y[i] = Y[i * O + k]!;
    switch (design.method) {
      case 'grid':
      case 'policy-grid':
        return { method: design.method, result: grid.analyze(problem, design.d, y), ...(D === 2 ? { table: grid.table(problem, design.d, y) } : {}) };
      case 'oat':
        return { method: 'oat', result: oat.analyze(problem, design.d, y) };
      case 'lhs':
        return { method: 'lhs', result: lhs.analyze(problem, design.d, y) };
      case 'morris':
        return { method: 'morris', result: morris.analyze(problem, design.d, y, { resamples: sweep.raw.bootstrap, seed: sweep.raw.seed }) };
      case 'sobol':
        return { method: 'sobol', result: sobol.analyze(problem, design.d, y, { resamples: sweep.raw.bootstrap, seed: sweep.raw.seed }) };
    }
  });
  return { sweep, X, Y, analyses, notes };
}
