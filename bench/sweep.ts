import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SCENARIO } from '../src/scenario/load-scenario.js';
import { loadSweep, type Sweep } from '../src/sweep/load-sweep.js';
import { runSweep } from '../src/sweep/run-sweep.js';
import { fmt, median, runIfMain, type SuiteOptions, type SuiteResult, type TaskStat, timedTask } from './suite.js';

/**
 * The sweep suite: model evaluations (design rows) per second of the Sobol sweep
 * scenarios/sweeps/sobol-trade-gap.yaml, through runSweep (what `policysim sweep` calls) in the main
 * thread (--workers 0) and on a piscina pool of 1 and 2 threads.
 *
 * Each measurement is one whole runSweep: design, evaluation of every row, analysis (Sobol indices
 * with the file's bootstrap) and, on the pool, the pool's start-up (threads, module load, the sweep
 * loaded and compiled once per thread) and shutdown — a new pool per sweep, as the CLI does it.
 * Reported: evaluations/s = rows / wall time (median of BENCH_SWEEP_REPS interleaved repetitions), and
 * separately, from the same runs:
 *   - the evaluation phase: rows / (start → last row merged), i.e. without the analysis;
 *   - the pool start-up: wall time of the same sweep cut to N=16 base points (192 rows) on the pool,
 *     minus the same in the main thread (what remains is pool start-up + per-thread load + shutdown);
 *   - a scaled run (N × BENCH_SWEEP_SCALE base points, bootstrap cut to 10 since only the evaluation
 *     phase is reported) that shows the 1 → 2 worker scaling once the start-up is amortised.
 *   - the first sweep of the process in the main thread (cold), on its own: what a one-sweep run of
 *     the CLI pays; the timed repetitions start after one more untimed round of every measurement,
 *     and each starts once the process is idle (see settle()).
 * The rows' outputs are checked to be identical for every worker count.
 *
 * Environment (like the Monte Carlo suite, this one does not use tinybench's time/rounds options):
 *   BENCH_SWEEP_REPS=N     repetitions of each measurement; the median is reported (default 5)
 *   BENCH_SWEEP_SCALE=K    the scaled run uses K × the file's samples (default 8; 0 skips it)
 */
export const SOBOL_SWEEP = resolve(dirname(DEFAULT_SCENARIO), 'sweeps', 'sobol-trade-gap.yaml');
const WORKER = fileURLToPath(new URL('../src/execution/worker.js', import.meta.url));
const STARTUP_SAMPLES = 16;
/**
 * Issue 10: model evaluations per second in the main thread, for the whole sweep as a user runs it
 * (design, rows, Sobol indices with their bootstrap intervals, result assembly).
 */
export const SWEEP_TARGET_PER_S = 500_000;
const WORKER_COUNTS = [0, 1, 2] as const;

const envInt = (name: string, fallback: number, min: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got ${v})`);
  return n;
};

export interface SweepTiming {
  readonly workers: number;
  readonly rows: number;
  /** runSweep, start to return. */
  readonly seconds: number;
  /** Start to the last row merged (design + evaluation, and pool start-up on the pool). */
  readonly evalSeconds: number;
  /** Last row merged to return (the analysis; the pool's shutdown on the pool). */
  readonly tailSeconds: number;
  readonly Y: Float64Array;
}

/** A SweepTiming as kept for the medians. */
type Timing = Omit<SweepTiming, 'Y'>;

/** One runSweep, timed. workers = 0: in the main thread. */
export async function timeSweep(sweep: Sweep, workers: number): Promise<SweepTiming> {
  let last = NaN;
  const t0 = performance.now();
  const result = await runSweep(sweep, {
    workers,
    onProgress: (done, total) => {
      if (done === total) last = performance.now();
    },
  });
  const t1 = performance.now();
  const rows = result.X.rows;
  if (!Number.isFinite(last)) throw new Error(`sweep on ${workers} worker(s) did not report its last row`);
  return {
    workers,
    rows,
    seconds: (t1 - t0) / 1000,
    evalSeconds: (last - t0) / 1000,
    tailSeconds: (t1 - last) / 1000,
    Y: result.Y,
  };
}

/**
 * Waits until this process is idle (under a tenth of a core over 25 ms; at most 1 s). A pool's
 * threads are still winding down for a few hundred ms after its close() resolves: the in-thread
 * sweep right after the scaled 2-worker sweep ran beside 10–15 ms of the process's other threads'
 * CPU time (31–38 ms instead of 24–28 after a pause, 2 December 2026, load ~1.5). That work belongs to
 * the sweep before, so each timed sweep starts with the process idle.
 */
async function settle(): Promise<void> {
  const until = performance.now() + 1000;
  while (performance.now() < until) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 25));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 < 0.1 * (performance.now() - t0)) return;
  }
}

/** The same sweep with another number of Sobol base points (and bootstrap), for the design only. */
function withSamples(sweep: Sweep, samples: number, bootstrap = sweep.raw.bootstrap): Sweep {
  return { ...sweep, raw: { ...sweep.raw, samples, bootstrap } };
}

const sameY = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

const label = (w: number): string => (w === 0 ? 'in-thread (--workers 0)' : w === 1 ? '1 worker' : `${w} workers`);

/** Wall time per row as a table row (p50 = median over the repetitions, p99 column = the slowest). */
function taskOf(name: string, ts: readonly Timing[], pick: (t: Timing) => number = (t) => t.seconds): TaskStat {
  const perRow = ts.map((t) => (pick(t) * 1e9) / t.rows);
  return timedTask(name, ts[0]!.rows, perRow, { keepRounds: true });
}

export async function run(partial: Partial<SuiteOptions> = {}): Promise<SuiteResult> {
  void partial; // whole sweeps are timed as they are, see BENCH_SWEEP_* above
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run 'npm run build' first`);
  const reps = envInt('BENCH_SWEEP_REPS', 5, 1);
  const scale = envInt('BENCH_SWEEP_SCALE', 8, 0);
  const log = (s: string): void => void process.stderr.write(`  [sweep] ${s}\n`);

  const tl = performance.now();
  const sweep = loadSweep(SOBOL_SWEEP);
  const loadMs = performance.now() - tl;
  if (sweep.raw.design !== 'sobol')
    throw new Error(`${SOBOL_SWEEP}: expected a Sobol design, got '${sweep.raw.design}'`);
  const N = sweep.raw.samples!;
  const tiny = withSamples(sweep, STARTUP_SAMPLES);
  const scaled = scale > 0 ? withSamples(sweep, N * scale, 10) : undefined;

  type Variant = 'file' | 'tiny' | 'scaled';
  const variants: [Variant, Sweep][] = [
    ['file', sweep],
    ['tiny', tiny],
    ...(scaled ? [['scaled', scaled] as [Variant, Sweep]] : []),
  ];
  // The timings without their outputs: each run's Y is compared with the first one's and dropped, so
  // that the bench's own memory does not grow with the repetitions (the scaled run's outputs alone
  // were ~28 MB kept to the end).
  const times = new Map<string, Timing[]>();
  const key = (v: Variant, w: number): string => `${v}/${w}`;
  const reference = new Map<Variant, Float64Array>();

  // The first sweep of the process, in the main thread: what a run of `policysim sweep --workers 0`
  // pays (its kernel generated, V8's code of the design, the rows and the analysis not yet
  // optimised). Reported on its own, not in the medians.
  const cold = await timeSweep(sweep, 0);
  // Then one untimed round of every measurement: the medians are of steady-state sweeps. After one
  // sweep V8 is still compiling (on a shared machine its background compiler may not have finished
  // when the next sweep starts), and the first pool sweeps and probes take paths in the main thread
  // (the pool's evaluator, another design size) that its optimised code has not met yet; without
  // this round that re-optimisation landed in the first one or two timed sweeps. The round goes from
  // the largest design to the smallest: the bootstrap's WebAssembly memory is made anew (a new
  // instance, whose functions are new call targets, so the analysis's optimised code is thrown away)
  // when a design needs more than the last one had, which then happens before the file's sweeps,
  // whose 500 resamples re-optimise it; the scaled run's 10 did not, and the first timed sweep's
  // analysis ran unoptimised (~19 ms).
  for (const [, s] of [...variants].reverse()) for (const w of WORKER_COUNTS) await timeSweep(s, w);
  for (let r = 0; r < reps; r++) {
    for (const [v, s] of variants) {
      for (const w of WORKER_COUNTS) {
        await settle();
        const t = await timeSweep(s, w);
        const ref = reference.get(v);
        if (!ref) reference.set(v, t.Y);
        else if (!sameY(ref, t.Y))
          throw new Error(`sweep outputs differ between worker counts (${v} sweep, ${w} worker(s))`);
        const k = key(v, w);
        const { Y: _y, ...timing } = t;
        times.set(k, [...(times.get(k) ?? []), timing]);
        if (v !== 'tiny') {
          log(
            `rep ${r + 1}: ${v} ${fmt(t.rows)} rows, ${label(w)}: ${(t.seconds * 1000).toFixed(0)} ms ` +
              `(rows done at ${(t.evalSeconds * 1000).toFixed(0)} ms) = ${fmt(t.rows / t.seconds)} evaluations/s`,
          );
        } else log(`rep ${r + 1}: start-up probe (${t.rows} rows), ${label(w)}: ${(t.seconds * 1000).toFixed(0)} ms`);
      }
    }
  }

  const get = (v: Variant, w: number): Timing[] => times.get(key(v, w))!;
  const wallS = (v: Variant, w: number): number => median(get(v, w).map((t) => t.seconds));
  const evalS = (v: Variant, w: number): number => median(get(v, w).map((t) => t.evalSeconds));
  const tailS = (v: Variant, w: number): number => median(get(v, w).map((t) => t.tailSeconds));
  const rows = get('file', 0)[0]!.rows;
  const rate = (w: number): number => rows / wallS('file', w);
  const evalRate = (w: number): number => rows / evalS('file', w);
  const startupS = (w: number): number => wallS('tiny', w) - wallS('tiny', 0);
  const ratio = rate(2) / rate(1);
  const evalRatio = evalRate(2) / evalRate(1);

  const scaledRows = scaled ? get('scaled', 0)[0]!.rows : 0;
  const scaledRate = (w: number): number => scaledRows / evalS('scaled', w);
  /** Evaluation phase with the start-up probe subtracted (an estimate: two medians' difference). */
  const scaledNet = (w: number): number =>
    scaledRows / Math.max(1e-9, evalS('scaled', w) - (w === 0 ? 0 : startupS(w)));

  let checksum = 0;
  for (const y of reference.get('file')!) checksum += y;
  const round = (x: number, d = 0): number => Number(x.toFixed(d));
  const ms = (s: number): string => `${(s * 1000).toFixed(0)} ms`;
  const D = sweep.factors.length;

  const targetMet = rate(0) >= SWEEP_TARGET_PER_S;
  const tasks: TaskStat[] = [
    taskOf(
      `sobol-trade-gap, in-thread evaluation phase (${fmt(rows)} rows; design + rows, per row)`,
      get('file', 0),
      (t) => t.evalSeconds,
    ),
    ...WORKER_COUNTS.map((w) => ({
      ...taskOf(`sobol-trade-gap, ${label(w)} (${fmt(rows)} rows; wall per row)`, get('file', w)),
      // The target is the whole sweep in the main thread.
      ...(w === 0 ? { target: { label: `≥ ${fmt(SWEEP_TARGET_PER_S)} evals/s`, met: targetMet } } : {}),
    })),
    ...(scaled
      ? WORKER_COUNTS.map((w) =>
          taskOf(
            `sobol-trade-gap N×${scale}, ${label(w)} (${fmt(scaledRows)} rows; to last row, per row)`,
            get('scaled', w),
            (t) => t.evalSeconds,
          ),
        )
      : []),
  ];
  const notes = [
    `${SOBOL_SWEEP.replace(/^.*\/(scenarios\/)/, '$1')}: Sobol N=${N}, D=${D}, ${sweep.raw.second_order ? 'second order' : 'first/total order'} → ${fmt(rows)} rows (model evaluations), bootstrap ${sweep.raw.bootstrap}; median of ${reps} repetitions (BENCH_SWEEP_REPS)`,
    `evaluations/s = rows / wall (whole runSweep, pool start-up and analysis included): in-thread ${fmt(rate(0))}, 1 worker ${fmt(rate(1))}, 2 workers ${fmt(rate(2))}; ratio 2/1 workers ${ratio.toFixed(2)}`,
    `evaluation phase only (start → last row merged, no analysis): in-thread ${fmt(evalRate(0))}, 1 worker ${fmt(evalRate(1))}, 2 workers ${fmt(evalRate(2))}/s; ratio ${evalRatio.toFixed(2)}; analysis (+ pool shutdown) after the last row: ${ms(tailS('file', 0))} in-thread, ${ms(tailS('file', 1))} / ${ms(tailS('file', 2))} on 1 / 2 workers`,
    `first sweep of the process (in-thread, cold: kernel generated, V8 not yet optimised; not in the medians): ${ms(cold.seconds)} = ${fmt(cold.rows / cold.seconds)} evaluations/s (rows done at ${ms(cold.evalSeconds)}); then one untimed round of every measurement before the timed ones`,
    `pool start-up (new pool per sweep, as the CLI does; threads + module load + sweep compiled per thread + shutdown), from a ${get('tiny', 0)[0]!.rows}-row probe minus its in-thread time: ~${ms(startupS(1))} on 1 worker, ~${ms(startupS(2))} on 2 workers (loadSweep in the main thread: ${loadMs.toFixed(0)} ms, once, not in the figures)`,
    scaled
      ? `scaled (N×${scale} = ${fmt(scaledRows)} rows, evaluation phase incl. start-up): in-thread ${fmt(scaledRate(0))}, 1 worker ${fmt(scaledRate(1))}, 2 workers ${fmt(scaledRate(2))}/s, ratio ${(scaledRate(2) / scaledRate(1)).toFixed(2)}; net of the start-up estimate: 1 worker ${fmt(scaledNet(1))}, 2 workers ${fmt(scaledNet(2))}/s, ratio ${(scaledNet(2) / scaledNet(1)).toFixed(2)}`
      : 'scaled run: skipped (BENCH_SWEEP_SCALE=0)',
    'outputs identical (bit for bit) on 0, 1 and 2 workers',
  ];
  return {
    suite: 'sweep',
    title: `Sweep: sobol-trade-gap, ${fmt(rows)} model evaluations per sweep (time per evaluation)`,
    tasks,
    summary: {
      rows,
      reps,
      evals_per_s_in_thread: round(rate(0)),
      evals_per_s_1w: round(rate(1)),
      evals_per_s_2w: round(rate(2)),
      ratio_2w_over_1w: round(ratio, 3),
      eval_phase_per_s_in_thread: round(evalRate(0)),
      eval_phase_per_s_1w: round(evalRate(1)),
      eval_phase_per_s_2w: round(evalRate(2)),
      eval_phase_ratio_2w_over_1w: round(evalRatio, 3),
      analysis_ms: round(tailS('file', 0) * 1000),
      first_sweep_ms_in_thread: round(cold.seconds * 1000),
      first_sweep_evals_per_s_in_thread: round(cold.rows / cold.seconds),
      pool_startup_ms_1w: round(startupS(1) * 1000),
      pool_startup_ms_2w: round(startupS(2) * 1000),
      load_sweep_ms: round(loadMs),
      ...(scaled
        ? {
            scaled_rows: scaledRows,
            scaled_eval_per_s_in_thread: round(scaledRate(0)),
            scaled_eval_per_s_1w: round(scaledRate(1)),
            scaled_eval_per_s_2w: round(scaledRate(2)),
            scaled_ratio_2w_over_1w: round(scaledRate(2) / scaledRate(1), 3),
            scaled_net_ratio_2w_over_1w: round(scaledNet(2) / scaledNet(1), 3),
          }
        : {}),
      target_evals_per_s: SWEEP_TARGET_PER_S,
      target_met: targetMet,
      checksum: Number(checksum.toPrecision(12)),
    },
    notes,
    ok: targetMet,
  };
}

runIfMain(import.meta.url, run);
