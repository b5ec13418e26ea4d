/**
 * Morris elementary effects (Morris 1991; μ* from Campolongo, Cariboni & Saltelli 2007), sampled as
 * SALib's `morris.sample` without optimal-trajectory selection.
 *
 * Row-count contract: rows = r·(D+1) — r trajectories of D+1 points, one trajectory after another.
 *
 * Grid: p levels {0, 1/(p−1), ..., 1}, p even; jump Δ = p/(2(p−1)) (so a jump always goes from level k
 * to level k + p/2, and every level is visited with equal probability).
 * One trajectory (SALib's B* = x* + (Δ/2)·((2·B·P* − J)·D* + J)):
 *   - a random order in which the factors move (P*), a Fisher–Yates shuffle;
 *   - for each factor, a base level x*_i drawn uniformly from the lower half {0, ..., (p/2−1)/(p−1)}
 *     and a random orientation D*_i = ±1: +1 starts at x*_i and jumps up to x*_i + Δ, −1 starts at
 *     x*_i + Δ and jumps down to x*_i;
 *   - point 0 is the start; point m is point m−1 with the m-th factor in the order jumped.
 * Stream: Alea seeded `${seed}/morris`; per trajectory: the shuffle (D − 1 draws), then per factor its
 * level draw and its orientation draw.
 *
 * analyze: elementary effect EE = ±(y_after − y_before)/Δ, the sign making it the effect of increasing
 * the factor (in unit-cube units: Δ is a unit-cube step, as in SALib). Per factor: μ = mean EE,
 * μ* = mean |EE|, σ = sd(EE) with n − 1. Confidence for μ*: bootstrap over trajectories — B resamples
 * of the r trajectories with replacement (the same resampled trajectories for every factor), μ*
 * recomputed on each; reported as the percentile interval [(1−c)/2, (1+c)/2] quantiles (type 7) and
 * as SALib's `mu_star_conf` half-width z·sd(replicates). Stream: Alea seeded `${seed}/morris-bootstrap`.
 */
import { createMatrix, DesignError, type Matrix } from './matrix.js';
import {
  checkOutputs,
  checkSameFactors,
  factorCount,
  type Outputs,
  type Problem,
  type RowCount,
  toValues,
} from './problem.js';
import {
  type BootstrapOptions,
  checkBootstrap,
  checkPositiveInteger,
  checkSeed,
  mean,
  randomIndex,
  rankDescending,
  sampleSd,
  shuffle,
  stream,
  summarizeReplicates,
} from './stats.js';

export interface MorrisSampleOptions {
  /** r, the number of trajectories (>= 2, since σ divides by r − 1). */
  readonly trajectories: number;
  /** p, the number of grid levels (even, >= 2). Default 4. */
  readonly levels?: number;
  readonly seed: number;
}

export interface MorrisDesign {
  readonly method: 'morris';
  readonly names: readonly string[];
  readonly trajectories: number;
  readonly levels: number;
  /** Δ = p/(2(p−1)), the jump in unit-cube units. */
  readonly delta: number;
  readonly seed: number;
  readonly rows: number;
  /** The row-count contract in words, e.g. `r·(D+1) with r=10, D=4`. */
  readonly contract: string;
  /** Unit-hypercube coordinates, r(D+1) × D. */
  readonly unit: Matrix;
  /** Factor values (`problem.toValue` applied), r(D+1) × D. */
  readonly X: Matrix;
}

/** The bootstrap of the μ* interval. */
export type MorrisAnalyzeOptions = BootstrapOptions;

export interface MorrisResult {
  readonly names: readonly string[];
  readonly mu: number[];
  readonly muStar: number[];
  /** Standard deviation of the elementary effects, n − 1 divisor. */
  readonly sigma: number[];
  /** Percentile bootstrap interval for μ*. */
  readonly muStarLow: number[];
  readonly muStarHigh: number[];
  /** SALib's `mu_star_conf`: z·sd of the bootstrap replicates of μ*. */
  readonly muStarConf: number[];
  /** Factor indices by μ*, largest first; ties by name. */
  readonly ranking: number[];
  /** The elementary effects, D × r: row i holds factor i's effect in each trajectory. */
  readonly effects: Matrix;
  readonly resamples: number;
  readonly confLevel: number;
}

/** Rows of r Morris trajectories over D factors. */
export function rowCount(r: number, D: number): RowCount {
  return { rows: r * (D + 1), contract: `r·(D+1) with r=${r}, D=${D}` };
}

function morrisContract(r: number, D: number): string {
  return rowCount(r, D).contract;
}

function checkLevels(levels: unknown): number {
  if (typeof levels !== 'number' || !Number.isSafeInteger(levels) || levels < 2) {
    throw new DesignError('levels', `must be an even integer >= 2 (got ${String(levels)})`);
  }
  if (levels % 2 !== 0) {
    throw new DesignError(
      'levels',
      `must be an even integer >= 2 (got ${levels}); with odd p the jump Δ = p/(2(p−1)) does not land on the p-level grid`,
    );
  }
  return levels;
}

function checkTrajectories(r: unknown): number {
  return checkPositiveInteger('trajectories', r, 2, 'σ divides by r − 1');
}

export function sample(problem: Problem, options: MorrisSampleOptions): MorrisDesign {
  const D = factorCount(problem);
  const r = checkTrajectories(options.trajectories);
  const p = checkLevels(options.levels ?? 4);
  checkSeed(options.seed);
  const rng = stream(options.seed, 'morris');
  const half = p / 2;
  const delta = p / (2 * (p - 1));
  const rows = r * (D + 1);
  const unit = createMatrix(rows, D);
  const order = new Array<number>(D);
  const lowLevel = new Array<number>(D);
  const up = new Array<boolean>(D);
  for (let t = 0; t < r; t++) {
    for (let i = 0; i < D; i++) order[i] = i;
    shuffle(rng, order);
    for (let i = 0; i < D; i++) {
      lowLevel[i] = randomIndex(rng, half);
      up[i] = rng() < 0.5;
    }
    const first = t * (D + 1);
    // Start point: low level if moving up, low level + p/2 if moving down. Levels are k/(p−1), computed
    // from the integer k so that both ends of a jump are exact grid values.
    for (let i = 0; i < D; i++) {
      const k = lowLevel[i]! + (up[i] ? 0 : half);
      unit.data[first * D + i] = k / (p - 1);
    }
    for (let m = 1; m <= D; m++) {
      const row = first + m;
      unit.data.copyWithin(row * D, (row - 1) * D, row * D);
      const i = order[m - 1]!;
      const k = lowLevel[i]! + (up[i] ? half : 0);
      unit.data[row * D + i] = k / (p - 1);
    }
  }
  return {
    method: 'morris',
    names: [...problem.names],
    trajectories: r,
    levels: p,
    delta,
    seed: options.seed,
    rows,
    contract: morrisContract(r, D),
    unit,
    X: toValues(problem, unit),
  };
}

export function analyze(
  problem: Problem,
  design: Pick<MorrisDesign, 'names' | 'trajectories' | 'levels' | 'unit'>,
  Y: Outputs,
  options: MorrisAnalyzeOptions = {},
): MorrisResult {
  const D = factorCount(problem);
  checkSameFactors(problem, design.names);
  const r = checkTrajectories(design.trajectories);
  const p = checkLevels(design.levels);
  const { resamples, confLevel, seed } = checkBootstrap(options);
  const contract = morrisContract(r, D);
  const rows = r * (D + 1);
  const unit = design.unit;
  if (unit.rows !== rows || unit.cols !== D) {
    throw new DesignError('design', `unit matrix is ${unit.rows}×${unit.cols}, expected ${rows}×${D} (${contract})`);
  }
  const y = checkOutputs(Y, rows, contract);
  const delta = p / (2 * (p - 1));

  // effects[i * r + t]: factor i's elementary effect in trajectory t.
  const effects = createMatrix(D, r);
  const seen = new Uint8Array(D);
  for (let t = 0; t < r; t++) {
    seen.fill(0);
    for (let m = 1; m <= D; m++) {
      const row = t * (D + 1) + m;
      let moved = -1;
      let step = 0;
      for (let c = 0; c < D; c++) {
        const du = unit.data[row * D + c]! - unit.data[(row - 1) * D + c]!;
        if (du !== 0) {
          if (moved !== -1)
            throw new DesignError(
              'design',
              `trajectory ${t}, step ${m} moves more than one factor; not a Morris design`,
            );
          moved = c;
          step = du;
        }
      }
      if (moved === -1)
        throw new DesignError('design', `trajectory ${t}, step ${m} moves no factor; not a Morris design`);
      if (seen[moved])
        throw new DesignError(
          'design',
          `trajectory ${t} moves factor "${problem.names[moved]}" twice; not a Morris design`,
        );
      seen[moved] = 1;
      const dy = y[row]! - y[row - 1]!;
      effects.data[moved * r + t] = (step > 0 ? dy : -dy) / delta;
    }
  }

  const mu: number[] = [];
  const muStar: number[] = [];
  const sigma: number[] = [];
  const abs = new Float64Array(r);
  for (let i = 0; i < D; i++) {
    const ee = effects.data.subarray(i * r, (i + 1) * r);
    for (let t = 0; t < r; t++) abs[t] = Math.abs(ee[t]!);
    mu.push(mean(ee));
    muStar.push(mean(abs));
    sigma.push(sampleSd(ee));
  }

  // Bootstrap over trajectories; the same resample for every factor.
  const rng = stream(seed, 'morris-bootstrap');
  const replicates = Array.from({ length: D }, () => new Float64Array(resamples));
  const pick = new Int32Array(r);
  for (let b = 0; b < resamples; b++) {
    for (let t = 0; t < r; t++) pick[t] = randomIndex(rng, r);
    for (let i = 0; i < D; i++) {
      let s = 0;
      const base = i * r;
      for (let t = 0; t < r; t++) s += Math.abs(effects.data[base + pick[t]!]!);
      replicates[i]![b] = s / r;
    }
  }
  const summaries = replicates.map((rep) => summarizeReplicates(rep, confLevel));

  return {
    names: [...problem.names],
    mu,
    muStar,
    sigma,
    muStarLow: summaries.map((s) => s.low),
    muStarHigh: summaries.map((s) => s.high),
    muStarConf: summaries.map((s) => s.halfWidth),
    ranking: rankDescending(muStar, problem.names),
    effects,
    resamples,
    confLevel,
  };
}
