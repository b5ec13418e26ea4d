/**
 * The Monte Carlo error of a probability estimated as k successes in n runs: the Wilson score
 * interval (Wilson 1927), which, unlike the normal approximation p ± z·sqrt(p(1−p)/n), stays inside
 * [0, 1] and is not of zero width at k = 0 or k = n.
 */

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** The Wilson score interval for k of n (level 95% unless another z is given); null when n = 0. */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 (k = n) the lower (upper) end is 0 (1) exactly; rounding would leave ±1e-17.
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}
