/**
 * The smallest and largest of `values` ([Infinity, -Infinity] for none), by a loop: Math.min(...xs)
 * passes every value as an argument and overflows the call stack beyond about 100,000 of them, which
 * a grid sweep's heatmap or a long table reaches. NaN is skipped.
 */
export function extent(values: Iterable<number>): [min: number, max: number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
