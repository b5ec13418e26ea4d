/**
 * Benchmark runner: `npm run bench [-- SUITE...] [--time=MS] [--warmup=MS] [--rounds=N]`.
 *
 * Runs the registered suites (all, or the named ones), prints a table per suite with the median time
 * per operation, then one JSON line per suite: {"bench":"<suite>", ...summary}.
 *
 * To add a suite (Monte Carlo, sweeps, ...): write bench/<name>.ts exporting
 * `async function run(options?: Partial<SuiteOptions>): Promise<SuiteResult>` (see bench/suite.ts and
 * bench/kernel.ts) and register it in SUITES below.
 */
import { availableParallelism, loadavg } from 'node:os';
import { DEFAULT_OPTIONS, formatNs, type SuiteModule, type SuiteOptions, type SuiteResult } from './suite.js';

export const SUITES: Readonly<
  Record<string, { readonly description: string; readonly load: () => Promise<SuiteModule> }>
> = {
  kernel: { description: 'projection, year step, generated vs hand-written kernel', load: () => import('./kernel.js') },
  montecarlo: {
    description: 'Monte Carlo throughput (pool, 1 vs 2 workers) and peak RSS',
    load: () => import('./montecarlo.js'),
  },
  peers: {
    description: 'engine vs a C and a numpy peer (bench/peers/): the same Monte Carlo, runs per CPU-second',
    load: () => import('./peers.js'),
  },
  sweep: {
    description: 'Sobol sweep evaluations/s (sobol-trade-gap; in-thread, 1 vs 2 workers) and pool start-up',
    load: () => import('./sweep.js'),
  },
  startup: {
    description: 'whole-process start-up of --help, run and validate against the targets (issue 10)',
    load: () => import('./startup.js'),
  },
  scaling: {
    description: 'merging 1,000 shard files and the cost of a checkpoint (issue 11)',
    load: () => import('./scaling.js'),
  },
};

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { names: string[]; options: SuiteOptions } {
  const names: string[] = [];
  let options: SuiteOptions = { ...DEFAULT_OPTIONS };
  for (const arg of argv) {
    const m = /^--(time|warmup|rounds)=(\d+)$/.exec(arg);
    if (m) {
      const v = Number(m[2]);
      if (m[1] === 'time') options = { ...options, timeMs: v };
      else if (m[1] === 'warmup') options = { ...options, warmupMs: v };
      else options = { ...options, rounds: Math.max(1, v) };
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        `usage: node dist/bench/run.js [SUITE...] [--time=MS] [--warmup=MS] [--rounds=N]\nsuites:\n${Object.entries(
          SUITES,
        )
          .map(([n, s]) => `  ${n}  ${s.description}`)
          .join('\n')}`,
      );
      process.exit(0);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option '${arg}' (try --help)`);
    } else names.push(arg);
  }
  for (const n of names)
    if (!SUITES[n]) throw new UsageError(`unknown suite '${n}'; suites: ${Object.keys(SUITES).join(', ')}`);
  return { names: names.length > 0 ? names : Object.keys(SUITES), options };
}

function printTable(r: SuiteResult): void {
  const rows = r.tasks.map((t) => ({
    task: t.name,
    p50: formatNs(t.p50Ns),
    mean: formatNs(t.meanNs),
    p99: formatNs(t.p99Ns),
    rme: `±${t.rmePct.toFixed(2)}%`,
    samples: String(t.samples),
    target: t.target ? `${t.target.label} ${t.target.met ? 'ok' : 'MISSED'}` : '',
  }));
  const cols = ['task', 'p50', 'mean', 'p99', 'rme', 'samples', 'target'] as const;
  const width = cols.map((c) => Math.max(c.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  console.log(`\n${r.title}`);
  console.log(line(cols.map((c) => (c === 'p50' ? 'p50/op' : c))));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(cols.map((c) => row[c])));
  for (const n of r.notes) console.log(`  - ${n}`);
}

async function main(): Promise<void> {
  const { names, options } = parseArgs(process.argv.slice(2));
  console.log(
    `policysim benchmarks — node ${process.version}, ${process.platform}/${process.arch}; ` +
      `time ${options.timeMs} ms + warmup ${options.warmupMs} ms per task, ${options.rounds} interleaved rounds for comparisons`,
  );
  // Other work on the machine skews every figure here, the worker-scaling ones most: show how busy it was.
  console.log(`${availableParallelism()} CPUs; load average (1 min) at start ${loadavg()[0]!.toFixed(2)}`);
  const results: SuiteResult[] = [];
  for (const name of names) {
    const mod = await SUITES[name]!.load();
    const result = await mod.run(options);
    printTable(result);
    results.push(result);
  }
  const missed = results.filter((r) => !r.ok).map((r) => r.suite);
  console.log(missed.length > 0 ? `\ntargets missed in: ${missed.join(', ')}` : '\nall targets met');
  // Last: one JSON line per suite, for quoting.
  for (const r of results) console.log(JSON.stringify({ bench: r.suite, ...r.summary }));
}

main().catch((e: unknown) => {
  console.error(e instanceof UsageError ? `bench: ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
