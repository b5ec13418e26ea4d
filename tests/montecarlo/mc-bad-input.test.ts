/**
 * Bad uncertainties and bad `mc` options: exit 2 and exactly one line on stderr, naming the file, line
 * and column of the offending value and its field path. Fixtures in tests/fixtures/mc/bad/ (each file
 * has exactly one mistake, on the closed-form fixture model). The CLI runs in-process; the exit status
 * of the real process is checked in tests/cli/spawned.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_WORKERS } from '../../src/cli/options.js';
import { cli } from '../cli/harness.js';
import { FIX } from '../fixtures/mc/helpers.js';

const BAD = `${FIX}/bad`;

const CASES: readonly { name: string; file: string; message: string }[] = [
  {
    name: 'negative sd',
    file: 'negative-sd.yaml',
    message: `${BAD}/negative-sd.yaml:7:40: uncertainties.parameters.g.sd: standard deviation must be > 0 (got -0.05)`,
  },
  {
    name: 'min above max',
    file: 'min-above-max.yaml',
    message: `${BAD}/min-above-max.yaml:7:32: uncertainties.parameters.phi.min: min (0.9) must be below max (0.1)`,
  },
  {
    name: 'weights not summing to a positive number',
    file: 'zero-weights.yaml',
    message: `${BAD}/zero-weights.yaml:7:55: uncertainties.parameters.g.weights: weights must sum to a positive number (got 0)`,
  },
  {
    // Inside a list: located at the weight itself (10:20, the `-1`), not at the parameter (the path was
    // once re-split on dots, so `weights[1]` was looked up as one key and fell back to `g:`).
    name: 'a negative weight, at weights[1] itself',
    file: 'negative-weight.yaml',
    message: `${BAD}/negative-weight.yaml:10:20: uncertainties.parameters.g.weights[1]: weight must be >= 0 (got -1)`,
  },
  {
    // In an included file, with the one path format (`values[1]`, once `values.1`), at the row (7:9).
    name: 'an empirical row in an included file, at values[1] itself',
    file: 'included-row.yaml',
    message: `${BAD}/included-row-uncertainties.yaml:7:9: parameters.g.values[1]: each row must be one number (a list per row needs per_region: true)`,
  },
  {
    name: 'unknown parameter name, with a suggestion',
    file: 'unknown-parameter.yaml',
    message: `${BAD}/unknown-parameter.yaml:7:5: uncertainties.parameters.phii: unknown parameter 'phii' (did you mean 'phi'?)`,
  },
  {
    name: 'correlation matrix not positive semi-definite',
    file: 'not-psd.yaml',
    message:
      `${BAD}/not-psd.yaml:14:7: uncertainties.correlation.matrix: correlation matrix is not positive semi-definite ` +
      '(smallest eigenvalue -0.8); some correlations contradict each other, weaken the strongest ones',
  },
  {
    name: 'shock on an unknown equation, with a suggestion',
    file: 'unknown-shock.yaml',
    message: `${BAD}/unknown-shock.yaml:7:5: uncertainties.shocks.vv: unknown equation 'vv'; a shock attaches to one of: e, x, w, v, m, ec (did you mean 'v'?)`,
  },
  {
    name: 'correlation on a parameter without a distribution',
    file: 'correlation-without-distribution.yaml',
    message: `${BAD}/correlation-without-distribution.yaml:9:20: uncertainties.correlation.variables[1]: 'phi' has no distribution under uncertainties.parameters`,
  },
];

describe('mc: bad uncertainties exit 2 with one exact message', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const r = await cli('mc', `${BAD}/${c.file}`, '--runs', '100', '--workers', '0');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`policysim: error: ${c.message}\n`);
    });
  }

  it('the same message from `run --mc-run` (replay checks the uncertainties too)', async () => {
    const c = CASES[0]!;
    const r = await cli('run', `${BAD}/${c.file}`, '--mc-run', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`policysim: error: ${c.message}\n`);
  });

  it('with --workers 2: the same single line, found before any worker starts', async () => {
    const c = CASES.find((x) => x.file === 'not-psd.yaml')!;
    const r = await cli('mc', `${BAD}/${c.file}`, '--runs', '100', '--workers', '2');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`policysim: error: ${c.message}\n`);
  });
});

describe('mc: bad options exit 2', () => {
  const scenario = `${FIX}/closed-form.yaml`;
  for (const [args, message] of [
    [['--runs', '0'], '--runs: must be a whole number from 1 to 10000000000 (got 0)'],
    [['--runs', '-3'], '--runs: must be a whole number from 1 to 10000000000 (got -3)'],
    [['--runs', '1.5'], '--runs: must be a whole number from 1 to 10000000000 (got 1.5)'],
    [
      ['--runs', '10', '--workers', '-1'],
      `--workers: must be a whole number from 0 to ${MAX_WORKERS}, or auto (got -1)`,
    ],
    [['--runs', '10', '--chunk', '0'], '--chunk: must be a whole number from 1 to 10000000 (got 0)'],
    [['--runs', '10', '--seed', '-1'], '--seed: must be a whole number from 0 to 4294967295 (got -1)'],
  ] as const) {
    it(args.join(' '), async () => {
      const r = await cli('mc', scenario, ...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`policysim: error: ${message}\n`);
    });
  }

  it('run --mc-run -1', async () => {
    const r = await cli('run', scenario, '--mc-run', '-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('policysim: error: --mc-run: must be a whole number from 0 to 9999999999 (got -1)\n');
  });
});
