/** Each design's exported row-count rule is what its sampler makes (and what the loader's size check uses). */
import { describe, expect, it } from 'vitest';
import { grid, lhs, morris, oat, sobol } from '../../src/sweep/design/index.js';

const problem = (D: number) => ({ names: Array.from({ length: D }, (_, i) => `f${i}`) });

describe('rowCount agrees with the sampler', () => {
  it('grid: Π levels', () => {
    expect(grid.rowCount([2, 3])).toEqual({ rows: 6, contract: 'Π levels = 2×3' });
    expect(
      grid.sample(problem(2), {
        levels: [
          [0, 1],
          [0, 1, 2],
        ],
      }).X.rows,
    ).toBe(6);
  });
  it('oat: 1 + 2D', () => {
    expect(oat.rowCount(3)).toEqual({ rows: 7, contract: '1+2D with D=3' });
    expect(oat.sample(problem(3), { base: [0, 0, 0], low: [-1, -1, -1], high: [1, 1, 1] }).X.rows).toBe(7);
  });
  it('lhs: n', () => {
    expect(lhs.rowCount(9)).toEqual({ rows: 9, contract: 'n with n=9' });
    expect(lhs.sample(problem(2), { samples: 9, seed: 1 }).X.rows).toBe(9);
  });
  it('morris: r·(D+1)', () => {
    expect(morris.rowCount(4, 3)).toEqual({ rows: 16, contract: 'r·(D+1) with r=4, D=3' });
    expect(morris.sample(problem(3), { trajectories: 4, levels: 4, seed: 1 }).X.rows).toBe(16);
  });
  it('sobol: N·(2D+2) or N·(D+2)', () => {
    expect(sobol.rowCount(8, 3, true)).toEqual({ rows: 64, contract: 'N·(2D+2) with N=8, D=3' });
    expect(sobol.rowCount(8, 3, false)).toEqual({ rows: 40, contract: 'N·(D+2) with N=8, D=3' });
    expect(sobol.sample(problem(3), { samples: 8, secondOrder: true }).X.rows).toBe(64);
    expect(sobol.sample(problem(3), { samples: 8, secondOrder: false }).X.rows).toBe(40);
  });
});
