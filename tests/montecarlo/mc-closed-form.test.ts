/**
 * The whole Monte Carlo pipeline (uncertainties → per-run draws → compiled model with shock slots →
 * streaming statistics → JSON report) against outcome distributions known in closed form, on the
 * fixture model tests/fixtures/mc/models/closed-form.yaml (base year 2020; t = year − 2020 steps):
 *
 *   x  = x0·exp(g)^t, g ~ normal(μ = 0.02, s = 0.05) drawn once per run → x_t lognormal: ln x_t ~ N(ln x0 + tμ, (ts)²)
 *   w  = random walk of iid shocks, sd 1                                 → w_t ~ N(0, t)
 *   v  = random walk of AR(1) shocks, stationary sd 1, ρ = 0.5           → v_t ~ N(0, t + 2·Σ_{k=1}^{t−1} (t−k)·ρ^k)
 *   m  = φ·m + iid shock (sd 1), φ = 0.7, m_0 = 0                        → m_t ~ N(0, (1 − φ^{2t}) / (1 − φ²))
 *   ec = the auxiliary 0 + AR(1) shock (stationary sd 2, ρ = 0.8)        → ec_t ~ N(0, 4) in every year t ≥ 1
 *
 * Tolerance for a percentile p (p5, p50, p95 from the JSON), n runs:
 *   |reported − exact quantile| ≤ resolution + K·SE,  SE = √(p(1−p)/n) / f(q_p).
 * The report's bound says the percentile is within one bin width (`resolution`) of the order statistic
 * x₍⌈pn⌉₎; that order statistic is asymptotically normal around the true quantile q_p with standard
 * error SE (f = the density at q_p; Bahadur representation). K = 4: with the fixed seed the test is
 * deterministic, and a correct implementation would miss the band with probability ~6e-5 per check
 * (~2e-3 over the 30-odd checks here). The band is still tight: at n = 20,000 it is ~0.09 σ at p95
 * (bin width ~0.03 σ + 4 SE ~0.06 σ), so a shock sd wrong by 5% or an AR(1) that does not start from
 * its stationary distribution (sd 1.2 instead of 2 for ec in the first year) fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { McResult } from '../../src/montecarlo/simulate.js';
import { mcResultJson } from '../../src/report/mc-report.js';
import { FIX, normalCdf, normalPdf, normalQuantile, simulateInProcess } from '../fixtures/mc/helpers.js';

const N = 20_000;
const SEED = 7;
const K = 4;
const X0 = 100;
const MU = 0.02;
const S = 0.05;
const RHO_V = 0.5;
const PHI = 0.7;
const SD_EC = 2;
const PCTS = [5, 50, 95] as const;

interface SeriesJson {
  indicator: string;
  region: string;
  mean: (number | null)[];
  sd: (number | null)[];
  p5: number[];
  p50: number[];
  p95: number[];
  resolution: number[];
  [k: string]: unknown;
}

/** Exact distribution of an indicator t steps after the base year: quantile, density at it, mean, sd. */
interface Exact {
  quantile(p: number): number;
  density(x: number): number;
  mean: number;
  sd: number;
}

const normal = (sd: number): Exact => ({
  quantile: (p) => sd * normalQuantile(p),
  density: (x) => normalPdf(x / sd) / sd,
  mean: 0,
  sd,
});

function exact(indicator: string, t: number): Exact {
  switch (indicator) {
    case 'x': {
      const m = Math.log(X0) + t * MU;
      const s = t * S;
      return {
        quantile: (p) => Math.exp(m + s * normalQuantile(p)),
        density: (x) => normalPdf((Math.log(x) - m) / s) / (x * s),
        mean: Math.exp(m + (s * s) / 2),
        sd: Math.sqrt((Math.exp(s * s) - 1) * Math.exp(2 * m + s * s)),
      };
    }
    case 'w':
      return normal(Math.sqrt(t));
    case 'v': {
      let variance = t;
      for (let k = 1; k < t; k++) variance += 2 * (t - k) * RHO_V ** k;
      return normal(Math.sqrt(variance));
    }
    case 'm':
      return normal(Math.sqrt((1 - PHI ** (2 * t)) / (1 - PHI * PHI)));
    case 'ec':
      return normal(SD_EC);
    default:
      throw new Error(indicator);
  }
}

describe('Monte Carlo quantiles match closed-form distributions', () => {
  let result: McResult;
  let json: {
    years: number[];
    series: SeriesJson[];
    targets: { probability: number; runsReached: number }[];
    percentileMethod: { bins: number };
  };

  beforeAll(async () => {
    result = await simulateInProcess(`${FIX}/closed-form.yaml`, { runs: N, seed: SEED });
    // Through the JSON report, as a user would read it.
    json = JSON.parse(JSON.stringify(mcResultJson(result)));
  });

  const series = (ind: string): SeriesJson => json.series.find((s) => s.indicator === ind && s.region === 'a')!;

  it('reports every run, complete', () => {
    expect(result.runsCompleted).toBe(N);
    expect(result.partial).toBe(false);
    expect(json.percentileMethod.bins).toBe(512);
  });

  it('the base year is the deterministic start: every statistic equals the initial value exactly', () => {
    for (const [ind, v0] of [
      ['x', X0],
      ['w', 0],
      ['v', 0],
      ['m', 0],
      ['ec', 0],
    ] as const) {
      const s = series(ind);
      expect([s.mean[0], s.p5[0], s.p50[0], s.p95[0]]).toEqual([v0, v0, v0, v0]);
      expect(s.sd[0]).toBe(0);
    }
  });

  for (const ind of ['x', 'w', 'v', 'm', 'ec']) {
    for (const t of [1, 5, 10]) {
      it(`${ind} in ${2020 + t}: p5, p50, p95 within resolution + ${K} SE of the exact quantiles`, () => {
        const s = series(ind);
        const y = json.years.indexOf(2020 + t);
        const e = exact(ind, t);
        const c = y * result.scenario.model.seriesCount + result.scenario.model.seriesIndex(ind, 'a')!;
        for (const p of PCTS) {
          const q = e.quantile(p / 100);
          const se = Math.sqrt(((p / 100) * (1 - p / 100)) / N) / e.density(q);
          const reported = s[`p${p}`] as number[];
          const tol = s.resolution[y]! + K * se;
          // The bin bound only holds for a percentile that was not clamped to the min or max.
          const clamped = result.stats.percentiles.find((r) => r.p === p)!.clamped[c];
          expect(clamped, `p${p} clamped`).toBe(0);
          expect(
            Math.abs(reported[y]! - q),
            `p${p}: reported ${reported[y]}, exact ${q}, tolerance ${tol}`,
          ).toBeLessThanOrEqual(tol);
          // The resolution is small next to the spread: the check is not made vacuous by wide bins.
          expect(s.resolution[y]!).toBeLessThan(0.05 * e.sd);
        }
      });
    }
    it(`${ind} in 2030: mean within 4 σ/√n and sd within 5% of the exact values`, () => {
      const s = series(ind);
      const y = json.years.indexOf(2030);
      const e = exact(ind, 10);
      expect(Math.abs(s.mean[y]! - e.mean)).toBeLessThanOrEqual((K * e.sd) / Math.sqrt(N));
      // sd of a sample sd ≈ σ/√(2n) (1.6% of σ here for a normal; larger for the lognormal x's tail).
      expect(Math.abs(s.sd[y]! / e.sd - 1)).toBeLessThan(0.05);
    });
  }

  it('target probabilities match the closed form within 4 binomial standard errors', () => {
    // x_2030 ≥ 120  ⇔  g ≥ ln(1.2)/10
    const p1 = 1 - normalCdf((Math.log(1.2) / 10 - MU) / S);
    // w_2025 ≤ −1, w_2025 ~ N(0, 5)
    const p2 = normalCdf(-1 / Math.sqrt(5));
    for (const [k, p] of [
      [0, p1],
      [1, p2],
    ] as const) {
      const got = json.targets[k]!.probability;
      expect(Math.abs(got - p), `target ${k + 1}: ${got} vs ${p}`).toBeLessThanOrEqual(
        K * Math.sqrt((p * (1 - p)) / N),
      );
      expect(json.targets[k]!.runsReached).toBe(Math.round(got * N));
    }
  });

  it('a different seed moves the estimates only by sampling noise (same bounds)', async () => {
    const other = JSON.parse(
      JSON.stringify(mcResultJson(await simulateInProcess(`${FIX}/closed-form.yaml`, { runs: N, seed: SEED + 1000 }))),
    ) as typeof json;
    const s = other.series.find((x) => x.indicator === 'v' && x.region === 'a')!;
    const y = other.years.indexOf(2030);
    const e = exact('v', 10);
    for (const p of PCTS) {
      const q = e.quantile(p / 100);
      const tol = s.resolution[y]! + (K * Math.sqrt(((p / 100) * (1 - p / 100)) / N)) / e.density(q);
      expect(Math.abs((s[`p${p}`] as number[])[y]! - q)).toBeLessThanOrEqual(tol);
    }
    expect(s.p50[y]).not.toBe(series('v').p50[y]);
  });
});
