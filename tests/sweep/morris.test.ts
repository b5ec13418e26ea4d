import { describe, expect, it } from 'vitest';
import { morris, type Problem } from '../../src/sweep/design/index.js';
import { evaluate, G_A, gFunction, gProblem, ishigami, ishigamiProblem } from './test-functions.js';

function run(
  problem: Problem,
  f: (x: Float64Array) => number,
  r: number,
  seed: number,
  levels = 4,
): morris.MorrisResult {
  const d = morris.sample(problem, { trajectories: r, levels, seed });
  return morris.analyze(problem, d, evaluate(d.X, f), { seed, resamples: 1000 });
}

describe('morris.sample', () => {
  it('builds r trajectories of D+1 points, each step moving one factor by ±Δ on the p-level grid', () => {
    const D = 5;
    const problem = { names: ['a', 'b', 'c', 'd', 'e'] };
    for (const p of [2, 4, 6]) {
      const r = 30;
      const d = morris.sample(problem, { trajectories: r, levels: p, seed: 11 });
      const delta = p / (2 * (p - 1));
      expect(d.delta).toBe(delta);
      expect(d.rows).toBe(r * (D + 1));
      expect(d.contract).toBe(`r·(D+1) with r=${r}, D=${D}`);
      for (const u of d.unit.data) {
        const k = u * (p - 1);
        expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-12); // on the grid {0, 1/(p−1), ..., 1}
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThanOrEqual(1);
      }
      for (let t = 0; t < r; t++) {
        const moved: number[] = [];
        for (let m = 1; m <= D; m++) {
          const row = t * (D + 1) + m;
          const changed: number[] = [];
          for (let c = 0; c < D; c++) {
            const du = d.unit.data[row * D + c]! - d.unit.data[(row - 1) * D + c]!;
            if (du !== 0) {
              changed.push(c);
              expect(Math.abs(du)).toBeCloseTo(delta, 12);
            }
          }
          expect(changed).toHaveLength(1);
          moved.push(changed[0]!);
        }
        expect([...moved].sort()).toEqual([0, 1, 2, 3, 4]); // every factor moves exactly once
      }
    }
  });

  it('uses both orientations and every level (random start, random direction)', () => {
    const d = morris.sample({ names: ['a', 'b'] }, { trajectories: 200, seed: 5 });
    const counts = new Map<number, number>();
    for (const u of d.unit.data) counts.set(Math.round(u * 3), (counts.get(Math.round(u * 3)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3]);
    // Each level is equally likely (1/4 of 1200 values = 300).
    for (const c of counts.values()) expect(Math.abs(c - 300)).toBeLessThan(75);
    let up = 0;
    let down = 0;
    for (let t = 0; t < 200; t++) {
      const start = d.unit.data[t * 3 * 2]!; // factor a at the start of trajectory t
      if (start < 0.5) up++;
      else down++;
    }
    expect(up).toBeGreaterThan(60);
    expect(down).toBeGreaterThan(60);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = morris.sample(gProblem, { trajectories: 10, seed: 42 });
    const b = morris.sample(gProblem, { trajectories: 10, seed: 42 });
    const c = morris.sample(gProblem, { trajectories: 10, seed: 43 });
    expect(b.unit.data).toEqual(a.unit.data);
    expect(c.unit.data).not.toEqual(a.unit.data);
  });
});

describe('morris.analyze on the G-function', () => {
  // With p = 4 (levels 0, 1/3, 2/3, 1; Δ = 2/3) every jump changes |4x − 2| by 4/3, so
  // |EE_i| = 2/(1 + a_i) · Π_{j≠i} g_j(x_j), and each other factor sits on a uniformly random level,
  // where E g_j = ((2 + a_j) + (2/3 + a_j))/2/(1 + a_j). Hence E μ*_i = 2/(1 + a_i) Π_{j≠i} (4/3 + a_j)/(1 + a_j).
  const expectedMuStar = G_A.map(
    (ai, i) => (2 / (1 + ai)) * G_A.reduce((p, aj, j) => (j === i ? p : (p * (4 / 3 + aj)) / (1 + aj)), 1),
  );

  it('ranks x1..x4 in order of a_i and the a=99 factors last, for every one of 25 seeds (r = 20)', () => {
    for (let seed = 0; seed < 25; seed++) {
      const res = run(gProblem, gFunction, 20, seed);
      expect(res.ranking.slice(0, 4)).toEqual([0, 1, 2, 3]);
      expect([...res.ranking.slice(4)].sort()).toEqual([4, 5, 6, 7]);
    }
  });

  it('μ* converges to its analytic expectation (r = 400, within 4 standard errors)', () => {
    const r = 400;
    const res = run(gProblem, gFunction, r, 7);
    for (let i = 0; i < 8; i++) {
      // Standard error of a mean of r values of |EE|: sd(|EE|)/√r.
      const abs = Array.from(res.effects.data.subarray(i * r, (i + 1) * r), Math.abs);
      const m = abs.reduce((s, v) => s + v, 0) / r;
      const sd = Math.sqrt(abs.reduce((s, v) => s + (v - m) ** 2, 0) / (r - 1));
      expect(res.muStar[i]).toBeCloseTo(m, 12);
      expect(Math.abs(res.muStar[i]! - expectedMuStar[i]!)).toBeLessThan((4 * sd) / Math.sqrt(r));
    }
  });
});

describe('morris.analyze on Ishigami', () => {
  // With p = 4 the unit levels 0, 1/3, 2/3, 1 map to −π, −π/3, π/3, π, and Δ = 2/3. Then:
  //  x2: sin² x2 jumps between 0 and 3/4 on every move, so |EE2| = 7·(3/4)/(2/3) = 7.875 exactly;
  //  x1: sin x1 always rises by √3/2 when x1 rises, so every EE1 > 0 (μ1 = μ*1), and
  //      EE1 = (√3/2)(1 + 0.1 x3⁴)/(2/3), E μ*1 = (√3/2)(3/2)(1 + 0.1((π⁴ + (π/3)⁴)/2)) ≈ 7.70;
  //  x3: x3⁴ jumps by π⁴ − (π/3)⁴ and is multiplied by sin x1 ∈ {0, ±√3/2} (0 half the time), so
  //      |EE3| ∈ {0, 0.1(π⁴ − π⁴/81)(√3/2)(3/2)} and E μ*3 ≈ 6.25.
  // So Morris ranks x1 and x2 close together (their order is not stable across seeds and is not
  // asserted) and does NOT screen out x3, whose first-order index is 0: it acts only through x1·x3.
  const pi = Math.PI;
  const s3 = Math.sqrt(3) / 2;
  const ee2 = (7 * 0.75) / (2 / 3);
  const ee3 = (0.1 * (pi ** 4 - (pi / 3) ** 4) * s3) / (2 / 3);
  const expected1 = s3 * 1.5 * (1 + 0.1 * ((pi ** 4 + (pi / 3) ** 4) / 2));
  const expected3 = ee3 / 2;
  const r = 500;
  const res = run(ishigamiProblem, ishigami, r, 2024);

  it('μ*2 is exactly 7.875 and its bootstrap interval collapses onto it', () => {
    expect(res.muStar[1]).toBeCloseTo(ee2, 9);
    for (let t = 0; t < r; t++) expect(Math.abs(res.effects.data[r + t]!)).toBeCloseTo(ee2, 9);
    expect(res.muStarLow[1]).toBeCloseTo(ee2, 9);
    expect(res.muStarHigh[1]).toBeCloseTo(ee2, 9);
  });

  it('every EE1 is positive, so μ1 = μ*1; |EE3| takes only the two analytic values', () => {
    for (let t = 0; t < r; t++) expect(res.effects.data[t]!).toBeGreaterThan(0);
    expect(res.mu[0]).toBeCloseTo(res.muStar[0]!, 12);
    for (let t = 0; t < r; t++) {
      const a = Math.abs(res.effects.data[2 * r + t]!);
      expect(Math.min(Math.abs(a), Math.abs(a - ee3))).toBeLessThan(1e-9);
    }
  });

  it('μ*1 and μ*3 are within 4 standard errors of their expectations; x3 is not screened out', () => {
    expect(Math.abs(res.muStar[0]! - expected1)).toBeLessThan((4 * res.sigma[0]!) / Math.sqrt(r));
    expect(Math.abs(res.muStar[2]! - expected3)).toBeLessThan((4 * (ee3 / 2)) / Math.sqrt(r)); // sd(|EE3|) = ee3/2
    expect(res.muStar[2]!).toBeGreaterThan(0.5 * res.muStar[1]!);
    expect(res.ranking[2]).toBe(2);
  });

  it('the 95% percentile interval for μ* covers the expectation in about 95% of 200 seeds', () => {
    // Measured over 1000 seeds at r = 200: coverage 0.92–0.945 (percentile bootstraps run slightly
    // under nominal). For 200 seeds at p ≈ 0.935 the count has mean 187 and sd 3.5; the bounds below
    // are ~3 sd away on each side, so they catch intervals that are too narrow or uselessly wide.
    const rr = 200;
    const cover = [0, 0];
    for (let seed = 0; seed < 200; seed++) {
      const d = morris.sample(ishigamiProblem, { trajectories: rr, seed: 1000 + seed });
      const one = morris.analyze(ishigamiProblem, d, evaluate(d.X, ishigami), { seed, resamples: 500 });
      if (one.muStarLow[0]! <= expected1 && expected1 <= one.muStarHigh[0]!) cover[0]!++;
      if (one.muStarLow[2]! <= expected3 && expected3 <= one.muStarHigh[2]!) cover[1]!++;
    }
    for (const c of cover) {
      expect(c).toBeGreaterThanOrEqual(176);
      expect(c).toBeLessThanOrEqual(198);
    }
  });

  it('σ uses n − 1 and the half-width is z·sd of the replicates', () => {
    const ee = Array.from(res.effects.data.subarray(0, r));
    const m = ee.reduce((s, v) => s + v, 0) / r;
    const sd = Math.sqrt(ee.reduce((s, v) => s + (v - m) ** 2, 0) / (r - 1));
    expect(res.sigma[0]).toBeCloseTo(sd, 10);
    // The bootstrap sd of a mean ≈ sd/√r, so the half-width ≈ 1.96·sd/√r.
    expect(res.muStarConf[0]! / ((1.959964 * sd) / Math.sqrt(r))).toBeGreaterThan(0.85);
    expect(res.muStarConf[0]! / ((1.959964 * sd) / Math.sqrt(r))).toBeLessThan(1.15);
  });

  it('is deterministic for a seed', () => {
    expect(run(ishigamiProblem, ishigami, r, 2024)).toEqual(res);
    expect(run(ishigamiProblem, ishigami, r, 2025).muStar).not.toEqual(res.muStar);
  });
});
