/** Exact sums: the same correctly rounded total whatever the order and grouping of the additions. */
import { describe, expect, it } from 'vitest';
import { addExact, addExactStrided, ExactSums, roundExact } from '../../src/montecarlo/exact-sum.js';

const sum = (xs: readonly number[]): number => {
  const p: number[] = [];
  for (const x of xs) addExact(p, x);
  return roundExact(p);
};

describe('exact sums', () => {
  it('keeps what a running sum loses (values checked against Python math.fsum)', () => {
    expect(sum([1e16, 1, -1e16])).toBe(1); // a running sum gives 0
    expect(sum([0.1, 0.2, 0.3, -0.6])).toBe(2.7755575615628914e-17); // fsum; a running sum gives 1.1102e-16
    expect(sum(Array.from({ length: 10 }, () => 0.1))).toBe(1); // running: 0.9999999999999999
    expect(sum([1, 1e100, 1, -1e100])).toBe(2);
    expect(sum([])).toBe(0);
    expect(Object.is(sum([-0, -0]), 0)).toBe(true);
  });

  it('rounds half-way cases to even, using the partials below the tie', () => {
    // 2^53 + 1 is half-way between 2^53 and 2^53 + 2: even is 2^53; a tiny extra tips it up.
    expect(sum([2 ** 53, 1])).toBe(2 ** 53);
    expect(sum([2 ** 53, 1, 2 ** -60])).toBe(2 ** 53 + 2);
    expect(sum([2 ** 53, 1, -(2 ** -60)])).toBe(2 ** 53);
  });

  it('any order, any grouping: the same double', () => {
    // Values of very different magnitudes and signs, from a fixed integer recurrence (no randomness).
    const xs: number[] = [];
    let s = 12345;
    for (let i = 0; i < 2000; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      xs.push(((s / 2 ** 31 - 0.5) * 10 ** ((s % 23) - 11)) / 3);
    }
    const whole = sum(xs);
    expect(sum([...xs].reverse())).toBe(whole);
    expect(sum([...xs].sort((a, b) => a - b))).toBe(whole);
    // Grouped as shards: each part summed on its own, then the parts' partials merged in reverse.
    const parts = [0, 300, 301, 1024, 1999, 2000].slice(1).map((end, i, ends) => {
      const e = new ExactSums(1);
      for (const x of xs.slice(i === 0 ? 0 : ends[i - 1], end)) e.add(0, x);
      return e;
    });
    const total = new ExactSums(1);
    for (const p of [...parts].reverse()) {
      const f = p.flatten();
      total.merge(ExactSums.fromFlat(f.lengths, f.values));
    }
    expect(total.value(0)).toBe(whole);
  });

  it('adds a strided run of values into the same partials as addExact value by value', () => {
    // Values of very different magnitudes, signs and zeros, interleaved as two cells of a leaf table.
    const xs = new Float64Array(2 * 300);
    let s = 777;
    for (let i = 0; i < xs.length; i++) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      xs[i] = s % 7 === 0 ? (s % 2 ? -0 : 0) : ((s / 2 ** 31 - 0.5) * 10 ** ((s % 31) - 15)) / 3;
    }
    for (const start of [[], [-3, 1e300], [2 ** -1000]]) {
      for (const cell of [0, 1]) {
        const one = [...start];
        for (let k = 0; k < 300; k++) addExact(one, xs[2 * k + cell]!);
        const strided = [...start];
        addExactStrided(strided, xs, cell, 2, 300);
        expect(strided).toEqual(one);
        expect(one.length).toBeGreaterThan(1);
      }
    }
    const p = [2 ** -60, 1];
    addExactStrided(p, xs, 0, 2, 0);
    expect(p).toEqual([2 ** -60, 1]);
  });
});
