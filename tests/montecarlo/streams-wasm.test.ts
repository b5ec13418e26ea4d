/**
 * Four streams at once (src/montecarlo/streams.wat, StreamBatch in rng.ts): each of its four streams
 * gives the numbers of RunStream.fill for its run bit for bit (every published Monte Carlo result depends on them).
 */
import { describe, expect, it } from 'vitest';
import { RunStream, StreamBatch } from '../../src/montecarlo/rng.js';

const alone = (seed: number, run: number, count: number): Float64Array => {
  const out = new Float64Array(count);
  new RunStream().fill(seed, run, out, count);
  return out;
};

describe('StreamBatch', () => {
  it("gives each of four runs the uniforms of that run's own stream, bit for bit", () => {
    // Seeds of both signs and both words; runs across the 2^32 boundary of the index's high word.
    const cases: [number, number][] = [
      [2016, 0],
      [2016, 8189],
      [-7, 2 ** 32 - 2],
      [2 ** 52 + 3, 123_456_789],
      [0, 2 ** 40],
    ];
    for (const count of [0, 1, 58, 301]) {
      const batch = new StreamBatch(count);
      for (const [seed, first] of cases) {
        batch.fill(seed, first);
        for (let k = 0; k < StreamBatch.RUNS; k++) {
          expect(Array.from(batch.runs[k]!), `seed ${seed}, run ${first + k}, ${count} draws`).toEqual(
            Array.from(alone(seed, first + k, count)),
          );
        }
      }
    }
  });

  it('fills the runs it can up to the last safe run index, and checks the seed and the first run', () => {
    const batch = new StreamBatch(5);
    const last = Number.MAX_SAFE_INTEGER;
    batch.fill(9, last - 1);
    expect(Array.from(batch.runs[0]!)).toEqual(Array.from(alone(9, last - 1, 5)));
    expect(Array.from(batch.runs[1]!)).toEqual(Array.from(alone(9, last, 5)));
    expect(() => batch.fill(1.5, 0)).toThrow('seed must be a whole number (got 1.5)');
    expect(() => batch.fill(1, -1)).toThrow('run index must be a whole number >= 0 (got -1)');
  });
});
