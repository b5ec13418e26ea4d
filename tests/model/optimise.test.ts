/**
 * The optimised kernel (src/model/passes/optimise.ts) against the straightforward one, on the
 * Northeast model and test fixtures: bit-identical wherever no running power is involved (hoisting
 * computes the same operations on the same values), and within a stated tolerance where `x ^ (t+k)`
 * with a drawn x became a running product.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { loadModel } from '../../src/model/load-model.js';
import { Projector } from '../../src/project/projector.js';
import { inputs, MODELS, straightforward, YEARS } from '../fixtures/kernel-passes.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Largest |a − b| relative to the largest |b| of the same series (values near 0 are judged by their series). */
function maxRelative(m: CompiledModel, a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let s = 0; s < m.seriesCount; s++) {
    let scale = 0;
    for (let yi = 0; yi < YEARS; yi++) scale = Math.max(scale, Math.abs(b[yi * m.seriesCount + s]!));
    for (let yi = 0; yi < YEARS; yi++) {
      const i = yi * m.seriesCount + s;
      const d = Math.abs(a[i]! - b[i]!);
      if (d > 0) worst = Math.max(worst, d / scale);
    }
  }
  return worst;
}

describe('optimised kernel', () => {
  for (const file of MODELS) {
    it(`${file}: bit-identical when no parameter is drawn (hoisting only), for any levers and parameters`, () => {
      const m = loadModel(file);
      const projector = new Projector(m, m.baseYear + YEARS - 1);
      for (let seed = 1; seed <= 20; seed++) {
        const { P, L } = inputs(m, seed);
        expect(bytes(projector.run(P, L)).equals(bytes(straightforward(m, P, L)))).toBe(true);
      }
    });

    it(`${file}: with every parameter drawn, within 1e-12 of the series scale (running powers), fixed levers`, () => {
      const plain = loadModel(file);
      const m = loadModel(file, process.cwd(), { drawn: plain.parameters.map((p) => p.name) });
      const projector = new Projector(m, m.baseYear + YEARS - 1);
      const { P: P0, L } = inputs(m, 99);
      projector.fix(P0, L);
      let worst = 0;
      for (let seed = 1; seed <= 50; seed++) {
        const { P } = inputs(m, seed);
        worst = Math.max(worst, maxRelative(m, projector.runFixed(P), straightforward(m, P, L)));
      }
      // Each running power rounds once a year: n years, ~n ulps (2.2e-16 n); 24 years here.
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it('reduces x ^ (t + k) to running powers only where the exponent is >= 0 from the first step', () => {
    const m = loadModel('tests/fixtures/models/passes.yaml', process.cwd(), { drawn: ['decay', 'fade', 'scale'] });
    const { init, step } = m.sources.optimised;
    // decay ^ (t - 1), fade ^ (year - 2009), fade ^ t, pow(decay, t + 2): 1 + 1 + 1 + 1 per region of decay.
    expect(init.match(/Math\.pow\(/g)?.length).toBe(6);
    // decay ^ (t - 3) starts at a negative exponent (x = 0 would give Infinity × 0): left to Math.pow.
    expect(step).toContain('Math.pow(P[0], ');
    expect(step).toContain('Math.pow(P[1], ');
    expect(step.match(/Math\.pow\(/g)?.length).toBe(2);
    // 1 - exp(-push / scale) reads a drawn parameter and a lever: stays in the step; exp(-decay / scale) is per run.
    expect(init).toContain('Math.exp(((-P[0]) / P[3]))');
  });

  it('hoists what reads only levers, the year and undrawn parameters into the per-year table', () => {
    const m = loadModel('scenarios/../src/models/northeast.yaml');
    const { prepare, step } = m.sources.optimised;
    // 1 - exp(-parks / parks_scale) for each province: computed by prepare, not per run.
    expect(prepare.match(/Math\.exp\(/g)?.length).toBeGreaterThanOrEqual(3);
    expect(step).not.toContain('Math.exp(');
    expect(step).not.toContain('Math.pow(');
  });

  it('runFixed() prepares again when a parameter the table reads changes', () => {
    const m = loadModel('tests/fixtures/models/passes.yaml');
    const projector = new Projector(m, m.baseYear + YEARS - 1);
    const { P, L } = inputs(m, 5);
    projector.fix(P, L);
    const first = projector.runFixed(P).slice();
    const Q = P.slice();
    Q[m.parameters.find((p) => p.name === 'scale')!.offset] = 3.5;
    expect(bytes(projector.runFixed(Q)).equals(bytes(straightforward(m, Q, L)))).toBe(true);
    expect(bytes(projector.runFixed(P)).equals(bytes(first))).toBe(true);
  });
});
