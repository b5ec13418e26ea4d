import { describe, expect, it } from 'vitest';
import { instantiateKernel } from '../../src/model/kernel-image.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunSampler } from '../../src/montecarlo/run-sampler.js';
import { cli } from '../cli/harness.js';

const FIX = 'tests/fixtures/evidence/empirical';

describe('empirical distribution (joint rows)', () => {
  it('draws parameters of one joint table from the same row, rows equally often', () => {
    const ctx = prepareMc({ scenarioFile: `${FIX}/joint.yaml`, overrides: [] });
    const model = instantiateKernel(ctx.image.kernel);
    const sampler = new RunSampler(model, ctx.spec, ctx.image.params, 6);
    const params = new Float64Array(model.paramCount);
    const shocks = new Float64Array(6 * model.shockBlock);
    const counts = [0, 0, 0, 0];
    const regionRows = [0, 0];
    for (let k = 0; k < 4000; k++) {
      sampler.sample(9, k, params, shocks);
      const [g, d, ga, gb] = sampler.draws;
      const row = Math.round(g! * 100) - 1;
      counts[row]!++;
      // d's row is g's row: (0.01, −1), (0.02, −2), ...
      expect(d).toBe(-(row + 1));
      // Per region: both regions' values come from one row.
      expect([`${ga},${gb}`]).toContain(ga === 0.01 ? '0.01,0.05' : '0.02,0.06');
      regionRows[ga === 0.01 ? 0 : 1]!++;
      // apply: shift adds the draw to the scenario's value (d = 1 in the model).
      expect(params[ctx.scenario.model.parameters.find((p) => p.name === 'd')!.offset]).toBe(1 + d!);
    }
    // Chi-square with 3 degrees of freedom, 99.9% point 16.27.
    const chi2 = counts.reduce((a, c) => a + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(16.27);
    expect(Math.abs(regionRows[0]! - 2000)).toBeLessThan(200);
  });

  it('reports tables that do not fit, each at its place', async () => {
    const r = await cli('validate', `${FIX}/bad.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `${FIX}/bad.yaml:7:45: uncertainties.parameters.d.values: joint table 't' has 3 rows for 'g' but 2 here`,
      // A row's problem at the row itself (`[0.02]`, the inner `[1, 2]`), its path in the one format.
      `${FIX}/bad.yaml:8:69: uncertainties.parameters.gr.values[1]: with per_region: true each row must list 2 values, one per region in model order`,
      `${FIX}/bad.yaml:9:37: uncertainties.parameters.y0.values[0]: each row must be one number (a list per row needs per_region: true)`,
      `${FIX}/bad.yaml:10:13: uncertainties.parameters.unused: the draws span [0.5, 7], outside the range of 'unused' [-1, 1]`,
      '1 of 1 file had problems',
    ]);
  });
});

describe('empirical moments', () => {
  it('are the mean and variance of the rows, each row equally likely', async () => {
    const { theoreticalMean, theoreticalVariance, quantile } = await import('../../src/montecarlo/distributions.js');
    const d = { kind: 'empirical', rows: [[1], [2], [3], [4]] } as const;
    expect(theoreticalMean(d)).toBe(2.5);
    expect(theoreticalVariance(d)).toBe(1.25);
    expect([0.01, 0.26, 0.5, 0.99].map((u) => quantile(d, u))).toEqual([1, 2, 3, 4]);
  });
});
