/**
 * What the sweep loader checks and how factors reach the model (tests/fixtures/sweep/regional/: a
 * three-region model with the aggregate north = a + b, a lever set per region and one for all regions
 * alike, a horizon 2016-2020 after the base year 2015, and uncertainties on g (replace) and k (scale)).
 *
 *   - `regions:` of a lever or a parameter factor: an aggregate stands for its members, an unknown id
 *     is a located error with a suggestion; `regions:` on a lever with per_region: false and `apply:`
 *     other than replace on a lever are rejected.
 *   - Output years must lie in the scenario's horizon (start to end), not merely after the base year.
 *   - Every design is bounded at 10,000,000 rows, from its row-count contract, at the field that sets it;
 *     a problem the analysis finds (a DesignError) is a user error at the sweep file's field too.
 *   - A parameter factor that the Monte Carlo futures redraw with apply: replace is rejected; with
 *     apply: scale the draw multiplies the factor's value, so the factor keeps its effect.
 *   - `first_year` encodes "never within the horizon" as horizon end + 1.
 */
import { describe, expect, it } from 'vitest';
import { loadSweep } from '../../src/sweep/load-sweep.js';
import { runSweep } from '../../src/sweep/run-sweep.js';
import { UserError } from '../../src/util/diagnostics.js';
import { cli } from '../cli/harness.js';
import { FIX, sweepInProcess, xRow, yAt } from '../fixtures/sweep/helpers.js';

const DIR = `${FIX}/regional`;
const BAD = `${DIR}/bad`;

/** [fixture, the one diagnostic line after the file name] — columns point at the offending value (or key). */
const CASES: readonly (readonly [string, string])[] = [
  ['param-unknown-region.yaml', "6:36: factors.k.regions[1]: unknown region 'nort' (did you mean 'north'?)"],
  ['lever-unknown-region.yaml', "6:45: factors.push.regions[1]: unknown region 'cc' (did you mean 'c'?)"],
  [
    'lever-not-per-region.yaml',
    "6:35: factors.flat.regions: lever 'flat' applies to all regions alike and cannot be set per region",
  ],
  [
    'lever-apply.yaml',
    "6:35: factors.push.apply: 'push' is a lever: the factor's value is its setting, so apply: scale does not apply (it is for parameters)",
  ],
  ['output-before-horizon.yaml', '8:38: outputs[0].year: year 2015 is outside the horizon 2016-2020'],
  [
    'factor-drawn.yaml',
    "7:3: factors.g: 'g' is also drawn by the scenario's uncertainties (apply: replace), which would overwrite the factor's value in every future; remove one of them",
  ],
  [
    'lhs-huge.yaml',
    '5:10: samples: the lhs design would have 1000000000000 rows (n with n=1000000000000), more than the limit of 10000000 model evaluations',
  ],
  [
    'morris-huge.yaml',
    '5:15: trajectories: the morris design would have 15000000 rows (r·(D+1) with r=5000000, D=2), more than the limit of 10000000 model evaluations',
  ],
  [
    'sobol-huge.yaml',
    '5:10: samples: the sobol design would have 10485760 rows (N·(2D+2) with N=524288, D=9), more than the limit of 10000000 model evaluations',
  ],
  [
    'grid-huge.yaml',
    '5:1: factors: the grid design would have 11881376 rows (Π levels = 26×26×26×26×26), more than the limit of 10000000 model evaluations',
  ],
].map(([f, msg]) => [f!, `${BAD}/${f}:${msg!}`] as const);

describe('bad sweep files: exit 2 with one located line, from sweep and from validate', () => {
  it.each(CASES)('sweep %s', async (f, line) => {
    const r = await cli('sweep', `${BAD}/${f}`, '--workers', '0');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`policysim: error: ${line}\n`);
    expect(r.code).toBe(2);
  });

  it.each(CASES)('validate %s', async (f, line) => {
    const r = await cli('validate', `${BAD}/${f}`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n1 of 1 file had problems\n`);
    expect(r.code).toBe(2);
  });
});

/**
 * The fixture model: x(2015) = 0, x(y) = x(y−1) + k·g·(1 + push + flat) + 1/(d·(push − 0.5)), with
 * k = {a: 1, b: 2, c: 4} and g = d = 1; push and flat are 0 unless set. Returns x by region and year.
 */
function projectX(
  k: Record<'a' | 'b' | 'c', number>,
  push: (region: 'a' | 'b' | 'c', year: number) => number,
): Map<string, number> {
  const x = new Map<string, number>();
  for (const r of ['a', 'b', 'c'] as const) {
    let v = 0;
    for (let y = 2016; y <= 2020; y++) {
      const p = push(r, y);
      v = v + k[r] * 1 * (1 + p + 0) + 1 / (1 * (p - 0.5));
      x.set(`${r} ${y}`, v);
    }
  }
  return x;
}

describe('factors on an aggregate', () => {
  it('k and push on `north` set regions a and b, never c; first_year is horizon end + 1 when never met', async () => {
    // regions.yaml: k ∈ {0.5, 5} on north, push ∈ {0, 1} on north from 2017 (a grid, push fastest).
    const r = await sweepInProcess(`${DIR}/regions.yaml`);
    expect(r.X.rows).toBe(4);
    const got: number[][] = [];
    const want: number[][] = [];
    for (let i = 0; i < 4; i++) {
      const [k, push] = Array.from(xRow(r, i));
      const x = projectX({ a: k!, b: k!, c: 4 }, (region, year) => (region !== 'c' && year >= 2017 ? push! : 0));
      const north = (y: number): number => x.get(`a ${y}`)! + x.get(`b ${y}`)!;
      const first = (met: (y: number) => boolean): number => [2016, 2017, 2018, 2019, 2020].find(met) ?? 2021;
      want.push([
        x.get('a 2017')!,
        x.get('b 2017')!,
        x.get('c 2017')!,
        north(2017),
        first((y) => north(y) >= 100),
        first((y) => x.get(`c ${y}`)! >= 5),
      ]);
      got.push([0, 1, 2, 3, 4, 5].map((k) => yAt(r, i, k)));
    }
    expect(got).toEqual(want);
    // The numbers themselves: region c keeps k = 4 and push = 0 in every row (2 + 2 = 4 in 2017);
    // North reaches 100 only with k = 5 and push = 1 (in 2020); otherwise "never" is 2020 + 1.
    expect(got).toEqual([
      [-3, -3, 4, -6, 2021, 2018],
      [1.5, 1.5, 4, 3, 2021, 2018],
      [6, 6, 4, 12, 2021, 2018],
      [15, 15, 4, 30, 2020, 2018],
    ]);
  });
});

describe('a factor that the scenario also draws', () => {
  it('apply: scale — the draw multiplies the factor value: each row is `policysim mc --set k=...`', async () => {
    // mc-scale.yaml: k ∈ {1, 3} (all regions) × 200 futures; the scenario draws g (replace) and a
    // scale on k. Every row must give the probability of the scenario run with k set to the row's value.
    const r = await sweepInProcess(`${DIR}/mc-scale.yaml`);
    const probs = [yAt(r, 0, 0), yAt(r, 1, 0)];
    const mc = await Promise.all(
      ['1', '3'].map(async (k) => {
        const out = await cli(
          'mc',
          `${DIR}/scenario.yaml`,
          '--runs',
          '200',
          '--set',
          `k=${k}`,
          '--workers',
          '0',
          '--format',
          'json',
        );
        expect(out.code, out.stderr).toBe(0);
        return (JSON.parse(out.stdout) as { targets: { probability: number }[] }).targets[0]!.probability;
      }),
    );
    expect(probs).toEqual(mc);
    // Not vacuous: the factor moves the probability (0 at k = 1, 163 of 200 futures at k = 3).
    expect(probs).toEqual([0, 0.815]);
  });

  it('apply: replace, in a sweep without Monte Carlo outputs: allowed (nothing redraws it)', async () => {
    const r = await cli('validate', `${DIR}/oat-drawn.yaml`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${DIR}/oat-drawn.yaml: ok (sweep)\n`);
  });
});

describe('a problem found by the analysis', () => {
  it('is a UserError at the field of the sweep file, naming the output', async () => {
    // The schema keeps bootstrap >= 10; a sweep built in code can ask for 1 resample, which Sobol's
    // analysis refuses after every row has been evaluated.
    const file = `${DIR}/constant-sobol.yaml`;
    const sweep = loadSweep(file);
    const e = await runSweep({ ...sweep, raw: { ...sweep.raw, bootstrap: 1 } }, { workers: 0 }).then(
      () => 'completed',
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toBe(
      `${file}:8:12: bootstrap: output 'f (constant)': must be an integer >= 2 (got 1)`,
    );
  });
});
