/**
 * Robustness across scenarios, future by future (Rhodium's regret and satisficing): pure functions of
 * per-run scores, so they can be checked by hand.
 *
 * A score is oriented so that more is better: the target gap (value − reference) for an `at_least`
 * target, its negative for `at_most`.
 */

/** Exact percentile of sorted values, linear between order statistics (R's type 7, NumPy's default). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Summary {
  readonly mean: number;
  readonly sd: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
}

/** Mean (summed in run order), sample sd and exact percentiles of one value per run. */
export function summarize(values: Float64Array): Summary {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const sorted = values.slice().sort();
  const q = (p: number): number => percentileSorted(sorted, p);
  return {
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    p5: q(0.05),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    p95: q(0.95),
  };
}

/**
 * Regret of each scenario in each future: the best score any scenario reached in that future minus
 * this scenario's (0 for the best one). scores[s][k]: scenario s, run k.
 */
export function regret(scores: readonly Float64Array[]): Float64Array[] {
  const runs = scores[0]?.length ?? 0;
  const out = scores.map(() => new Float64Array(runs));
  for (let k = 0; k < runs; k++) {
    let best = -Infinity;
    for (const s of scores) if (s[k]! > best) best = s[k]!;
    scores.forEach((s, i) => (out[i]![k] = best - s[k]!));
  }
  return out;
}

/** Share of futures in which every one of the given targets is met. met[t][k]: target t met in run k. */
export function satisficing(met: readonly Uint8Array[], runs: number): number | null {
  if (met.length === 0 || runs === 0) return null;
  let all = 0;
  for (let k = 0; k < runs; k++) if (met.every((m) => m[k] === 1)) all++;
  return all / runs;
}
