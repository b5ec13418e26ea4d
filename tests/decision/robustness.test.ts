/** Regret, satisficing and exact percentiles, by hand. */
import { describe, expect, it } from 'vitest';
import { percentileSorted, regret, satisficing, summarize } from '../../src/decision/robustness.js';
import { printable } from '../../src/util/printable.js';

describe('robustness metrics', () => {
  it('regret: the best score in each future minus each scenario’s', () => {
    const r = regret([Float64Array.of(1, 5, 2), Float64Array.of(3, 2, 2)]);
    expect([...r[0]!]).toEqual([2, 0, 0]);
    expect([...r[1]!]).toEqual([0, 3, 0]);
  });

  it('satisficing: the share of futures meeting every target; null without targets', () => {
    expect(satisficing([Uint8Array.of(1, 1, 0, 1), Uint8Array.of(1, 0, 0, 1)], 4)).toBe(0.5);
    expect(satisficing([], 4)).toBeNull();
  });

  it('percentiles linear between order statistics (R type 7)', () => {
    const s = Float64Array.of(1, 2, 3, 4, 5);
    expect(percentileSorted(s, 0.5)).toBe(3);
    expect(percentileSorted(s, 0.9)).toBeCloseTo(4.6, 12);
    expect(percentileSorted(s, 0.05)).toBeCloseTo(1.2, 12);
    const m = summarize(Float64Array.of(5, 1, 4, 2, 3));
    expect(m).toMatchObject({ mean: 3, p50: 3, p25: 2, p75: 4 });
    expect(m.sd).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('printable escapes control characters from files', () => {
    expect(printable('a\u001b[31mb\tc')).toBe('a\\u001b[31mb\\tc');
  });
});
