/**
 * The 95% Wilson score interval against hand-computed values (z = 1.959964, n = 100) and against the
 * published ones of Newcombe (1998), "Two-sided confidence intervals for the single proportion",
 * Statistics in Medicine 17:857–872, Table I, method 3 (score interval without continuity correction).
 */
import { describe, expect, it } from 'vitest';
import { wilsonInterval as wilson, wilsonOrNull, Z95 } from '../../src/util/wilson.js';

describe('wilson', () => {
  it('z is the 0.975 normal quantile (to 6 decimals)', () => {
    expect(Z95).toBeCloseTo(1.959963984540054, 6);
  });

  it('0 of 100: [0, z²/(n + z²)] = [0, 0.0369935]', () => {
    const z2 = Z95 * Z95;
    expect(wilson(0, 100)).toEqual({ low: 0, high: expect.closeTo(z2 / (100 + z2), 15) });
    expect(wilson(0, 100)!.high).toBeCloseTo(0.0369935, 7);
  });

  it('5 of 100: [0.0215437, 0.1117505]', () => {
    // centre (0.05 + z²/200) / (1 + z²/100) = 0.0666471, half-width z·sqrt(0.05·0.95/100 + z²/40000) / (1 + z²/100) = 0.0451034
    const ci = wilson(5, 100)!;
    expect(ci.low).toBeCloseTo(0.0215437, 7);
    expect(ci.high).toBeCloseTo(0.1117505, 7);
  });

  it('100 of 100: [0.9630065, 1], the mirror of 0 of 100', () => {
    const ci = wilson(100, 100)!;
    expect(ci.high).toBe(1);
    expect(ci.low).toBeCloseTo(1 - wilson(0, 100)!.high, 15);
    expect(ci.low).toBeCloseTo(0.9630065, 7);
  });

  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('Newcombe (1998): %i of %i is [%f, %f]', (k, n, low, high) => {
    const ci = wilson(k, n)!;
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('no runs: no interval in a result (null); the whole [0, 1] for a search that asks', () => {
    expect(wilsonOrNull(0, 0)).toBeNull();
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonOrNull(5, 100)).toEqual(wilson(5, 100));
  });
});
