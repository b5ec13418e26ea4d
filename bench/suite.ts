import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

/**
 * The contract between bench/run.ts and a benchmark suite. A suite is a module in bench/ that exports
 * `run(options)`; add it to the SUITES registry in bench/run.ts (e.g. Monte Carlo or sweep suites).
 */
export interface SuiteOptions {
  /** Measured time per task and round, in ms. */
  readonly timeMs: number;
  /** Warm-up time per task and round, in ms. */
  readonly warmupMs: number;
  /** Rounds for interleaved comparisons (the median of the per-round medians is reported). */
  readonly rounds: number;
}

export const DEFAULT_OPTIONS: SuiteOptions = { timeMs: 1000, warmupMs: 300, rounds: 3 };

/** One measured operation. Times are per operation (a sample may batch several operations). */
export interface TaskStat {
  readonly name: string;
  /** Operations per tinybench sample (batching keeps timer overhead out of sub-µs operations). */
  readonly opsPerSample: number;
  readonly p50Ns: number;
  readonly meanNs: number;
  readonly p99Ns: number;
  /** Relative margin of error of the mean, %. */
  readonly rmePct: number;
  readonly samples: number;
  /** Per-round p50s when the task ran in several interleaved rounds. */
  readonly roundP50Ns?: readonly number[];
  /** Optional target, for the table: "< 20 µs" and whether it was met. */
  readonly target?: { readonly label: string; readonly met: boolean };
}

export interface SuiteResult {
  readonly suite: string;
  readonly title: string;
  readonly tasks: readonly TaskStat[];
  /** Flat numbers for the final JSON line (medians in ns, ratios, checksums). */
  readonly summary: Readonly<Record<string, number | string | boolean>>;
  readonly notes: readonly string[];
  /** False when a target was missed (the run still succeeds; the verdict is printed). */
  readonly ok: boolean;
}

export interface SuiteModule {
  run(options?: Partial<SuiteOptions>): Promise<SuiteResult>;
}

export interface TaskSpec {
  readonly name: string;
  readonly opsPerSample: number;
  /** Runs `opsPerSample` operations; must feed its results into a sink the caller prints. */
  readonly fn: () => void;
}

/** The median of the measurements of a task (the suites quote medians: the machine is shared). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A count or rate for a note: rounded, with thousands separators. */
export const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * A task measured whole (a Monte Carlo job, a sweep, a peer's process), once a round: `perOpNs` is each
 * round's time per operation. `keepRounds` lists them when there were several.
 */
export function timedTask(
  name: string,
  opsPerSample: number,
  perOpNs: readonly number[],
  o: { readonly keepRounds?: boolean; readonly target?: TaskStat['target'] } = {},
): TaskStat {
  return {
    name,
    opsPerSample,
    p50Ns: median(perOpNs),
    meanNs: perOpNs.reduce((a, b) => a + b, 0) / perOpNs.length,
    p99Ns: Math.max(...perOpNs),
    rmePct: 0,
    samples: perOpNs.length,
    ...(o.keepRounds && perOpNs.length > 1 ? { roundP50Ns: perOpNs } : {}),
    ...(o.target ? { target: o.target } : {}),
  };
}

/**
 * Measures tasks with tinybench. With `rounds` > 1 the tasks run interleaved (A B A B ...), which
 * spreads slow drifts of a noisy machine (frequency, neighbours) over all of them; the reported p50 is
 * the median of the per-round p50s.
 */
export async function measure(tasks: readonly TaskSpec[], options: SuiteOptions, rounds = 1): Promise<TaskStat[]> {
  const perTask = tasks.map(() => [] as { p50: number; mean: number; p99: number; rme: number; n: number }[]);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: options.timeMs,
      warmupTime: options.warmupMs,
      warmupIterations: 64,
      iterations: 64,
      timestampProvider: 'hrtimeNow',
      throws: true,
    });
    tasks.forEach((t) => bench.add(t.name, t.fn));
    await bench.run();
    bench.tasks.forEach((task, i) => {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`benchmark task '${task.name}' did not complete (${r.state})`);
      const k = 1e6 / tasks[i]!.opsPerSample; // ms per sample → ns per op
      perTask[i]!.push({
        p50: r.latency.p50 * k,
        mean: r.latency.mean * k,
        p99: r.latency.p99 * k,
        rme: r.latency.rme,
        n: r.latency.samplesCount,
      });
    });
  }
  return tasks.map((t, i) => {
    const rs = perTask[i]!;
    return {
      name: t.name,
      opsPerSample: t.opsPerSample,
      p50Ns: median(rs.map((r) => r.p50)),
      meanNs: median(rs.map((r) => r.mean)),
      p99Ns: median(rs.map((r) => r.p99)),
      rmePct: median(rs.map((r) => r.rme)),
      samples: rs.reduce((a, r) => a + r.n, 0),
      ...(rounds > 1 ? { roundP50Ns: rs.map((r) => r.p50) } : {}),
    };
  });
}

/** ns → a short human string (ns below 10 µs, else µs). */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  if (ns < 1000) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(2)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

/** Run one suite on its own (`node dist/bench/NAME.js`) when `moduleUrl` is the program's entry point. */
export function runIfMain(moduleUrl: string, run: () => Promise<SuiteResult>): void {
  let main = false;
  try {
    main = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    main = false;
  }
  if (!main) return;
  run().then(
    (r) => {
      console.log(r.title);
      for (const n of r.notes) console.log(`  - ${n}`);
      console.log(JSON.stringify({ bench: r.suite, ...r.summary }));
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
