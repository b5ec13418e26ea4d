/**
 * One rule per flag, shared by every command (src/cli/options.ts), and every problem at once:
 *  - a whole-number flag without a value is a usage error, never its default (`mc --runs` used to run
 *    10,000), in every command that takes one;
 *  - `run --mc-run K --seed S` accepts exactly the seeds `mc --seed S` does;
 *  - several bad flags, or several bad --set, are reported together;
 *  - --workers is capped at WORKERS_PER_CORE × the cores; the total model evaluations at
 *    MAX_EVALUATIONS unless --force (long work is announced before it starts: tests/cli/signals.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WORKERS } from '../../src/cli/options.js';
import { cli, cliRunning, ROOT } from './harness.js';

const SCENARIO = 'tests/fixtures/mc/closed-form.yaml';
const SWEEP = 'tests/fixtures/sweep/oat-levers.yaml';

const err = (...lines: string[]): string => lines.map((l) => `policysim: error: ${l}\n`).join('');

describe('a whole-number flag without a value is a usage error (exit 2), in every command', () => {
  const cases: [string[], string][] = [
    [['mc', SCENARIO, '--runs'], '--runs: needs a value: a whole number from 1 to 10000000000'],
    [['mc', SCENARIO, '--runs='], '--runs: needs a value: a whole number from 1 to 10000000000'],
    [['mc', SCENARIO, '--seed'], '--seed: needs a value: a whole number from 0 to 4294967295'],
    [['mc', SCENARIO, '--chunk'], '--chunk: needs a value: a whole number from 1 to 10000000'],
    [['mc', SCENARIO, '--workers'], `--workers: needs a value: a whole number from 0 to ${MAX_WORKERS}, or auto`],
    [['mc', SCENARIO, '--step'], '--step: needs a value: a whole number from 1 to 1000'],
    [['run', '--step'], '--step: needs a value: a whole number from 1 to 1000'],
    [['run', '--mc-run'], '--mc-run: needs a value: a whole number from 0 to 9999999999'],
    [['run', '--mc-run', '1', '--seed'], '--seed: needs a value: a whole number from 0 to 4294967295'],
    [['sweep', SWEEP, '--workers'], `--workers: needs a value: a whole number from 0 to ${MAX_WORKERS}, or auto`],
    [
      ['compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--years'],
      '--years: needs a value: a whole number from 1 to 9999',
    ],
    [
      ['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--probability'],
      '--probability: needs a value: a number',
    ],
    [
      ['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--from'],
      '--from: needs a value: a whole number from 1 to 9999',
    ],
    [
      ['seek', 'scenarios/ftz-openness-2025.yaml', '--package', '--runs'],
      '--runs: needs a value: a whole number from 1 to 10000000',
    ],
    [['discover', 'scenarios/ftz-openness-2025.yaml', '--alpha'], '--alpha: needs a value: a number'],
    [['discover', 'scenarios/ftz-openness-2025.yaml', '--box'], '--box: needs a value: a whole number from 0 to 10000'],
    [['mc', SCENARIO, 'scenarios/ftz.yaml', '--years'], '--years: needs a value: a whole number from 1 to 9999'],
    // A flag right after it is not its value.
    [['mc', SCENARIO, '--runs', '--seed', '3'], '--runs: needs a value: a whole number from 1 to 10000000000'],
  ];
  it.each(cases)('%j', async (argv, line) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(err(line));
  });
});

describe("a command's own bound on --runs is the range its messages state", () => {
  it.each([
    [['backtest', 'scenarios/observed/hindcast.yaml', '--runs', '0'], '1 to 1000000 (got 0)'],
    [['calibrate', 'scenarios/observed/hindcast.yaml', '--fit', 'td_trend', '--runs', '0'], '1 to 1000000 (got 0)'],
    [['discover', 'scenarios/ftz-openness-2025.yaml', '--target', '1', '--runs', '0'], '1 to 200000 (got 0)'],
    [['discover', 'scenarios/ftz-openness-2025.yaml', '--target', '1', '--runs', '200001'], '1 to 200000 (got 200001)'],
    [
      ['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--probability', '0.8', '--runs', '0'],
      '1 to 10000000 (got 0)',
    ],
    [['backtest', 'scenarios/observed/hindcast.yaml', '--runs', '1000001'], '1 to 1000000 (got 1000001)'],
  ])('%j', async (argv, range) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(err(`--runs: must be a whole number from ${range}`));
  });
});

describe('a flag of any other kind without a value is a usage error too, never "not given"', () => {
  // Each of these used to be taken as not given: `mc --out` printed the table, `calibrate
  // --posterior-out` wrote nothing, `seek --target` sought target 1, `calibrate --fit` failed inside
  // the fitter, `mc --precision` ran without the stopping rule.
  const OBS = 'scenarios/observed/hindcast.yaml';
  const cases: [string[], string[]][] = [
    [['run', '--out'], ['--out: needs a value']],
    [['run', '--out='], ['--out: needs a value']],
    [['run', '--set'], ['--set: needs a value']],
    [['run', '--set', 'ftz=1', '--set'], ['--set: needs a value']],
    [['run', '--indicators', '--step', '5'], ['--indicators: needs a value']],
    [
      ['mc', SCENARIO, '--save-runs', '--checkpoint'],
      ['--save-runs: needs a value', '--checkpoint: needs a value'],
    ],
    [['mc', SCENARIO, '--resume'], ['--resume: needs a value']],
    [
      ['mc', SCENARIO, '--precision', '--max-runs'],
      // Both are whole-number/number flags: their validators report the whole-number flags first.
      ['--max-runs: needs a value: a whole number from 1 to 10000000000', '--precision: needs a value: a number'],
    ],
    [['mc', SCENARIO, '--observed'], ['--observed: needs a value']],
    [['sweep', SWEEP, '--design-out'], ['--design-out: needs a value']],
    [['backtest', OBS, '--observed'], ['--observed: needs a value']],
    [['calibrate', OBS, '--fit'], ['--fit: needs a value']],
    [['calibrate', OBS, '--fit', 'td_trend', '--posterior-out'], ['--posterior-out: needs a value']],
    [['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--target'], ['--target: needs a value']],
    [['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--regions'], ['--regions: needs a value']],
    [['seek', 'scenarios/ftz-openness-2025.yaml', '--lever'], ['--lever: needs a value']],
    [['discover', '--runs-file'], ['--runs-file: needs a value']],
    [['merge', 'part.json', '--out'], ['--out: needs a value']],
    [['validate', 'scenarios/baseline.yaml', '--model'], ['--model: needs a value']],
    [['describe', '--model'], ['--model: needs a value']],
    [['report', 'r.json', '--out'], ['--out: needs a value']],
    // Given twice, a single-valued flag is refused as a whole-number flag is.
    [['run', '--out', 'a.json', '--out', 'b.json'], ['--out: given 2 times; give it once']],
    [['mc', SCENARIO, '--format', 'json', '--format=json'], ['--format: given 2 times; give it once']],
    // With the whole-number flags, every bad flag at once, in the order typed.
    [
      ['mc', SCENARIO, '--runs', 'abc', '--out', '--seed', '-1', '--save-runs'],
      [
        "--runs: must be a whole number from 1 to 10000000000 (got 'abc')",
        '--out: needs a value',
        '--seed: must be a whole number from 0 to 4294967295 (got -1)',
        '--save-runs: needs a value',
      ],
    ],
  ];
  it.each(cases)('%j', async (argv, lines) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(err(...lines));
  });
});

describe('--workers auto spells out the default', () => {
  it('mc, sweep, seek and discover accept it, with the result of leaving the flag out', async () => {
    const same = async (argv: string[]): Promise<void> => {
      const auto = await cli(...argv, '--workers', 'auto');
      const none = await cli(...argv);
      expect(auto.stderr).toBe('');
      expect(auto.code).toBe(0);
      expect(auto.stdout).toBe(none.stdout);
    };
    await same(['mc', SCENARIO, '--runs', '50', '--format', 'json']);
    await same(['sweep', SWEEP, '--format', 'csv']);
    await same(['seek', 'scenarios/ftz-openness-2025.yaml', '--lever', 'ftz', '--probability', '0.5', '--runs', '20']);
    await same(['discover', 'scenarios/ftz-openness-2025.yaml', '--runs', '200', '--target', '2']);
  });

  it('--help says so', async () => {
    const r = await cli('mc', '--help');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      '[default: auto: the main thread under 200,000 model evaluations, else all cores]',
    );
  });
});

describe('an unknown flag: the closest of the command', () => {
  it.each([
    [['backtest', 'scenarios/observed/hindcast.yaml', '--observd', 'x.csv'], "observd (did you mean '--observed'?)"],
    [['seek', 'scenarios/ftz-openness-2025.yaml', '--levr', 'ftz'], "levr (did you mean '--lever'?)"],
    [['mc', SCENARIO, '--rusn', '10'], "rusn (did you mean '--runs'?)"],
    [
      ['calibrate', 'scenarios/observed/hindcast.yaml', '--fit', 'td_trend', '--posterior-rwos', '5'],
      "posterior-rwos (did you mean '--posterior-rows'?)",
    ],
    [['run', '--zzzzzz'], 'zzzzzz'],
  ])('%j', async (argv, rest) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`policysim: usage error: Unknown argument: ${rest}\nRun 'policysim --help' for usage.\n`);
  });
});

describe('one validator per flag', () => {
  it('run --mc-run 0 --seed 1099511627776 is refused as mc refuses it', async () => {
    const line = '--seed: must be a whole number from 0 to 4294967295 (got 1099511627776)';
    const run = await cli('run', SCENARIO, '--mc-run', '0', '--seed', '1099511627776');
    const mc = await cli('mc', SCENARIO, '--runs', '10', '--seed', '1099511627776');
    expect([run.code, mc.code]).toEqual([2, 2]);
    expect(run.stderr).toBe(err(line));
    expect(mc.stderr).toBe(err(line));
  });

  it.each([
    [['--runs', '0x10'], "--runs: must be a whole number from 1 to 10000000000 (got '0x10')"],
    [['--runs', 'ten'], "--runs: must be a whole number from 1 to 10000000000 (got 'ten')"],
    [['--runs', '1e999'], '--runs: must be a whole number from 1 to 10000000000 (got 1e999)'],
    [['--runs', '5', '--runs', '6'], '--runs: given 2 times; give it once'],
    [
      ['--workers', String(MAX_WORKERS + 1)],
      `--workers: must be a whole number from 0 to ${MAX_WORKERS}, or auto (got ${MAX_WORKERS + 1})`,
    ],
  ])('mc %j', async (argv, line) => {
    const r = await cli('mc', SCENARIO, ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(err(line));
  });

  it('seek and discover: --seed beyond 2^32 - 1, as mc', async () => {
    const line = '--seed: must be a whole number from 0 to 4294967295 (got 1099511627776)';
    const seek = await cli('seek', 'scenarios/ftz-openness-2025.yaml', '--package', '--seed', '1099511627776');
    const discover = await cli('discover', 'scenarios/ftz-openness-2025.yaml', '--seed', '1099511627776');
    expect([seek.code, discover.code]).toEqual([2, 2]);
    expect(seek.stderr).toBe(err(line));
    expect(discover.stderr).toBe(err(line));
  });

  it('sweep --workers beyond the cap', async () => {
    const r = await cli('sweep', SWEEP, '--workers', '256');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(err(`--workers: must be a whole number from 0 to ${MAX_WORKERS}, or auto (got 256)`));
  });
});

describe('every problem at once', () => {
  it('several bad flags: one line each', async () => {
    const r = await cli('mc', SCENARIO, '--runs', 'abc', '--seed', '-1', '--chunk', '0', '--workers');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      err(
        "--runs: must be a whole number from 1 to 10000000000 (got 'abc')",
        '--seed: must be a whole number from 0 to 4294967295 (got -1)',
        `--workers: needs a value: a whole number from 0 to ${MAX_WORKERS}, or auto`,
        '--chunk: must be a whole number from 1 to 10000000 (got 0)',
      ),
    );
  });

  it('seek, discover and calibrate: the parse and the range of every flag together', async () => {
    const seek = await cli(
      'seek',
      'scenarios/ftz-openness-2025.yaml',
      '--lever',
      'ftz',
      '--probability',
      '2',
      '--runs',
      '0',
    );
    expect(seek.stderr).toBe(
      err(
        '--runs: must be a whole number from 1 to 10000000 (got 0)',
        '--probability: must be between 0 and 1, exclusive (got 2) (for 80% write 0.8)',
      ),
    );
    const discover = await cli(
      'discover',
      'scenarios/ftz-openness-2025.yaml',
      '--alpha',
      '2',
      '--min-mass',
      '-1',
      '--max-p',
      '0',
      '--seed',
      'x',
    );
    expect(discover.stderr).toBe(
      err(
        "--seed: must be a whole number from 0 to 4294967295 (got 'x')",
        '--alpha: must be between 0 and 0.5, exclusive (got 2)',
        '--min-mass: must be between 0 and 1, exclusive (got -1)',
        '--max-p: must be above 0 and at most 1 (got 0)',
      ),
    );
    const calibrate = await cli(
      'calibrate',
      'scenarios/observed/hindcast.yaml',
      '--fit',
      'td_trend',
      '--runs',
      '2000000',
      '--rel-error',
      '5',
      '--posterior-rows',
      '0',
    );
    expect(calibrate.stderr).toBe(
      err(
        '--runs: must be a whole number from 1 to 1000000 (got 2000000)',
        '--posterior-rows: must be a whole number from 1 to 100000 (got 0)',
        '--rel-error: must be a fraction in (0, 1] (got 5)',
      ),
    );
    expect([seek.code, discover.code, calibrate.code]).toEqual([2, 2, 2]);
  });

  it('--set a=abc --set b=1e999: both reported, in the order given', async () => {
    const r = await cli('run', '--set', 'ftz=abc', '--set', 'openness=1e999', '--set', 'ftzz=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      err(
        "--set ftz=abc: value must be a number (got 'abc')",
        "--set openness=1e999: value must be a number (got '1e999')",
        "--set ftzz=1: unknown lever or parameter 'ftzz' (did you mean 'ftz'?)",
      ),
    );
  });
});

describe('total work: at most 2,000,000,000 model evaluations unless --force', () => {
  let dir: string;
  let bigSweep: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policysim-limits-'));
    // 100 × 100 × 10 = 100,000 rows (within the 10 million row limit) × (1 + 100,000 futures).
    const levels = (n: number) => `[${Array.from({ length: n }, (_, k) => k / (n - 1)).join(', ')}]`;
    bigSweep = join(dir, 'big.yaml');
    writeFileSync(
      bigSweep,
      [
        'name: big',
        'description: Too big to run without --force.',
        `scenario: ${resolve(ROOT, 'scenarios/sweeps/trade-question.yaml')}`,
        'design: policy-grid',
        'factors:',
        `  ftz: { levels: ${levels(100)}, from: 2017 }`,
        `  openness: { levels: ${levels(100)}, from: 2017 }`,
        `  parks: { levels: ${levels(10)}, from: 2017 }`,
        'monte_carlo: { runs: 100000 }',
        'outputs:',
        '  - { target: 1, metric: probability }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('mc --runs 3000000000: refused before any work, naming --force', async () => {
    const r = await cli('mc', SCENARIO, '--runs', '3000000000');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      err(
        '--runs: 3,000,000,000 model evaluations (one per run) exceed the limit of 2,000,000,000 (make the work smaller, or pass --force to start it anyway)',
      ),
    );
  });

  it('a policy grid of 100,000 rows × 100,000 futures: refused at monte_carlo.runs', async () => {
    const r = await cli('sweep', bigSweep);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      err(
        `${bigSweep}:9:22: monte_carlo.runs: 10,000,100,000 model evaluations (100,000 rows × (1 + 100,000 futures)) exceed the limit of 2,000,000,000 (make the work smaller, or pass --force to start it anyway)`,
      ),
    );
  });

  it('with --force both start, announcing the total on stderr first (then interrupted)', async () => {
    const mc = cliRunning(['mc', SCENARIO, '--runs', '3000000000', '--force', '--workers', '1', '--chunk', '10000000']);
    await mc.waitFor(() => /^mc: 3,000,000,000 runs of /m.test(mc.stderr()), 'the announcement');
    mc.kill('SIGINT');
    const sweep = cliRunning(['sweep', bigSweep, '--force', '--workers', '1']);
    await sweep.waitFor(
      () =>
        /^sweep: 100,000 rows × \(1 \+ 100,000 futures\) = 10,000,100,000 model evaluations on 1 workers$/m.test(
          sweep.stderr(),
        ),
      'the announcement',
    );
    sweep.kill('SIGINT');
    const [m, s] = await Promise.all([mc.done, sweep.done]);
    expect(m.code, m.stderr).toBe(130);
    expect(s.code, s.stderr).toBe(130);
  });
});
