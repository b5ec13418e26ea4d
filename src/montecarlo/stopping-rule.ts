import { wilsonHalfWidth, wilsonInterval } from '../util/wilson.js';
import { PILOT_RUNS } from './simulate.js';
import { LEAF_SIZE } from './stats.js';

/**
 * `--precision P --max-runs N`: stop once every target probability's 95% Wilson interval has a
 * half-width of at most P. The rule is looked at only at fixed run counts — the pilot rounded up to
 * whole leaves, then doubling (2,048, 4,096, 8,192, ...), and N — so the number of runs done is a
 * function of the inputs alone, not of the workers, chunk or shards, and the result equals
 * `mc --runs n` for the n it stopped at.
 */
export interface StoppingRule {
  readonly precision: number;
  readonly maxRuns: number;
}

export interface TargetInterval {
  readonly probability: number;
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
}

export interface StopReport {
  readonly precision: number;
  readonly maxRuns: number;
  /** `precision`: every interval is narrow enough; `max-runs`: N runs done without that. */
  readonly reason: 'precision' | 'max-runs';
  readonly runs: number;
  /** The run counts at which the rule was looked at, up to the stop. */
  readonly checkedAt: readonly number[];
  readonly intervals: readonly TargetInterval[];
}

/** The run counts at which the rule is looked at, the last being maxRuns. */
export function checkpoints(maxRuns: number): number[] {
  const out: number[] = [];
  for (let n = Math.ceil(PILOT_RUNS / LEAF_SIZE) * LEAF_SIZE; n < maxRuns; n *= 2) out.push(n);
  out.push(maxRuns);
  return out;
}

export function intervals(reached: ArrayLike<number>, runs: number): TargetInterval[] {
  return Array.from(reached, (k) => {
    const w = wilsonInterval(k, runs);
    return { probability: runs > 0 ? k / runs : 0, low: w.low, high: w.high, halfWidth: wilsonHalfWidth(k, runs) };
  });
}

export function precisionMet(rule: StoppingRule, reached: ArrayLike<number>, runs: number): boolean {
  return intervals(reached, runs).every((i) => i.halfWidth <= rule.precision);
}
