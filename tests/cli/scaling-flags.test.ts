/**
 * The scale-out flags go through the shared validators (src/cli/options.ts), as --runs and --seed do:
 * `--max-runs` is a whole-number flag, `--precision` and `--checkpoint-every` number flags with their
 * ranges; a flag without a value, a non-decimal or repeated value is a usage error (exit 2) with the
 * same wording, every bad flag at once; a misspelt flag name gets the closest one of the command.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './harness.js';

const SCENARIO = 'tests/fixtures/mc/closed-form.yaml';
const SWEEP = 'tests/fixtures/sweep/oat-levers.yaml';
const err = (...lines: string[]): string => lines.map((l) => `policysim: error: ${l}\n`).join('');
const usage = (line: string): string => `policysim: usage error: ${line}\nRun 'policysim --help' for usage.\n`;

describe('mc --precision, --max-runs, --checkpoint-every: one rule per flag', () => {
  const RUNS = 'a whole number from 1 to 10000000000';
  const cases: [string[], string][] = [
    [['--precision'], '--precision: needs a value: a number'],
    [['--precision='], '--precision: needs a value: a number'],
    [['--precision', 'abc', '--max-runs', '5000'], "--precision: must be a number (got 'abc')"],
    [['--precision', '0x1', '--max-runs', '5000'], "--precision: must be a number (got '0x1')"],
    [['--precision', '1e999', '--max-runs', '5000'], "--precision: must be a number (got '1e999')"],
    [['--precision', '0.01', '--precision', '0.02', '--max-runs', '5000'], '--precision: given 2 times; give it once'],
    [['--precision', '0', '--max-runs', '5000'], '--precision: must be a number above 0 and at most 0.5 (got 0)'],
    [['--precision', '0.6', '--max-runs', '5000'], '--precision: must be a number above 0 and at most 0.5 (got 0.6)'],
    [['--precision', '0.01', '--max-runs'], `--max-runs: needs a value: ${RUNS}`],
    // A flag right after it is not its value.
    [['--max-runs', '--precision', '0.01'], `--max-runs: needs a value: ${RUNS}`],
    [['--precision', '0.01', '--max-runs', '1.5'], `--max-runs: must be ${RUNS} (got 1.5)`],
    [['--precision', '0.01', '--max-runs', '0'], `--max-runs: must be ${RUNS} (got 0)`],
    [['--precision', '0.01', '--max-runs', '1e11'], `--max-runs: must be ${RUNS} (got 1e11)`],
    [['--precision', '0.01', '--max-runs', 'many'], `--max-runs: must be ${RUNS} (got 'many')`],
    [['--precision', '0.01', '--max-runs', '5', '--max-runs', '6'], '--max-runs: given 2 times; give it once'],
    [['--checkpoint-every'], '--checkpoint-every: needs a value: a number'],
    [['--checkpoint-every', 'ten'], "--checkpoint-every: must be a number (got 'ten')"],
    [['--checkpoint-every', '-1'], '--checkpoint-every: must be from 0 to 86400 seconds (got -1)'],
    [['--checkpoint-every', '86401'], '--checkpoint-every: must be from 0 to 86400 seconds (got 86401)'],
    [['--checkpoint-every', '1', '--checkpoint-every', '2'], '--checkpoint-every: given 2 times; give it once'],
  ];
  it.each(cases)('mc %j', async (argv, line) => {
    const r = await cli('mc', SCENARIO, '--runs', '10', ...argv.filter((x) => x !== '--runs'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(err(line));
  });

  it('every bad flag at once, whole-number and number flags together', async () => {
    const r = await cli(
      'mc',
      SCENARIO,
      '--runs',
      'x',
      '--precision',
      'abc',
      '--max-runs',
      '1.5',
      '--checkpoint-every',
      'ten',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      err(
        "--runs: must be a whole number from 1 to 10000000000 (got 'x')",
        '--max-runs: must be a whole number from 1 to 10000000000 (got 1.5)',
        "--precision: must be a number (got 'abc')",
        "--checkpoint-every: must be a number (got 'ten')",
      ),
    );
  });

  it('sweep --checkpoint-every: the same rule', async () => {
    for (const [v, line] of [
      ['', '--checkpoint-every: needs a value: a number'],
      ['-1', '--checkpoint-every: must be from 0 to 86400 seconds (got -1)'],
      ['soon', "--checkpoint-every: must be a number (got 'soon')"],
    ] as const) {
      const r = await cli('sweep', SWEEP, `--checkpoint-every=${v}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(err(line));
    }
  });

  it('a misspelt flag: did you mean the closest flag of the command', async () => {
    const cases: [string[], string][] = [
      [['mc', SCENARIO, '--precison', '0.01'], "Unknown argument: precison (did you mean '--precision'?)"],
      [['mc', SCENARIO, '--max-run', '5'], "Unknown argument: max-run (did you mean '--max-runs'?)"],
      [
        ['mc', SCENARIO, '--checkpoint-evry', '5', '--zzz'],
        "Unknown arguments: checkpoint-evry (did you mean '--checkpoint-every'?), zzz",
      ],
      [['sweep', SWEEP, '--chekpoint', 'x'], "Unknown argument: chekpoint (did you mean '--checkpoint'?)"],
      [['merge', 'a.json', '--ot', 'x'], "Unknown argument: ot (did you mean '--out'?)"],
    ];
    for (const [argv, line] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toBe(usage(line));
    }
  });
});
