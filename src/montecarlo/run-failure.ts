import type { NonFiniteRun } from '../project/projector.js';
import { RunError } from '../util/diagnostics.js';

/** Where a run's model failed: the failing equation, region and year, and the model's words for it. */
export interface ModelFailure {
  /** The equation's label (`indicators.log_level`). */
  readonly equation: string;
  /** The region's name; absent for an equation of no region. */
  readonly region?: string;
  readonly year: number;
  /** As the model words it: `indicators.log_level: equation gave -Infinity for Region A in 2022`. */
  readonly message: string;
}

/** A Monte Carlo run whose model failed, as data: which scenario, run and seed, and where in the model. */
export interface McRunFailure extends ModelFailure {
  readonly scenarioFile: string;
  readonly run: number;
  readonly seed: number;
}

export function modelFailure(e: NonFiniteRun): ModelFailure {
  const d = e.diagnostics[0];
  return {
    equation: e.equation,
    ...(e.region !== undefined ? { region: e.region } : {}),
    year: e.year,
    message: d ? `${d.path}: ${d.message}` : e.message,
  };
}

/**
 * A failure while running (exit 1) that carries its run as data. The core words only what failed;
 * the CLI adds how to replay it (src/cli/replay-hint.ts), which needs the command line.
 */
export class McRunFailed extends RunError {
  constructor(readonly failure: McRunFailure) {
    super(`Monte Carlo run ${failure.run} (seed ${failure.seed}) failed: ${failure.message}`);
    this.name = 'McRunFailed';
  }
}
