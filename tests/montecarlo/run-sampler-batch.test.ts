/**
 * RunSampler takes a run's stream from a batch of four runs' streams (StreamBatch), filled when a run
 * is asked for that is not in it: whatever the order runs are asked in, each gets the same draws as
 * a sampler asked for that run alone (whose stream is then the first of a fresh batch, which
 * tests/montecarlo/streams-wasm.test.ts holds to RunStream, and run-sampler.test.ts to the reference).
 */
import { describe, expect, it } from 'vitest';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunSampler } from '../../src/montecarlo/run-sampler.js';

const bytes = (a: ArrayLike<number>): Buffer => Buffer.from(Float64Array.from(a).buffer);

describe('RunSampler over a batch of streams', () => {
  it('gives every run its own draws, asked in order, backwards, repeated, across seeds and at the last run index', () => {
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml' });
    const { model } = ctx.scenario;
    const make = () => new RunSampler(model, ctx.spec, ctx.image.params, 21);
    const sampler = make();
    const last = Number.MAX_SAFE_INTEGER;
    const asked: [number, number][] = [
      ...[0, 1, 2, 3, 4, 5, 9, 8, 7, 6, 3, 3, 100, 101, 99, 102, 103, 104].map((r): [number, number] => [2016, r]),
      [7, 101],
      [2016, 101],
      [2016, last - 2],
      [2016, last],
      [2016, last - 1],
    ];
    const out = () => ({ params: new Float64Array(model.paramCount), shocks: new Float64Array(21 * model.shockBlock) });
    for (const [seed, run] of asked) {
      const a = out();
      const b = out();
      sampler.sample(seed, run, a.params, a.shocks);
      const draws = bytes(sampler.draws);
      const alone = make();
      alone.sample(seed, run, b.params, b.shocks);
      expect([bytes(a.params), bytes(a.shocks), draws], `seed ${seed}, run ${run}`).toEqual([
        bytes(b.params),
        bytes(b.shocks),
        bytes(alone.draws),
      ]);
    }
    // 2.5 lies inside the batch of runs 0-3 just filled.
    sampler.sample(2016, 0, out().params, out().shocks);
    expect(() => sampler.sample(2016, 2.5, out().params, out().shocks)).toThrow(
      'run index must be a whole number >= 0 (got 2.5)',
    );
    expect(() => sampler.sample(2016, Number.NaN, out().params, out().shocks)).toThrow('run index must be');
  });
});
