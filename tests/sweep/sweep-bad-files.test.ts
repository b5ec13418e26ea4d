/**
 * Bad sweep files (tests/fixtures/sweep/bad/): `policysim sweep` and `policysim validate` exit 2 with
 * exactly one line, file:line:column, the field path, the message and a suggestion where one fits;
 * `validate` passes the good sweep files. The CLI runs in-process; tests/cli/spawned.test.ts checks
 * that the real process exits with the code main() returns.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';
import { FIX } from '../fixtures/sweep/helpers.js';

const BAD = `${FIX}/bad`;

/** [fixture, the one diagnostic line] — columns point at the offending value (or key). */
const CASES: readonly (readonly [string, string])[] = [
  [
    'unknown-factor.yaml',
    "7:3: factors.opennes: unknown factor 'opennes': not a lever or parameter of the model (did you mean 'openness'?)",
  ],
  ['empty-range.yaml', ' 8:22: factors.openness.range: empty range: high (0.2) must be above low (0.8)'],
  ['empty-range-equal.yaml', '9:22: factors.td_trend.range: empty range: high (-0.02) must be above low (-0.02)'],
  ['sobol-zero-samples.yaml', '6:10: samples: must be a positive whole number (got 0)'],
  ['morris-one-trajectory.yaml', '6:15: trajectories: must be a whole number >= 2 (got 1)'],
  ['morris-odd-levels.yaml', '7:9: levels: must be an even whole number >= 2 (got 5)'],
  [
    'unknown-indicator.yaml',
    "9:18: outputs[0].indicator: unknown output: indicator 'trade_dependance' (did you mean 'trade_dependence'?)",
  ],
  ['unknown-target.yaml', '10:15: outputs[1].target: unknown output: the scenario has no target 4 (it has 3)'],
  [
    'unknown-target-name.yaml',
    `9:15: outputs[0].target: unknown output: the scenario has no target "Trade dependence reaches the national average by 2052" (it has 3) (did you mean 'Trade dependence reaches the national average by 2020'?)`,
  ],
  ['probability-without-mc.yaml', '9:26: outputs[0].metric: a probability output needs monte_carlo: { runs: N }'],
  ['policy-grid-without-mc.yaml', "5:9: design: design 'policy-grid' needs monte_carlo: { runs: N }"],
  [
    'unknown-key.yaml',
    "6:1: sample: unknown key 'sample'; expected one of: name, description, scenario, design, samples, trajectories, levels, second_order, seed, bootstrap, factors, outputs, monte_carlo (did you mean 'samples'?)",
  ],
].map(([f, msg]) => [f!, `${BAD}/${f}:${msg!.trim()}`] as const);

describe('policysim sweep on a bad file: exit 2, one exact line', () => {
  it.each(CASES)('%s', async (f, line) => {
    const r = await cli('sweep', `${BAD}/${f}`, '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`policysim: error: ${line}\n`);
  });

  it('with --workers 2: the same line, found before any worker starts', async () => {
    const [f, line] = CASES[0]!;
    const r = await cli('sweep', `${BAD}/${f}`, '--workers', '2');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`policysim: error: ${line}\n`);
  });
});

describe('policysim validate', () => {
  it.each(CASES)('%s: exit 2, the same line', async (f, line) => {
    const r = await cli('validate', `${BAD}/${f}`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n1 of 1 file had problems\n`);
  });

  it('the good sweep files in scenarios/sweeps/ and the fixtures pass: exit 0', async () => {
    const files = [
      ...readdirSync('scenarios/sweeps')
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `scenarios/sweeps/${f}`),
      ...readdirSync(FIX)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `${FIX}/${f}`),
    ];
    const r = await cli('validate', ...files);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(files.length);
    for (const f of files) {
      const kind = /\/(trade-question|trade-thresholds|ishigami|g-function)\.yaml$/.test(f) ? 'scenario' : 'sweep';
      expect(lines).toContain(`${f}: ok (${kind})`);
    }
    expect(lines.filter((l) => l.endsWith('ok (sweep)')).length).toBeGreaterThanOrEqual(4 + 7);
  });

  it('every bad file at once: one line each, a count, exit 2', async () => {
    const r = await cli('validate', ...CASES.map(([f]) => `${BAD}/${f}`));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${CASES.map(([, l]) => l).join('\n')}\n${CASES.length} of ${CASES.length} files had problems\n`,
    );
  });
});

/**
 * Design problems the loader does not check: they surface only when the sweep runs (makeDesign in
 * src/sweep/run-sweep.ts), as an error without line:column, and `validate` passes the file.
 */
describe('design problems found only at run time (bug: validate passes, sweep reports no line:column)', () => {
  const located = (f: string, line: number, path: RegExp): RegExp =>
    new RegExp(`^${BAD}/${f}:${line}:\\d+: ${path.source}: .+\\n$`);
  const cases = [
    // Saltelli skips max(2^⌈log2 N⌉, 16) points: N = 2^20 needs 2^21 points of a 2^20 sequence.
    ['sobol-too-many-samples.yaml', 6, /samples/],
    // Morris uses u = 0 and 1; the normal quantile is infinite there.
    ['morris-unbounded-dist.yaml', 10, /factors\.td_trend(\.dist)?/],
  ] as const;

  it.each(cases)('%s: sweep exits 2 with a located line', async (f, line, path) => {
    const r = await cli('sweep', `${BAD}/${f}`, '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/^policysim: error: /, '')).toMatch(located(f, line, path));
  });

  it.each(cases)('%s: validate exits 2 with the same located line', async (f, line, path) => {
    const r = await cli('validate', `${BAD}/${f}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(located(f, line, path).source.replace(/\\n\$$/, '\\n1 of 1 file had problems\\n$')),
    );
  });
});
