import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that prove no list is spread into a call (which overflows the stack) with lists just
 * past the count that overflows: a small stack makes those lists, and the time to read them, small.
 */
const SMALL_STACK = ['tests/cli/hostile-lists.test.ts'];
/** KB; V8's default on 64-bit is 984. */
const SMALL_STACK_KB = 128;

/**
 * The files whose point is a process boundary or a system component: the installed bin bundle, real
 * signals, SIGKILL and exit statuses of a child process, a closed pipe, Slurm's daemons, a browser,
 * the system C compiler and python's numpy. They are the `integration` project: `npm test` (and CI) runs them with the rest,
 * `npm run test:unit` leaves them out for the edit-test loop (they are a third of the suite's time).
 */
const INTEGRATION = [
  'tests/scripts/bundle-cli.test.ts',
  'tests/scripts/slurm-array.test.ts',
  'tests/report/html/browser.test.ts',
  'tests/cli/signals.test.ts',
  'tests/cli/spawned.test.ts',
  'tests/cli/killed.test.ts',
  'tests/bench/peers.test.ts',
];

/**
 * About how long the slowest files take (s, on two busy cores), so that a fresh clone starts them
 * first: a long file started last keeps one core busy after the other has finished. Once the suite
 * has run, vitest's own record of the last durations (node_modules/.vite) is used instead.
 */
const SLOW: Record<string, number> = {
  // Measured in the whole suite (15:18 UTC, 2 December 2026, load 2-4), hooks included.
  'tests/report/html/browser.test.ts': 17,
  'tests/scripts/bundle-cli.test.ts': 15,
  'tests/scripts/slurm-array.test.ts': 8,
  'tests/cli/signals.test.ts': 5,
  'tests/cli/killed.test.ts': 4, // its tests as they took in mc-checkpoint and sweep-shard-merge
  'tests/sweep/sweep-shard-merge.test.ts': 4,
  'tests/sweep/sweep-determinism.test.ts': 4,
  'tests/util/yaml-source.test.ts': 4,
  'tests/model/specialise.test.ts': 3,
  'tests/model/equation-limits.test.ts': 3,
  'tests/montecarlo/mc-shard-merge.test.ts': 3,
  'tests/bench/peers.test.ts': 3,
};

/**
 * The longest files first: vitest's recorded duration if it has one, else the estimate above. The
 * small-stack files before all: their process is one more to start (a second or two of imports)
 * wherever they run, and at the start it runs beside the main project's first process; run last, it
 * started when the main project had finished, and kept one core busy alone for its ~3 s.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification): number => {
      const file = relative(root, f.moduleId);
      if (SMALL_STACK.includes(file)) return Number.POSITIVE_INFINITY;
      const recorded = cache.getFileTestResults(`${f.project.name}:${file}`);
      if (recorded) return recorded.duration / 1000;
      return SLOW[file] ?? (cache.getFileStats(`${f.project.name}:${file}`)?.size ?? 0) / 10_000;
    };
    const s = new Map(files.map((f) => [f, seconds(f)]));
    return [...files].sort((a, b) => s.get(b)! - s.get(a)!);
  }
}

const common = {
  testTimeout: 300_000,
  hookTimeout: 300_000,
  // Child processes, not worker threads: a thread's stack is 4 MB, the main thread's 1 MB, so the
  // tests of stack overflows (a spread of a long list, deep nesting) would pass vacuously in a thread.
  pool: 'forks',
  // The test files share the two processes and their loaded modules instead of importing mathjs,
  // yargs and the compiler afresh for each file: that cost 55 of 200 s. Test files keep no state in
  // shared modules, and each makes its own temp dirs.
  isolate: false,
} as const;

export default defineConfig({
  test: {
    // Both cores (vitest's default leaves one free), shared by the projects.
    maxWorkers: 2,
    // Each source and test file as transformed for the test processes, kept on disk between runs
    // (node_modules/.experimental-vitest-cache, keyed by the file's contents): a rerun transforms only
    // what changed. tests/montecarlo: transform 3.5 -> 0.5 s, import 4.8 -> 2.2 s, CPU 37 -> 35 s.
    experimental: { fsModuleCache: true },
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...common, name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...SMALL_STACK, ...INTEGRATION] } },
      {
        test: { ...common, name: 'small-stack', include: SMALL_STACK, execArgv: [`--stack-size=${SMALL_STACK_KB}`] },
      },
      { test: { ...common, name: 'integration', include: INTEGRATION } },
    ],
  },
});
