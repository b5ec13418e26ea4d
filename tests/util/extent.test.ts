import { describe, expect, it } from 'vitest';
import { extent } from '../../src/util/extent.js';

describe('extent', () => {
  it('gives the smallest and largest value, skipping NaN', () => {
    expect(extent([3, -1.5, NaN, 7, 0])).toEqual([-1.5, 7]);
    expect(extent(new Float64Array([2]))).toEqual([2, 2]);
  });

  it('gives [Infinity, -Infinity] for no values, as Math.min() and Math.max() do', () => {
    expect(extent([])).toEqual([Infinity, -Infinity]);
  });

  it('takes more values than a spread into Math.min can (two million, a 1,400 × 1,400 grid heatmap)', () => {
    const values = Array.from({ length: 2_000_000 }, (_, i) => Math.sin(i));
    expect(() => Math.min(...values)).toThrow(RangeError);
    const [lo, hi] = extent(values);
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(lo).toBeLessThan(-0.99999);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0.99999);
  });
});
