import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { type Diagnostic, RunError, UserError } from '../util/diagnostics.js';
import { DesignError, grid, lhs, morris, oat, type Problem, sobol } from './design/index.js';
import type { Matrix } from './design/matrix.js';
import { DEFAULT_GRID_LEVELS, type Sweep } from './load-sweep.js';
import { RowEvaluator, type RowsResult, type SweepImage, sweepImage } from './row-evaluator.js';
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

/** Build the design matrix of a sweep; design-parameter problems become located user errors. */
export function makeDesign(sweep: Sweep): { design: Design; problem: Problem } {
  const { raw, factors } = sweep;
  const problem: Problem = { names: factors.map((f) => f.name), toValue: (i, u) => factors[i]!.toValue(u) };
  try {
    switch (raw.design) {
      case 'grid':
      case 'policy-grid': {
        const levels = factors.map(
          (f) =>
            f.levels ??
            Array.from(
              { length: DEFAULT_GRID_LEVELS },
              (_, k) => f.lo + ((f.hi - f.lo) * k) / (DEFAULT_GRID_LEVELS - 1),
            ),
        );
        return { design: { method: raw.design, d: grid.sample(problem, { levels }) }, problem };
      }
      case 'oat':
        return {
          design: {
            method: 'oat',
            d: oat.sample(problem, {
              base: factors.map((f) => f.base),
              low: factors.map((f) => f.lo),
              high: factors.map((f) => f.hi),
            }),
          },
          problem,
        };
      case 'lhs':
        return {
          design: { method: 'lhs', d: lhs.sample(problem, { samples: raw.samples!, seed: raw.seed }) },
          problem,
        };
      case 'morris':
        return {
          design: {
            method: 'morris',
            d: morris.sample(problem, { trajectories: raw.trajectories!, levels: raw.levels ?? 4, seed: raw.seed }),
          },
          problem,
        };
      case 'sobol':
        return {
          design: {
            method: 'sobol',
            d: sobol.sample(problem, { samples: raw.samples!, secondOrder: raw.second_order }),
          },
          problem,
        };
    }
  } catch (e) {
    throw designUserError(sweep, e);
  }
}

/** The sweep file's field behind a design parameter (DesignError.param); `design` for the rest. */
const DESIGN_FIELD: Readonly<Record<string, string>> = {
  samples: 'samples',
  trajectories: 'trajectories',
  levels: 'levels',
  resamples: 'bootstrap',
  seed: 'seed',
};

/**
 * A DesignError (a design or analysis problem) as a user error at the sweep file, at the field when
 * the file sets it; anything else is returned as it is.
 */
function designUserError(sweep: Sweep, e: unknown, output?: string): unknown {
  if (!(e instanceof DesignError)) return e;
  const key = Object.hasOwn(DESIGN_FIELD, e.param) ? DESIGN_FIELD[e.param]! : 'design';
  const data = sweep.source.data;
  const inFile = data !== null && typeof data === 'object' && Object.hasOwn(data, key);
  const message = e.message.replace(/^\w+: /, '');
  return new UserError({
    location: inFile ? sweep.source.locate([key]) : { file: sweep.file },
    path: key,
    message: output === undefined ? message : `output '${output}': ${message}`,
  });
}

/** The first failing row of a block, by its row index in the whole design. */
type RowFailure = Extract<RowsResult, { ok: false }>;

/**
 * A row whose projection failed, as the user error the sweep reports: the row, its factor values (as
 * the CSV writes them), the Monte Carlo future if it was one, then the failing equation's diagnostic.
 */
function rowError(sweep: Sweep, X: Matrix, f: RowFailure): UserError {
  const x = X.data.subarray(f.row * X.cols, (f.row + 1) * X.cols);
  const values = sweep.factors.map((fa, j) => `${fa.name}=${String(x[j])}`).join(', ');
  const d: Diagnostic = f.diagnostic;
  const where = `row ${f.row} (${values})${f.future >= 0 ? `, Monte Carlo future ${f.future}` : ''}`;
  return new UserError({
    ...(d.location ? { location: d.location } : {}),
    path: where,
    message: d.path ? `${d.path}: ${d.message}` : d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  });
}

export interface RunSweepOptions {
  /** 0: evaluate in this thread. */
  readonly workers: number;
  readonly onProgress?: (rowsDone: number, total: number) => void;
  /** The worker script (default: the built sweep-worker.js); tests substitute one that fails. */
  readonly workerFile?: string;
}

const workerFile = fileURLToPath(new URL('./sweep-worker.js', import.meta.url));

/** Evaluate every design row (on the pool) and analyse each output. */
/**
 * Below this many model evaluations a pool costs more to start (~0.1 s) than it saves, so `auto`
 * computes in the main thread. Results are the same either way.
 */
export const POOL_THRESHOLD = 200_000;

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
      const r = ev.evaluate(X.data.subarray(first * D, (first + n) * D), n);
      // Rows go in order, so the first failure is the lowest failing row.
      if (!r.ok) throw rowError(sweep, X, { ...r, row: first + r.row });
      Y.set(r.Y, first * O);
      done += n;
      o.onProgress?.(done, rows);
      await new Promise<void>((r) => setImmediate(r));
    }
  } else {
    const filename = o.workerFile ?? workerFile;
    if (!existsSync(filename)) throw new RunError(`worker script not found at ${filename}: run 'npm run build' first`);
    const failure = await evaluateOnPool(filename, image, X, Y, O, chunk, o);
    if (failure) throw rowError(sweep, X, failure);
  }
  const notes: string[] = design.method === 'sobol' ? [...design.d.notes] : [];
  const analyses: Analysis[] = sweep.outputs.map((out, k) => {
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) y[i] = Y[i * O + k]!;
    try {
      return analyze(sweep, design, problem, y);
    } catch (e) {
      throw designUserError(sweep, e, out.label);
    }
  });
  return { sweep, X, Y, analyses, notes };
}

function analyze(sweep: Sweep, design: Design, problem: Problem, y: Float64Array): Analysis {
  const D = design.d.X.cols;
  switch (design.method) {
    case 'grid':
    case 'policy-grid':
      return {
        method: design.method,
        result: grid.analyze(problem, design.d, y),
        ...(D === 2 ? { table: grid.table(problem, design.d, y) } : {}),
      };
    case 'oat':
      return { method: 'oat', result: oat.analyze(problem, design.d, y) };
    case 'lhs':
      return { method: 'lhs', result: lhs.analyze(problem, design.d, y) };
    case 'morris':
      return {
        method: 'morris',
        result: morris.analyze(problem, design.d, y, { resamples: sweep.raw.bootstrap, seed: sweep.raw.seed }),
      };
    case 'sobol':
      return {
        method: 'sobol',
        result: sobol.analyze(problem, design.d, y, { resamples: sweep.raw.bootstrap, seed: sweep.raw.seed }),
      };
  }
}

/**
 * Every row on a pool of `o.workers` threads, outputs into Y by row index. A failing row does not stop
 * the blocks before it (one of them may hold a lower failing row) but cancels every block after it, so
 * the failure returned is the lowest failing row of the design, whatever the timing. Any other failure
 * (a crashed thread) cancels every block and becomes a RunError. The pool is destroyed in every case,
 * and every task's promise is handled, cancelled ones included.
 */
async function evaluateOnPool(
  filename: string,
  image: SweepImage,
  X: Matrix,
  Y: Float64Array,
  O: number,
  chunk: number,
  o: RunSweepOptions,
): Promise<RowFailure | undefined> {
  const rows = X.rows;
  const D = X.cols;
  const pool = new Piscina({
    filename,
    minThreads: o.workers,
    maxThreads: o.workers,
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // A late result from a worker after a failure is reported as an 'error' event: not a crash.
  pool.on('error', () => {});
  const blocks: { first: number; cancel: AbortController }[] = [];
  let failure: RowFailure | undefined;
  let crash: unknown;
  let done = 0;
  const cancelFrom = (row: number): void => {
    for (const b of blocks) if (b.first > row) b.cancel.abort();
  };
  try {
    const tasks: Promise<void>[] = [];
    for (let first = 0; first < rows; first += chunk) {
      const n = Math.min(chunk, rows - first);
      const block = { first, cancel: new AbortController() };
      blocks.push(block);
      const task: SweepTask = { image, X: X.data.slice(first * D, (first + n) * D), rows: n };
      tasks.push(
        (pool.run(task, { signal: block.cancel.signal }) as Promise<RowsResult>).then(
          (r) => {
            if (!r.ok) {
              const row = first + r.row;
              if (!failure || row < failure.row) failure = { ...r, row };
              cancelFrom(row);
              return;
            }
            // Rows land at their own index: the result does not depend on completion order.
            Y.set(r.Y, first * O);
            done += n;
            o.onProgress?.(done, rows);
          },
          (e: unknown) => {
            // A block cancelled here rejects with an AbortError: expected, not a failure.
            if (block.cancel.signal.aborted) return;
            crash ??= e;
            cancelFrom(-1);
          },
        ),
      );
    }
    await Promise.all(tasks);
  } finally {
    await pool.destroy();
  }
  if (crash !== undefined) throw new RunError(`a sweep worker failed: ${(crash as Error)?.message ?? String(crash)}`);
  return failure;
}
