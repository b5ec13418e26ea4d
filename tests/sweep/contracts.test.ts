import { describe, expect, it } from 'vitest';
import { DesignError, grid, lhs, morris, oat, sobol } from '../../src/sweep/design/index.js';

const five = { names: ['a', 'b', 'c', 'd', 'e'] };

/** Runs fn, expects a DesignError, returns it. */
function designError(fn: () => unknown): DesignError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DesignError);
    expect(e).toBeInstanceOf(Error);
    return e as DesignError;
  }
  throw new Error('expected a DesignError');
}

describe('row-count contracts: analyses check Y against the design', () => {
  it('sobol, second order: N·(2D+2)', () => {
    const d = sobol.sample(five, { samples: 100 });
    expect(d.rows).toBe(1200);
    const e = designError(() => sobol.analyze(five, d, new Float64Array(1100)));
    expect(e.message).toBe('outputs: expected 1200 values (N·(2D+2) with N=100, D=5), got 1100');
    expect(e.param).toBe('outputs');
    expect(e.name).toBe('DesignError');
  });

  it('sobol, first order only: N·(D+2)', () => {
    const d = sobol.sample(five, { samples: 100, secondOrder: false });
    expect(d.rows).toBe(700);
    expect(() => sobol.analyze(five, d, new Float64Array(1200))).toThrow(
      'outputs: expected 700 values (N·(D+2) with N=100, D=5), got 1200',
    );
  });

  it('morris: r·(D+1)', () => {
    const d = morris.sample(five, { trajectories: 10, seed: 1 });
    expect(d.rows).toBe(60);
    expect(() => morris.analyze(five, d, new Float64Array(59))).toThrow(
      'outputs: expected 60 values (r·(D+1) with r=10, D=5), got 59',
    );
  });

  it('oat: 1+2D; grid: Π levels; lhs: n', () => {
    const o = oat.sample(five, { base: [0, 0, 0, 0, 0], low: [-1, -1, -1, -1, -1], high: [1, 1, 1, 1, 1] });
    expect(() => oat.analyze(five, o, [1, 2, 3])).toThrow('outputs: expected 11 values (1+2D with D=5), got 3');
    const g = grid.sample(
      { names: ['x', 'y'] },
      {
        levels: [
          [1, 2, 3],
          [4, 5],
        ],
      },
    );
    expect(() => grid.analyze({ names: ['x', 'y'] }, g, [1])).toThrow(
      'outputs: expected 6 values (Π levels = 3×2), got 1',
    );
    const l = lhs.sample(five, { samples: 20, seed: 3 });
    expect(() => lhs.analyze(five, l, new Float64Array(21))).toThrow(
      'outputs: expected 20 values (n with n=20), got 21',
    );
  });

  it('non-finite outputs are named by row', () => {
    const d = morris.sample(five, { trajectories: 2, seed: 1 });
    const Y = new Float64Array(12);
    Y[3] = NaN;
    expect(() => morris.analyze(five, d, Y)).toThrow(
      'outputs: value for row 3 is NaN; every output must be a finite number',
    );
  });
});

describe('design parameter validation', () => {
  it('samples must be a positive integer', () => {
    expect(() => sobol.sample(five, { samples: 0 })).toThrow('samples: must be a positive integer (got 0)');
    expect(() => sobol.sample(five, { samples: 2.5 })).toThrow('samples: must be a positive integer (got 2.5)');
    expect(() => lhs.sample(five, { samples: -3, seed: 1 })).toThrow('samples: must be a positive integer (got -3)');
    expect(designError(() => sobol.sample(five, { samples: 0 })).param).toBe('samples');
  });

  it('morris: r >= 2, p even and >= 2', () => {
    expect(() => morris.sample(five, { trajectories: 1, seed: 1 })).toThrow(
      'trajectories: must be an integer >= 2 (got 1); σ divides by r − 1',
    );
    expect(() => morris.sample(five, { trajectories: 10, levels: 1, seed: 1 })).toThrow(
      'levels: must be an even integer >= 2 (got 1)',
    );
    expect(() => morris.sample(five, { trajectories: 10, levels: 5, seed: 1 })).toThrow(
      'levels: must be an even integer >= 2 (got 5); with odd p the jump Δ = p/(2(p−1)) does not land on the p-level grid',
    );
  });

  it('grid: levels for every factor, none empty', () => {
    expect(() => grid.sample({ names: ['x', 'y'] }, { levels: [] })).toThrow(
      'levels: must give a list of levels for each of the 2 factors (got none)',
    );
    expect(() => grid.sample({ names: ['x', 'y'] }, { levels: [[1]] })).toThrow(
      'levels: expected one list of levels per factor (2), got 1',
    );
    expect(() => grid.sample({ names: ['x', 'y'] }, { levels: [[1], []] })).toThrow('levels: factor "y" has no levels');
    expect(() => grid.sample({ names: ['x'] }, { levels: [[1, NaN]] })).toThrow(
      'levels: factor "x" has a level that is not a finite number (NaN)',
    );
  });

  it('oat: one value per factor', () => {
    expect(() => oat.sample({ names: ['x', 'y'] }, { base: [0], low: [0, 0], high: [1, 1] })).toThrow(
      'base: expected 2 values (one per factor), got 1',
    );
  });

  it('problem names: non-empty and unique', () => {
    expect(() => lhs.sample({ names: [] }, { samples: 4, seed: 1 })).toThrow(
      'names: must list at least one factor (got 0)',
    );
    expect(() => lhs.sample({ names: ['x', 'x'] }, { samples: 4, seed: 1 })).toThrow(
      'names: duplicate factor name "x"',
    );
  });

  it('seeds must be whole numbers; confidence levels inside (0,1); resamples >= 2', () => {
    expect(() => lhs.sample(five, { samples: 4, seed: 1.5 })).toThrow('seed: must be a whole number (got 1.5)');
    const d = morris.sample(five, { trajectories: 2, seed: 1 });
    const Y = new Float64Array(12);
    expect(() => morris.analyze(five, d, Y, { confLevel: 1 })).toThrow(
      'confLevel: must be a number strictly between 0 and 1 (got 1)',
    );
    expect(() => morris.analyze(five, d, Y, { resamples: 1 })).toThrow('resamples: must be an integer >= 2 (got 1)');
  });

  it('toValue must give finite numbers (unbounded inverse CDFs at u = 0 or 1)', () => {
    const bad = { names: ['x'], toValue: (_i: number, u: number): number => (u === 0 ? -Infinity : u) };
    expect(() => morris.sample(bad, { trajectories: 50, seed: 1 })).toThrow(
      /^toValue: factor "x" mapped u=0 to -Infinity \(row \d+\)/,
    );
  });

  it('a design made for other factors is refused', () => {
    const d = morris.sample(five, { trajectories: 2, seed: 1 });
    expect(() => morris.analyze({ names: ['a', 'b', 'c', 'd', 'z'] }, d, new Float64Array(12))).toThrow(
      'design: was made for factors [a, b, c, d, e] but the problem has [a, b, c, d, z]',
    );
  });
});
