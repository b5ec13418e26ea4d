import { evaluateInOrder } from '../execution/in-order.js';
import { openEvaluator } from '../execution/open-evaluator.js';
import { resolveWorkers, type Workers } from '../execution/workers.js';
import type { Manifest } from '../manifest/manifest.js';
import { type Diagnostic, formatDiagnostic, RunError, UserError } from '../util/diagnostics.js';
import { perObject } from '../util/per-object.js';
import { DesignError, grid, lhs, morris, oat, type Problem, sobol } from './design/index.js';
import type { Matrix } from './design/matrix.js';
import { DEFAULT_GRID_LEVELS, type Factor, type Sweep } from './load-sweep.js';
import { RowEvaluator, type RowsResult, sweepImage } from './row-evaluator.js';
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
  /** Manifest of the sweep, when the caller gave one (see src/manifest/). */
  readonly manifest?: Manifest;
}

export type Design =
  | { method: 'grid' | 'policy-grid'; d: grid.GridDesign }
  | { method: 'oat'; d: oat.OatDesign }
  | { method: 'lhs'; d: lhs.LhsDesign }
  | { method: 'morris'; d: morris.MorrisDesign }
  | { method: 'sobol'; d: sobol.SobolDesign };

/**
 * The design problem of a loaded sweep's factors (immutable), one per factor list (a sweep with another
 * design size shares it): a new toValue closure per design made V8 throw away the optimised design
 * code at every sweep (a call target it had not seen).
 */
const problemOf = perObject(
  (factors: readonly Factor[]): Problem => ({
    names: factors.map((f) => f.name),
    toValue: (i, u) => factors[i]!.toValue(u),
  }),
);

/** Build the design matrix of a sweep; design-parameter problems become located user errors. */
export function makeDesign(sweep: Sweep): { design: Design; problem: Problem } {
  const { raw, factors } = sweep;
  const problem = problemOf(factors);
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
 * A row whose projection failed, as the failure the sweep reports (exit 1: the sweep file was valid,
 * the model failed while running): the row, its factor values (as the CSV writes them), the Monte
 * Carlo future if it was one, then the failing equation's diagnostic.
 */
function rowError(sweep: Sweep, X: Matrix, f: RowFailure): RunError {
  const x = X.data.subarray(f.row * X.cols, (f.row + 1) * X.cols);
  const values = sweep.factors.map((fa, j) => `${fa.name}=${String(x[j])}`).join(', ');
  const d: Diagnostic = f.diagnostic;
  const where = `row ${f.row} (${values})${f.future >= 0 ? `, Monte Carlo future ${f.future}` : ''}`;
  const located: Diagnostic = {
    ...(d.location ? { location: d.location } : {}),
    path: where,
    message: d.path ? `${d.path}: ${d.message}` : d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  };
  return new RunError(formatDiagnostic(located), [located]);
}

export interface RunSweepOptions {
  /** Worker threads; 0 evaluates in this thread; `auto`: this thread for small sweeps, else every core. */
  readonly workers: Workers;
  /** Called once the worker count is decided, before the first row (the CLI announces it). */
  readonly onStart?: (workers: number) => void;
  readonly onProgress?: (rowsDone: number, total: number) => void;
  /** The worker script (default: the built src/execution/worker.js); tests substitute one that fails. */
  readonly workerFile?: string;
  /**
   * Stop early (Ctrl-C): blocks in flight are cancelled; runSweep rejects with SweepInterrupted,
   * evaluateRows returns the finished prefix (what a checkpoint keeps).
   */
  readonly signal?: AbortSignal;
  /** Old-generation heap limit of each worker thread, MB (default WORKER_HEAP_MB). */
  readonly workerHeapMb?: number;
}

/**
 * The sweep was stopped before every row was evaluated. No partial analysis is made: Sobol indices,
 * Morris effects or a tornado from part of a design would be wrong, not just imprecise.
 */
export class SweepInterrupted extends Error {
  constructor(
    readonly rowsDone: number,
    readonly rows: number,
  ) {
    super(`interrupted after ${rowsDone} of ${rows} rows`);
    this.name = 'SweepInterrupted';
  }
}

export interface RowRangeOptions extends RunSweepOptions {
  /** Rows [first, end) of the design (a shard); default all. */
  readonly range?: { readonly first: number; readonly end: number };
  /** Outputs of rows [range.first, done) already computed (a checkpoint): only the rest are evaluated. */
  readonly resume?: { readonly done: number; readonly Y: Float64Array };
  /** Called with `done` whenever rows [range.first, done) are all computed (in increasing order). */
  readonly onPrefix?: (done: number, Y: Float64Array) => void;
}

/** Evaluate every design row (on the pool) and analyse each output. */
export async function runSweep(sweep: Sweep, o: RunSweepOptions): Promise<SweepResult> {
  const { design, problem } = makeDesign(sweep);
  const rows = design.d.X.rows;
  const { Y, done } = await evaluateRows(sweep, design.d.X, { ...o, range: { first: 0, end: rows } });
  if (done < rows) throw new SweepInterrupted(done, rows);
  return analyzeSweep(sweep, design, problem, Y);
}

/**
 * Rows [first, end) of the design into Y (rows × outputs, the whole design's layout: only the range is
 * filled). `done` is the end of the contiguous prefix computed (end unless stopped by the signal).
 */
export async function evaluateRows(
  sweep: Sweep,
  X: Matrix,
  o: RowRangeOptions,
): Promise<{ Y: Float64Array; done: number }> {
  const rows = X.rows;
  const D = X.cols;
  const O = sweep.outputs.length;
  const range = o.range ?? { first: 0, end: rows };
  const Y = new Float64Array(rows * O);
  let from = range.first;
  if (o.resume) {
    Y.set(o.resume.Y.subarray(range.first * O, o.resume.done * O), range.first * O);
    from = o.resume.done;
  }
  const todo = range.end - from;
  const workers = resolveWorkers(o.workers, sweepEvaluations(sweep, range.end - range.first));
  o.onStart?.(workers);
  // Rows per task: small enough to spread work, large enough to amortise messages.
  const perRow = sweep.mc ? sweep.mc.runs : 1;
  const chunk = Math.max(1, Math.min(4096, Math.ceil(20000 / perRow), Math.ceil(todo / Math.max(1, workers * 4))));
  const blocks = Math.ceil(todo / chunk);
  let done = from - range.first;
  const total = range.end - range.first;
  const image = sweepImage(sweep);
  const evaluator = openEvaluator<SweepTask, RowsResult>(
    workers,
    () => {
      const ev = new RowEvaluator(image);
      return (t) => ev.evaluate(t.X, t.rows);
    },
    {
      ...(o.workerFile !== undefined ? { filename: o.workerFile } : {}),
      ...(o.workerHeapMb !== undefined ? { heapMb: o.workerHeapMb } : {}),
      failure: (_task, reason) => `a sweep worker failed: ${reason}`,
    },
  );
  let failure: RowFailure | undefined;
  let prefix = from;
  // Blocks are accepted in row order, so the first failure accepted is the lowest failing row of the
  // design whatever the worker count or timing, and the rows accepted are the prefix a checkpoint keeps.
  const accept = (b: number, r: RowsResult): boolean => {
    const first = from + b * chunk;
    if (!r.ok) {
      failure = { ...r, row: first + r.row };
      return false;
    }
    // Rows land at their own index: the result does not depend on completion order.
    Y.set(r.Y, first * O);
    const n = Math.min(chunk, range.end - first);
    done += n;
    prefix = first + n;
    o.onProgress?.(done, total);
    o.onPrefix?.(prefix, Y);
    return true;
  };
  try {
    await evaluateInOrder(
      evaluator,
      blocks,
      (b): SweepTask => {
        const first = from + b * chunk;
        const n = Math.min(chunk, range.end - first);
        // A pool's task is cloned to its thread, and a view's clone is its whole buffer (the whole
        // design): it gets a copy of its rows. In this thread a view is enough (rows are only read).
        const rowsX =
          workers === 0 ? X.data.subarray(first * D, (first + n) * D) : X.data.slice(first * D, (first + n) * D);
        return { kind: 'sweep-rows', image, X: rowsX, rows: n };
      },
      accept,
      { maxInFlight: Math.max(2, 2 * evaluator.workers), ...(o.signal ? { signal: o.signal } : {}) },
    );
  } finally {
    await evaluator.close();
  }
  if (failure) throw rowError(sweep, X, failure);
  return { Y, done: prefix };
}

/**
 * The model evaluations of `rows` design rows: a row with probability outputs is one projection plus
 * one per Monte Carlo future.
 */
export function sweepEvaluations(sweep: Sweep, rows: number): number {
  return rows * (1 + sweepFutures(sweep));
}

/** Monte Carlo futures per design row: the sweep's runs when an output is a target probability. */
export function sweepFutures(sweep: Sweep): number {
  return sweep.mc && sweep.outputs.some((o) => o.kind === 'target' && o.metric === 'probability') ? sweep.mc.runs : 0;
}

/** The analysis of every output once all rows are in Y (also what `merge` runs on the shards' rows). */
export function analyzeSweep(sweep: Sweep, design: Design, problem: Problem, Y: Float64Array): SweepResult {
  const X = design.d.X;
  const rows = X.rows;
  const O = sweep.outputs.length;
  const notes: string[] = design.method === 'sobol' ? [...design.d.notes] : [];
  const column = (k: number): Float64Array => {
    const y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) y[i] = Y[i * O + k]!;
    return y;
  };
  if (design.method === 'sobol') {
    // Every output's indices from one bootstrap stream: its resamples do not depend on the output.
    const options = { resamples: sweep.raw.bootstrap, seed: sweep.raw.seed };
    const prepared = sweep.outputs.map((out, k) => {
      try {
        return sobol.prepare(problem, design.d, column(k), options);
      } catch (e) {
        throw designUserError(sweep, e, out.label);
      }
    });
    const analyses = sobol.analyzePrepared(prepared).map((result): Analysis => ({ method: 'sobol', result }));
    return { sweep, X, Y, analyses, notes };
  }
  const analyses: Analysis[] = sweep.outputs.map((out, k) => {
    try {
      return analyze(sweep, design, problem, column(k));
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
