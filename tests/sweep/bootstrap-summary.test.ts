import { describe, expect, it } from 'vitest';
import { orderStatistics, stream, summarizeReplicates } from '../../src/sweep/design/stats.js';
import { referenceSummary } from './sobol-reference.js';

/**
 * The bootstrap summary selects its four order statistics instead of sorting the replicates: it must
 * give what sorting gives (Float64Array.prototype.sort, then type-7 interpolation) bit for bit,
 * including ties, −0 beside +0 and NaN, on lengths on both sides of quickselect's 600-element sampling
 * step.
 */
function values(n: number, kind: 'uniform' | 'ties' | 'zeros' | 'nan', seed: number): Float64Array {
  const u = stream(seed, `summary-${kind}`);
  return Float64Array.from({ length: n }, () => {
    const x = u();
    switch (kind) {
      case 'uniform':
        return x * 0.8 - 0.2;
      case 'ties':
        return Math.floor(x * 4) / 4;
      case 'zeros':
        return x < 0.3 ? -0 : x < 0.6 ? 0 : x - 0.8;
      case 'nan':
        return x < 0.1 ? NaN : x;
    }
  });
}

describe('summarizeReplicates', () => {
  const lengths = [1, 2, 3, 7, 40, 57, 500, 601, 1001, 2000];
  for (const kind of ['uniform', 'ties', 'zeros', 'nan'] as const) {
    it(`equals the sorted percentile interval bit for bit (${kind})`, () => {
      for (const n of lengths) {
        for (const conf of [0.5, 0.9, 0.95, 0.99]) {
          const r = values(n, kind, n);
          const copy = Float64Array.from(r);
          const got = summarizeReplicates(r, conf);
          const want = referenceSummary(r, conf);
          expect(Object.is(got.low, want.low), `${kind} n=${n} conf=${conf} low`).toBe(true);
          expect(Object.is(got.high, want.high), `${kind} n=${n} conf=${conf} high`).toBe(true);
          expect(Object.is(got.halfWidth, want.halfWidth), `${kind} n=${n} conf=${conf} halfWidth`).toBe(true);
          // The replicates themselves are left as they were.
          expect(r).toEqual(copy);
        }
      }
    });
  }

  it('bounds from order statistics 12, 13, 486 and 487 of 500 at 95%', () => {
    // (500 − 1) · 0.025 = 12.475 and 499 · 0.975 = 486.525: the replicates k/499 for k = 0..499,
    // shuffled, give low = 12.475/499 and high = 486.525/499 up to the interpolation's rounding.
    const r = Float64Array.from({ length: 500 }, (_, k) => ((k * 173) % 500) / 499);
    const s = summarizeReplicates(r, 0.95);
    expect(s.low).toBeCloseTo(12.475 / 499, 15);
    expect(s.high).toBeCloseTo(486.525 / 499, 15);
  });

  it('is NaN on no replicates, as the sorted interval is', () => {
    const s = summarizeReplicates(new Float64Array(0), 0.95);
    expect([s.low, s.high, s.halfWidth]).toEqual([NaN, NaN, NaN]);
  });
});

describe('orderStatistics', () => {
  it('keeps −0 before +0 as the sort does', () => {
    const got = orderStatistics(Float64Array.of(0, -0, 1, 0, -1, -0), [0, 1, 2, 3, 4, 5]);
    expect(got.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual(['-1', '-0', '-0', '0', '0', '1']);
  });

  it('gives sorted[k] for every k, in any order and with repeats', () => {
    for (const kind of ['uniform', 'ties', 'zeros', 'nan'] as const) {
      const r = values(97, kind, 3);
      const sorted = Float64Array.from(r).sort();
      const ks = [96, 0, 50, 50, 13, 1, 95, 49];
      const got = orderStatistics(Float64Array.from(r), ks);
      ks.forEach((k, i) => expect(Object.is(got[i], sorted[k]), `${kind} k=${k}`).toBe(true));
      const all = Array.from({ length: 97 }, (_, k) => k);
      expect(orderStatistics(Float64Array.from(r), all)).toEqual(Array.from(sorted));
    }
  });

  it('refuses an index outside the values', () => {
    expect(() => orderStatistics(Float64Array.of(1, 2), [2])).toThrow('orderStatistics: index 2 outside [0, 2)');
    expect(() => orderStatistics(Float64Array.of(1, 2), [0.5])).toThrow('orderStatistics: index 0.5 outside [0, 2)');
  });
});
