import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareKernels, createHandwrittenNortheast, NORTHEAST_SERIES } from '../../bench/northeast-handwritten.js';
import { DEFAULT_SCENARIO, loadScenario } from '../../src/scenario/load-scenario.js';

// The hand-written Northeast kernel is the benchmark's yardstick for the generated one; it is only a
// fair yardstick if it computes the same numbers.
const PAPER = resolve(dirname(DEFAULT_SCENARIO), 'paper-proposals.yaml');
const TOL = 1e-9;

describe('hand-written Northeast kernel (bench/)', () => {
  const paper = loadScenario(PAPER);
  const baseline = loadScenario(DEFAULT_SCENARIO);
  const years = (s: typeof paper): number => s.horizon.end - s.model.baseYear + 1;

  it('has the generated series layout', () => {
    expect(paper.model.series.map((s) => `${s.indicator}/${s.region}`)).toEqual(NORTHEAST_SERIES);
  });

  it('matches the generated kernel on paper-proposals (all levers active), 2015–2035', () => {
    // Every lever is switched on at some point in the horizon.
    const L = paper.levers,
      LB = paper.model.leverBlock,
      R = paper.model.regions.length;
    for (const lever of paper.model.levers) {
      let on = false;
      for (let yi = 0; yi < years(paper) && !on; yi++)
        for (let r = 0; r < R; r++) if (L[yi * LB + lever.index * R + r] !== 0) on = true;
      expect(on, `lever ${lever.name} active`).toBe(true);
    }
    const c = compareKernels(paper.model, paper.params, paper.levers, years(paper));
    expect(c.values).toBe(21 * paper.model.seriesCount);
    expect(c.maxRelDiff, JSON.stringify(c.worst)).toBeLessThanOrEqual(TOL);
  });

  it('matches the generated kernel on the default scenario', () => {
    const c = compareKernels(baseline.model, baseline.params, baseline.levers, years(baseline));
    expect(c.maxRelDiff, JSON.stringify(c.worst)).toBeLessThanOrEqual(TOL);
  });

  it('matches with every parameter moved within its range (deterministic draws)', () => {
    const m = paper.model;
    let seed = 12345;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let draw = 0; draw < 20; draw++) {
      const P = m.defaultParams();
      for (const p of m.parameters) {
        const [lo, hi] = p.range;
        for (let k = 0; k < p.defaults.length; k++) P[p.offset + k] = lo + (hi - lo) * rnd();
      }
      const c = compareKernels(m, P, paper.levers, years(paper));
      expect(c.maxRelDiff, `draw ${draw}: ${JSON.stringify(c.worst)}`).toBeLessThanOrEqual(TOL);
    }
  });

  it('writes the whole output table and reuses its buffer', () => {
    const hw = createHandwrittenNortheast(paper.model);
    const out = new Float64Array(21 * hw.seriesCount).fill(NaN);
    expect(hw.project(paper.params, paper.levers, out, 21)).toBe(out);
    expect(out.every((v) => Number.isFinite(v))).toBe(true);
  });
});
