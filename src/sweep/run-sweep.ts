import { existsSync } from 'node:fs';
import { Piscina } from 'piscina';
import type { Manifest } from '../manifest/manifest.js';
import { WORKER_HEAP_MB, workerFailure } from '../montecarlo/worker-limits.js';
import { type Diagnostic, formatDiagnostic, RunError, UserError } from '../util/diagnostics.js';
import { workerScript } from '../util/worker-script.js';
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
  /** Manifest of the sweep, when the caller gave one (see src/manifest/). */
  readonly manifest?: Manifest;
}

export type Design =
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
  /** 0: evaluate in this thread. */
  readonly workers: number;
  readonly onProgress?: (rowsDone: number, total: number) => void;
  /** The worker script (default: the built sweep-worker.js); tests substitute one that fails. */
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

const workerFile = workerScript(new URL('./sweep-worker.js', import.meta.url));

/**
 * Below this many model evaluations a pool costs more to start (~0.1 s) than it saves, so `auto`
 * computes in the main thread. Results are the same either way.
 */
export const POOL_THRESHOLD = 200_000;

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
  // Rows per task: small enough to spread work, large enough to amortise messages.
  const perRow = sweep.mc ? sweep.mc.runs : 1;
  const chunk = Math.max(1, Math.min(4096, Math.ceil(20000 / perRow), Math.ceil(todo / Math.max(1, o.workers * 4))));
  let done = from - range.first;
  const total = range.end - range.first;
  const image = sweepImage(sweep);
  if (o.workers === 0) {
    const ev = new RowEvaluator(image);
    for (let first = from; first < range.end; first += chunk) {
      if (o.signal?.aborted) break;
      const n = Math.min(chunk, range.end - first);
      const r = ev.evaluate(X.data.subarray(first * D, (first + n) * D), n);
      // Rows go in order, so the first failure is the lowest failing row.
      if (!r.ok) throw rowError(sweep, X, { ...r, row: first + r.row });
      Y.set(r.Y, first * O);
      done += n;
      o.onProgress?.(done, total);
      o.onPrefix?.(first + n, Y);
      // Yield between blocks so that a SIGINT handler gets to run.
      await new Promise<void>((r) => setImmediate(r));
    }
    return { Y, done: range.first + done };
  }
  const filename = o.workerFile ?? workerFile;
  if (!existsSync(filename)) throw new RunError(`worker script not found at ${filename}: run 'npm run build' first`);
  const { failure, prefix } = await evaluateOnPool(filename, image, X, Y, O, chunk, from, range.end, total, done, o);
  if (failure) throw rowError(sweep, X, failure);
  return { Y, done: prefix };
}

/** The analysis of every output once all rows are in Y (also what `merge` runs on the shards' rows). */
export function analyzeSweep(sweep: Sweep, design: Design, problem: Problem, Y: Float64Array): SweepResult {
  const X = design.d.X;
  const rows = X.rows;
  const O = sweep.outputs.length;
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
 * Every row on a pool of `o.workers` threads, outputs into Y by row index. Blocks are submitted in row
 * order, a few per thread at a time (not all at once: a design of 100,000 one-row blocks took tens of
 * seconds to queue, and as long again to cancel on Ctrl-C). A failing row does not stop the blocks
 * before it (one of them may hold a lower failing row) but cancels every block after it and submits
 * no more, so the failure returned is the lowest failing row of the design, whatever the timing. Any
 * other failure (a crashed thread) or an interrupt cancels every block; a crash becomes a RunError.
 * The pool is destroyed in every case, and every task's promise is handled, cancelled ones included.
 */
async function evaluateOnPool(
  filename: string,
  image: SweepImage,
  X: Matrix,
  Y: Float64Array,
  O: number,
  chunk: number,
  from: number,
  to: number,
  total: number,
  doneBefore: number,
  o: RowRangeOptions,
): Promise<{ failure: RowFailure | undefined; prefix: number }> {
  const D = X.cols;
  const pool = new Piscina({
    filename,
    minThreads: o.workers,
    maxThreads: o.workers,
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: o.workerHeapMb ?? WORKER_HEAP_MB },
  });
  // A late result from a worker after a failure is reported as an 'error' event: not a crash.
  pool.on('error', () => {});
  const inFlight = new Map<number, AbortController>();
  const maxInFlight = Math.max(2, 2 * o.workers);
  let failure: RowFailure | undefined;
  let crash: unknown;
  let done = doneBefore;
  let next = from;
  /** No block starting after this row is submitted (or kept running). */
  let lastRow = Infinity;
  // Finished blocks past the prefix (first row -> rows), and the end of the contiguous prefix of
  // finished rows: what a checkpoint can keep.
  const finished = new Map<number, number>();
  let prefix = from;
  const cancelFrom = (row: number): void => {
    lastRow = Math.min(lastRow, row);
    for (const [first, cancel] of inFlight) if (first > row) cancel.abort();
  };
  const onAbort = (): void => cancelFrom(-1);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((finish) => {
      const pump = (): void => {
        while (inFlight.size < maxInFlight && next < to && next <= lastRow) submit(next);
        if (inFlight.size === 0) finish();
      };
      const submit = (first: number): void => {
        const n = Math.min(chunk, to - first);
        next = first + n;
        const cancel = new AbortController();
        inFlight.set(first, cancel);
        const task: SweepTask = { image, X: X.data.slice(first * D, (first + n) * D), rows: n };
        (pool.run(task, { signal: cancel.signal }) as Promise<RowsResult>)
          .then(
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
              o.onProgress?.(done, total);
              finished.set(first, n);
              const before = prefix;
              for (let m = finished.get(prefix); m !== undefined; m = finished.get(prefix)) {
                finished.delete(prefix);
                prefix += m;
              }
              if (prefix > before && !failure) o.onPrefix?.(prefix, Y);
            },
            (e: unknown) => {
              // A block cancelled here rejects with an AbortError: expected, not a failure.
              if (cancel.signal.aborted) return;
              crash ??= e;
              cancelFrom(-1);
            },
          )
          .finally(() => {
            inFlight.delete(first);
            pump();
          });
      };
      if (o.signal?.aborted) onAbort();
      pump();
    });
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  if (crash !== undefined) throw new RunError(`a sweep worker failed: ${workerFailure(crash, o.workerHeapMb)}`);
  return { failure, prefix };
}
