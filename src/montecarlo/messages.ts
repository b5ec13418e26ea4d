import type { Overrides } from '../scenario/overrides.js';
import type { RunBlockImage } from './run-block.js';
import type { ModelFailure } from './run-failure.js';
import type { Binning, ChunkSummary } from './stats.js';

/** What crosses the thread boundary, and nothing else. */

/** The user's request: the scenario file and the what-ifs applied after it. */
export interface McSetup {
  readonly scenarioFile: string;
  /** Typed (the CLI's `--set`, parsed and checked in src/cli/set-overrides.ts); none when absent. */
  readonly overrides?: Overrides;
}

export interface BlockRequest {
  readonly seed: number;
  readonly firstRun: number;
  readonly runCount: number;
  /** Also return each run's record for --save-runs. */
  readonly save: boolean;
  /** Also return these cells of each run's projection (indices into its output array), for paired statistics. */
  readonly cells?: Int32Array;
}

/** A task as posted to a worker: the image (cached by id on the worker side), the runs, the bins. */
export interface BlockTask {
  readonly kind: 'mc-block';
  readonly image: RunBlockImage;
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
      /** runCount × request.cells.length, row-major, when cells were requested. */
      readonly cellValues?: Float64Array;
    }
  | { readonly ok: false; readonly run: number; readonly failure: ModelFailure };
