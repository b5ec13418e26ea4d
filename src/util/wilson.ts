/**
 * Wilson score interval for a binomial proportion: successes out of n trials, at the normal quantile z
 * (1.959964: 95%). Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 and n
 * successes, which target probabilities often are. `halfWidth` is the interval's half-width before
 * clipping to [0, 1] (what the Monte Carlo stopping rule compares with --precision); n = 0 gives [0, 1].
 */
export function wilsonInterval(
  successes: number,
  n: number,
  z = 1.959964,
): { low: number; high: number; halfWidth: number } {
  if (!(n > 0)) return { low: 0, high: 1, halfWidth: 0.5 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), halfWidth: half };
}
