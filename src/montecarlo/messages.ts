import type { Binning, ChunkSummary } from './stats.js';

/** What crosses the thread boundary, and nothing else. */

/** Enough for a worker to rebuild the scenario itself (compiling is cheaper than shipping closures). */
export interface McSetup {
  readonly scenarioFile: string;
  readonly overrides: readonly string[];
}

export interface BlockRequest {
  readonly seed: number;
  readonly firstRun: number;
  readonly runCount: number;
  /** Also return each run's record for --save-runs. */
  readonly save: boolean;
}

/** A task as posted to a worker. */
export interface WorkerTask {
  readonly setup: McSetup;
  readonly request: BlockRequest;
  readonly binning: Binning;
}

export type BlockResult =
  | {
      readonly ok: true;
      readonly summary: ChunkSummary;
      /** Per target: runs that met it in its year. */
      readonly reached: Float64Array;
      /** Per target: counts by first year reached (horizon years, then "never"). */
      readonly firstYear: Float64Array;
      readonly saved?: Float64Array;
    }
  | { readonly ok: false; readonly run: number; readonly message: string };
