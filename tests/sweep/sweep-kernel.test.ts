/**
 * The kernel a sweep's rows run (sweepKernel: factors' parameters drawn, their levers varying, running
 * powers off, only the equations the outputs read, projected to the last year an output reads) gives
 * every row's outputs bit for bit as the model's own kernel over the whole horizon does, on sweeps of
 * every kind of output (target gap, value, reached, first year, probability with Monte Carlo futures,
 * series) over the Northeast model and the analytic fixtures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelImage } from '../../src/model/kernel-image.js';
import { projectionGrid } from '../../src/model/layout.js';
import { TargetMeasure } from '../../src/project/targets.js';
import { adjust } from '../../src/scenario/adjustment.js';
import { loadSweep } from '../../src/sweep/load-sweep.js';
import { RowEvaluator, sweepImage, sweepKernel } from '../../src/sweep/row-evaluator.js';
import { makeDesign } from '../../src/sweep/run-sweep.js';

const SWEEPS = [
  'scenarios/sweeps/sobol-trade-gap.yaml',
  'scenarios/sweeps/tornado-levers.yaml',
  'scenarios/sweeps/ftz-openness-grid.yaml',
  'scenarios/sweeps/morris-screening.yaml',
  'tests/fixtures/sweep/det-policy-grid.yaml',
  'tests/fixtures/sweep/oat-levers.yaml',
  'tests/fixtures/sweep/ishigami-sobol.yaml',
  'tests/fixtures/sweep/g-sobol.yaml',
];
const MAX_ROWS = 600;

// A grid with the output kinds the files above lack: first year, reached, a series, a value.
const dir = mkdtempSync(join(tmpdir(), 'policysim-sweep-kernel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KINDS = join(dir, 'kinds.yaml');
writeFileSync(
  KINDS,
  `name: kinds
description: output kinds
scenario: ${JSON.stringify(resolve('tests/fixtures/sweep/trade-thresholds.yaml'))}
design: grid
factors:
  ftz: { levels: [0, 0.5, 1], from: 2017 }
  td_trend: { levels: [-0.07, -0.03, 0.01] }
outputs:
  - { target: 4, metric: first_year }
  - { target: 2, metric: reached }
  - { indicator: rd_intensity, region: jilin, year: 2024 }
  - { target: 1, metric: value }
`,
);
SWEEPS.push(KINDS);

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('the sweep kernel', () => {
  for (const file of SWEEPS) {
    it(`${file}: rows bit for bit as with the model's own kernel over the whole horizon`, () => {
      const sweep = loadSweep(file);
      const X = makeDesign(sweep).design.d.X;
      const rows = Math.min(X.rows, MAX_ROWS);
      const x = X.data.subarray(0, rows * X.cols);
      const image = sweepImage(sweep);
      const plain = { ...image, kernel: kernelImage(sweep.scenario.model), endYear: sweep.scenario.horizon.end };
      const got = new RowEvaluator(image).evaluate(x, rows);
      const want = new RowEvaluator(plain).evaluate(x, rows);
      if (!got.ok || !want.ok) throw new Error('a row failed');
      expect(bytes(got.Y).equals(bytes(want.Y))).toBe(true);
    });
  }

  it('sobol-trade-gap: the gaps are those of the straightforward kernel, and the rows stop at 2030', () => {
    const sweep = loadSweep('scenarios/sweeps/sobol-trade-gap.yaml');
    const { scenario } = sweep;
    const { model: specialised, endYear } = sweepKernel(sweep);
    expect(endYear).toBe(2030);
    expect(specialised.sources.optimised.step.length).toBeLessThan(scenario.model.sources.optimised.step.length / 2);
    const X = makeDesign(sweep).design.d.X;
    const rows = 200;
    const r = new RowEvaluator(sweepImage(sweep)).evaluate(X.data.subarray(0, rows * X.cols), rows);
    if (!r.ok) throw new Error('a row failed');
    const m = scenario.model;
    const years = scenario.horizon.end - m.baseYear + 1;
    const measures = sweep.outputs.map((o) => {
      if (o.kind !== 'target') throw new Error('expected target outputs');
      return new TargetMeasure(scenario.targets[o.target]!, projectionGrid(m), scenario.horizon);
    });
    for (let i = 0; i < rows; i++) {
      const P = scenario.params.slice();
      const L = scenario.levers.slice();
      sweep.factors.forEach((f, j) => {
        const v = X.data[i * X.cols + j]!;
        if (f.lever)
          for (let yi = f.lever.fromYi; yi < years; yi++)
            for (const reg of f.lever.regions) L[yi * m.leverBlock + f.lever.index * m.regions.length + reg] = v;
        else for (const s of f.paramSlots) P[s] = adjust(f.apply, scenario.params[s]!, v);
      });
      const S = new Float64Array(m.stateCount);
      const out = new Float64Array(years * m.seriesCount);
      m.init(P, S, out);
      for (let yi = 1; yi < years; yi++) m.step(P, L, new Float64Array(0), S, out, yi, m.baseYear + yi);
      measures.forEach((t, k) => expect(r.Y[i * measures.length + k]).toBe(t.value(out) - t.reference(out)));
    }
  });

  it('is made once for a sweep and its other design sizes, again for other outputs', () => {
    const sweep = loadSweep('scenarios/sweeps/sobol-trade-gap.yaml');
    const image = sweepImage(sweep);
    // The same sweep with another number of samples and bootstrap (its raw design) reads the same.
    expect(sweepImage({ ...sweep, raw: { ...sweep.raw, samples: 16, bootstrap: 10 } })).toBe(image);
    // Other outputs (one of the two) make another kernel: it computes only what they read.
    const fewer = sweepImage({ ...sweep, outputs: sweep.outputs.slice(0, 1) });
    expect(fewer).not.toBe(image);
    expect(fewer.outputs).toHaveLength(1);
    // The same file loaded again is another sweep (its objects are new): another image.
    expect(sweepImage(loadSweep('scenarios/sweeps/sobol-trade-gap.yaml'))).not.toBe(image);
  });
});
