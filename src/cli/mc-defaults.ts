/** Runs of `policysim mc` without --runs; apart from mc-job.ts, which loads the scenario code, so `--help` need not. */
export const DEFAULT_RUNS = 10_000;
