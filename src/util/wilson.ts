/**
 * Wilson score interval for a binomial proportion: successes out of n trials, at the normal quantile z
 * (1.959964: 95%). Unlike the normal approximation p ± z·sqrt(p(1−p)/n) it stays inside [0, 1] and is
 * sensible at 0 and n successes, which target probabilities often are: the Monte Carlo error of every
 * probability policysim reports (mc targets, policy-grid cells, seek).
 */

/** z of a two-sided 95% interval: the 0.975 quantile of the standard normal, to 6 decimals. */
export const Z95 = 1.959964;

/** Centre and half-width of the interval before clipping to [0, 1]; n = 0 gives [0, 1]. */
function wilsonScore(successes: number, n: number, z: number): { centre: number; half: number } {
  if (!(n > 0)) return { centre: 0.5, half: 0.5 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { centre, half };
}

export function wilsonInterval(successes: number, n: number, z = Z95): { low: number; high: number } {
  if (!(n > 0)) return { low: 0, high: 1 };
  const { centre, half } = wilsonScore(successes, n, z);
  // At 0 (n) successes the lower (upper) end is 0 (1) exactly; rounding would leave ±1e-18.
  return {
    low: successes <= 0 ? 0 : Math.max(0, centre - half),
    high: successes >= n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The interval's half-width before clipping to [0, 1]: what the Monte Carlo stopping rule compares with
 * --precision (clipping would make an interval at 0 successes look twice as precise as it is).
 */
export function wilsonHalfWidth(successes: number, n: number, z = Z95): number {
  return wilsonScore(successes, n, z).half;
}

/** The interval of a probability in a result: none (null) when there were no runs. */
export function wilsonOrNull(successes: number, n: number): { low: number; high: number } | null {
  return n > 0 ? wilsonInterval(successes, n) : null;
}
