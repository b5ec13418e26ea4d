import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { backtest, type ObservationScore, summarize } from '../../src/evidence/backtest.js';
import { importancePosterior } from '../../src/evidence/importance.js';
import { parseObserved } from '../../src/evidence/observed-file.js';
import { pointFit, resolveFitNames } from '../../src/evidence/point-fit.js';
import { binomialCdf } from '../../src/evidence/scores.js';
import { normalQuantileStd } from '../../src/montecarlo/distributions.js';
import { type McContext, prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { Projector } from '../../src/project/projector.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/**
 * Synthetic truth: observations generated from the fixture model at known parameter values (plus
 * known noise), then the evidence tools must find those values again, or grade the bands correctly.
 */

const FIX = 'tests/fixtures/evidence';

function context(file: string): McContext {
  return prepareMc({ scenarioFile: `${FIX}/${file}`, overrides: [] });
}

/** A standard normal stream for the truth, independent of the Monte Carlo streams. */
function normalStream(seed: string): () => number {
  const rng = seedrandom.tychei(seed);
  return () => normalQuantileStd((Math.floor(rng.double() * 2 ** 32) + 0.5) / 2 ** 32);
}

/** The model's projection with some parameters set (name → value for every slot of it). */
function truthProjection(scenario: Scenario, values: Record<string, number | number[]>): Float64Array {
  const params = scenario.params.slice();
  for (const [name, v] of Object.entries(values)) {
    const p = scenario.model.parameters.find((q) => q.name === name)!;
    const n = p.scope === 'global' ? 1 : scenario.model.regions.length;
    for (let k = 0; k < n; k++) params[p.offset + k] = Array.isArray(v) ? v[k]! : v;
  }
  return new Projector(scenario.model, scenario.horizon.end).run(params, scenario.levers).slice();
}

function value(scenario: Scenario, out: Float64Array, indicator: string, region: string, year: number): number {
  const m = scenario.model;
  return out[(year - m.baseYear) * m.seriesCount + m.seriesIndex(indicator, region)!]!;
}

/** CSV of observations `cells` from a projection, each with noise of sd `sd` (0: exact, no sd column). */
function observedCsv(
  scenario: Scenario,
  out: Float64Array,
  cells: [string, string, number][],
  sd: number,
  z: () => number,
): string {
  const rows = cells.map(([i, r, y]) => `${i},${r},${y},${value(scenario, out, i, r, y) + sd * z()},${sd || ''}`);
  return `indicator,region,year,value,sd\n${rows.join('\n')}\n`;
}

describe('point fit on synthetic truth', () => {
  it('recovers growth and drift within the standard errors the noise implies', () => {
    const ctx = context('fit.yaml');
    const s = ctx.scenario;
    const truth = { g: 0.035, d: 2 };
    const out = truthProjection(s, truth);
    const cells: [string, string, number][] = [];
    for (let y = 2021; y <= 2030; y++) cells.push(['y', 'a', y], ['y', 'b', y]);
    const unknowns = resolveFitNames(s, ['g', 'd']);
    const zg: number[] = [];
    const zd: number[] = [];
    let se0: number[] | undefined;
    for (let seed = 0; seed < 20; seed++) {
      const text = observedCsv(s, out, cells, 0.5, normalStream(`fit/${seed}`));
      const fit = pointFit(s, parseObserved(text, 'synthetic.csv', s), unknowns);
      const [g, d] = fit.parameters;
      // The standard errors depend on the design and the noise, not on the draw.
      se0 ??= [g!.standardError, d!.standardError];
      // (up to the model's slight non-linearity: the curvature is taken at each estimate).
      expect(Math.abs(g!.standardError / se0[0]! - 1)).toBeLessThan(0.05);
      zg.push((g!.value - truth.g) / g!.standardError);
      zd.push((d!.value - truth.d) / d!.standardError);
      expect(fit.degreesOfFreedom).toBe(18);
      expect(g!.identification).toBe('identified jointly with d (|correlation| > 0.95)');
    }
    for (const zs of [zg, zd]) {
      for (const x of zs) expect(Math.abs(x)).toBeLessThan(4);
      // Over 20 noise draws the standardised errors have sd ≈ 1 (95% range of the sample sd: 0.68-1.31).
      const sd = Math.sqrt(zs.reduce((a, x) => a + x * x, 0) / zs.length);
      expect(sd).toBeGreaterThan(0.6);
      expect(sd).toBeLessThan(1.45);
    }
    // The noise is small against the signal: the estimates land close to the truth.
    expect(se0![0]!).toBeLessThan(0.002);
  });

  it('names a parameter no observation depends on and one driven to its bound', () => {
    const ctx = context('fit.yaml');
    const s = ctx.scenario;
    const out = truthProjection(s, { g: 0.035, d: 2 });
    const cells: [string, string, number][] = [];
    for (let y = 2021; y <= 2030; y++) cells.push(['y', 'a', y]);
    const text = observedCsv(s, out, cells, 0, () => 0).replace(/,\n/g, ',0.1\n');
    const fit = pointFit(s, parseObserved(text, 'synthetic.csv', s), resolveFitNames(s, ['g', 'unused']));
    expect(fit.parameters[1]!.identification).toBe('not identified: no observation depends on it');
    expect(fit.parameters[1]!.standardError).toBeNaN();
    expect(fit.parameters[0]!.value).toBeCloseTo(0.035 + 2 / 100, 1); // d held at 1 pushes g up to compensate
    // Truth outside the range: growth 0.3 is beyond g's upper bound 0.2.
    const far = truthProjection(s, { g: 0.3 });
    const text2 = observedCsv(s, far, cells, 0, () => 0).replace(/,\n/g, ',0.1\n');
    const fit2 = pointFit(s, parseObserved(text2, 'synthetic.csv', s), resolveFitNames(s, ['g']));
    expect(fit2.parameters[0]!.value).toBe(0.2);
    expect(fit2.parameters[0]!.identification).toBe(
      'at the bound of its range: the data pull it further; the standard error does not apply',
    );
  });
});

describe('importance-weighted posterior on synthetic truth', () => {
  it('covers parameters drawn from the prior at about the nominal 90%, and narrows the prior', async () => {
    const ctx = context('posterior.yaml');
    const s = ctx.scenario;
    const seeds = 50;
    let covered = 0;
    let width = 0;
    let priorWidth = 0;
    let minEss = Infinity;
    for (let k = 0; k < seeds; k++) {
      const z = normalStream(`posterior/${k}`);
      const rng = seedrandom.tychei(`posterior-d/${k}`);
      const truth = { g: 0.02 + 0.01 * z(), d: -1 + 4 * rng.double() };
      const out = truthProjection(s, truth);
      const cells: [string, string, number][] = [];
      for (const y of [2025, 2030]) cells.push(['y', 'a', y], ['y', 'b', y]);
      const text = observedCsv(s, out, cells, 3, z);
      const post = await importancePosterior(ctx, parseObserved(text, 'synthetic.csv', s), {
        runs: 1500,
        seed: 100 + k,
        relativeError: 0.02,
        sampleRows: 10,
      });
      const g = post.parameters.find((p) => p.label === 'g')!;
      if (g.low <= truth.g && truth.g <= g.high) covered++;
      width += (g.high - g.low) / seeds;
      priorWidth += (g.priorHigh - g.priorLow) / seeds;
      minEss = Math.min(minEss, post.effectiveSampleSize);
    }
    // Binomial(50, 0.9): P(K <= 39) = 2.5%; a posterior equal to the prior would also cover 90%,
    // so it must also be clearly narrower.
    expect(binomialCdf(39, 50, 0.9)).toBeLessThan(0.03);
    expect(covered).toBeGreaterThanOrEqual(40);
    expect(covered).toBeLessThanOrEqual(50);
    expect(width).toBeLessThan(0.6 * priorWidth);
    // Each posterior rests on enough runs to read its 5% and 95% quantiles.
    expect(minEss).toBeGreaterThan(10);
  });

  it('warns when the effective sample size collapses', async () => {
    const ctx = context('posterior.yaml');
    const s = ctx.scenario;
    const out = truthProjection(s, { g: 0.02, d: 1 });
    const cells: [string, string, number][] = [];
    for (let y = 2021; y <= 2030; y++) cells.push(['y', 'a', y], ['y', 'b', y]);
    const text = observedCsv(s, out, cells, 0.01, normalStream('tight'));
    const post = await importancePosterior(ctx, parseObserved(text, 'synthetic.csv', s), {
      runs: 500,
      seed: 1,
      relativeError: 0.02,
      sampleRows: 10,
    });
    expect(post.effectiveSampleSize).toBeLessThan(5);
    expect(post.warnings[0]).toMatch(
      /^effective sample size \d+\.\d of 500 runs: the posterior rests on a few runs and is not to be trusted/,
    );
  });
});

describe('backtest coverage on synthetic truth', () => {
  /** Scores of observations of x in 2025 and 2030 for both regions, truth growth drawn with sd `truthSd`. */
  async function pooledScores(truthSd: number, seeds: number): Promise<ObservationScore[]> {
    const ctx = context('coverage.yaml');
    const s = ctx.scenario;
    const all: ObservationScore[] = [];
    for (let k = 0; k < seeds; k++) {
      const z = normalStream(`coverage/${truthSd}/${k}`);
      const out = truthProjection(s, { gr: [0.02 + truthSd * z(), 0.02 + truthSd * z()] });
      const text = observedCsv(
        s,
        out,
        [
          ['x', 'a', 2030],
          ['x', 'b', 2030],
        ],
        0,
        z,
      );
      const r = await backtest(ctx, parseObserved(text, 'synthetic.csv', s), 1000, 1000 + k);
      all.push(...r.scores);
    }
    return all;
  }

  it("a correctly specified model's 90% band covers about 90% of observations", async () => {
    const scores = await pooledScores(0.01, 150);
    const sum = summarize(scores, false);
    expect(sum.n).toBe(300);
    // Binomial(300, 0.9): mean 270, sd 5.2; 3 sd either side.
    expect(sum.inside90).toBeGreaterThanOrEqual(255);
    expect(sum.inside90).toBeLessThanOrEqual(285);
    expect(sum.inside50).toBeGreaterThanOrEqual(124);
    expect(sum.inside50).toBeLessThanOrEqual(176);
    expect(sum.verdict).toBe('about right');
  });

  it('a model whose bands are three times too narrow is flagged', async () => {
    const sum = summarize(await pooledScores(0.03, 40), false);
    expect(sum.coverage90).toBeLessThan(0.7);
    expect(sum.verdict).toBe('too narrow');
  });
});
