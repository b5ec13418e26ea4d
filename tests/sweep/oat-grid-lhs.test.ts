import { describe, expect, it } from 'vitest';
import { grid, lhs, matrixToRows, oat } from '../../src/sweep/design/index.js';
import { evaluate } from './test-functions.js';

describe('oat (tornado)', () => {
  // f = 10 + 2·growth − 3·tax + 0.5·subsidy
  const problem = { names: ['growth', 'tax', 'subsidy'] };
  const f = (x: ArrayLike<number>): number => 10 + 2 * x[0]! - 3 * x[1]! + 0.5 * x[2]!;
  const design = oat.sample(problem, { base: [1, 1, 1], low: [0, 0.5, -2], high: [2, 1.5, 4] });

  it('lays out base, then low/high per factor: 1 + 2D rows', () => {
    expect(design.rows).toBe(7);
    expect(design.contract).toBe('1+2D with D=3');
    expect(matrixToRows(design.X)).toEqual([
      [1, 1, 1],
      [0, 1, 1],
      [2, 1, 1],
      [1, 0.5, 1],
      [1, 1.5, 1],
      [1, 1, -2],
      [1, 1, 4],
    ]);
  });

  it('gives hand-computed outputs and swings, ranked by swing with ties by name', () => {
    const res = oat.analyze(problem, design, evaluate(design.X, f));
    // base: 10 + 2 − 3 + 0.5 = 9.5
    expect(res.baseOutput).toBe(9.5);
    // growth 0 → 7.5, 2 → 11.5; tax 0.5 → 11, 1.5 → 8; subsidy −2 → 8, 4 → 11
    expect(res.low).toEqual([7.5, 11, 8]);
    expect(res.high).toEqual([11.5, 8, 11]);
    expect(res.lowDelta).toEqual([-2, 1.5, -1.5]);
    expect(res.highDelta).toEqual([2, -1.5, 1.5]);
    // swings |2·2| = 4, |−3·1| = 3, |0.5·6| = 3: tax and subsidy tie, "subsidy" < "tax"
    expect(res.swing).toEqual([4, 3, 3]);
    expect(res.ranking).toEqual([0, 2, 1]);
  });
});

describe('grid (full factorial)', () => {
  it('has Π levels rows with the last factor fastest', () => {
    const problem = { names: ['a', 'b', 'c'] };
    const d = grid.sample(problem, { levels: [[1, 2], [10, 20, 30], [-1]] });
    expect(d.rows).toBe(6);
    expect(d.contract).toBe('Π levels = 2×3×1');
    expect(matrixToRows(d.X)).toEqual([
      [1, 10, -1],
      [1, 20, -1],
      [1, 30, -1],
      [2, 10, -1],
      [2, 20, -1],
      [2, 30, -1],
    ]);
    const res = grid.analyze(problem, d, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(res.Y)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res.X).toBe(d.X);
  });

  it('counts rows for a larger grid', () => {
    const d = grid.sample(
      { names: ['p', 'q', 'r', 's'] },
      {
        levels: [
          [0, 1, 2],
          [0, 1],
          [0, 1, 2, 3, 4],
          [7, 8, 9, 10],
        ],
      },
    );
    expect(d.rows).toBe(3 * 2 * 5 * 4);
    expect(d.X.rows).toBe(120);
    // Every combination exactly once.
    expect(new Set(matrixToRows(d.X).map((r) => r.join(','))).size).toBe(120);
  });

  it('shapes two-factor results as a table: rows = factor 0 levels, columns = factor 1 levels', () => {
    const problem = { names: ['rate', 'years'] };
    const d = grid.sample(problem, {
      levels: [
        [0.1, 0.2],
        [1, 2, 3],
      ],
    });
    const t = grid.table(
      problem,
      d,
      evaluate(d.X, (x) => x[0]! * 100 + x[1]!),
    );
    expect(t.rowFactor).toBe('rate');
    expect(t.colFactor).toBe('years');
    expect(t.rowLevels).toEqual([0.1, 0.2]);
    expect(t.colLevels).toEqual([1, 2, 3]);
    expect(matrixToRows(t.values)).toEqual([
      [11, 12, 13],
      [21, 22, 23],
    ]);
    const three = grid.sample({ names: ['a', 'b', 'c'] }, { levels: [[1], [2], [3]] });
    expect(() => grid.table({ names: ['a', 'b', 'c'] }, three, [0])).toThrow(
      'levels: a table needs exactly 2 factors, the grid has 3',
    );
  });
});

describe('lhs (Latin hypercube)', () => {
  const problem = { names: ['a', 'b', 'c', 'd'], toValue: (i: number, u: number): number => 10 * i + u };

  it('puts exactly one point in each of the n strata of every column', () => {
    for (const n of [1, 2, 37, 500]) {
      const d = lhs.sample(problem, { samples: n, seed: 9 });
      expect(d.rows).toBe(n);
      expect(d.unit.rows).toBe(n);
      expect(d.contract).toBe(`n with n=${n}`);
      for (let c = 0; c < 4; c++) {
        const strata = new Set<number>();
        for (let r = 0; r < n; r++) {
          const u = d.unit.data[r * 4 + c]!;
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThan(1);
          strata.add(Math.floor(u * n));
        }
        expect(strata.size).toBe(n);
      }
    }
  });

  it('applies toValue, and is deterministic for a seed', () => {
    const a = lhs.sample(problem, { samples: 50, seed: 1 });
    const b = lhs.sample(problem, { samples: 50, seed: 1 });
    const c = lhs.sample(problem, { samples: 50, seed: 2 });
    expect(b.unit.data).toEqual(a.unit.data);
    expect(b.X.data).toEqual(a.X.data);
    expect(c.unit.data).not.toEqual(a.unit.data);
    for (let r = 0; r < 50; r++)
      for (let col = 0; col < 4; col++) expect(a.X.data[r * 4 + col]).toBe(10 * col + a.unit.data[r * 4 + col]!);
  });

  it('permutes strata independently across factors (columns are not aligned)', () => {
    const d = lhs.sample(problem, { samples: 200, seed: 4 });
    const stratum = (r: number, c: number): number => Math.floor(d.unit.data[r * 4 + c]! * 200);
    let same = 0;
    for (let r = 0; r < 200; r++) if (stratum(r, 0) === stratum(r, 1)) same++;
    expect(same).toBeLessThan(10);
  });

  it('analyze: Pearson correlations of a linear function match c_i/√Σc² and rank the factors', () => {
    // y = 3·a + 1·b + 0·c + 0·d with independent U(0,1) factors: corr(x_i, y) = c_i / √(Σ c_j²).
    const unitProblem = { names: ['a', 'b', 'c', 'd'] };
    const d = lhs.sample(unitProblem, { samples: 2000, seed: 12 });
    const res = lhs.analyze(
      unitProblem,
      d,
      evaluate(d.X, (x) => 3 * x[0]! + x[1]!),
    );
    const norm = Math.sqrt(10);
    expect(Math.abs(res.pearson[0]! - 3 / norm)).toBeLessThan(0.01);
    expect(Math.abs(res.pearson[1]! - 1 / norm)).toBeLessThan(0.03);
    expect(Math.abs(res.pearson[2]!)).toBeLessThan(0.1);
    expect(Math.abs(res.pearson[3]!)).toBeLessThan(0.1);
    expect(res.ranking.slice(0, 2)).toEqual([0, 1]);
    expect(res.mean).toBeCloseTo(2, 3); // LHS integrates an additive function almost exactly
    expect(res.spearman[0]!).toBeGreaterThan(res.spearman[1]!);
  });
});
