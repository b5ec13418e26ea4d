/**
 * The built binary (dist/src/cli/main.js, `npm run build` first) as a user runs it: help for every
 * command, real exit codes, and no stack trace for anything a user can get wrong.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, STACK_LINE, spawnCliAsync } from './harness.js';

describe('policysim --help', () => {
  let top: CliResult;
  let commands: string[];
  beforeAll(async () => {
    top = await spawnCliAsync(['--help']);
    commands = [...top.stdout.matchAll(/^ {2}policysim (\w+)/gm)].map((m) => m[1]!);
  });

  it('lists the commands and exits 0', () => {
    expect(top.code).toBe(0);
    expect(top.stderr).toBe('');
    expect(commands).toEqual(expect.arrayContaining(['run', 'validate', 'compare', 'describe']));
  });

  it('every command has its own --help, printed to stdout with exit 0', async () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
    // Two at a time: eight Node start-ups side by side exceed the spawn timeout on a busy 2-core machine.
    const results: CliResult[] = new Array(commands.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < commands.length) {
        const i = next++;
        results[i] = await spawnCliAsync([commands[i]!, '--help']);
      }
    };
    await Promise.all([lane(), lane()]);
    commands.forEach((c, i) => {
      const r = results[i]!;
      expect(r.code, c).toBe(0);
      expect(r.stderr, c).toBe('');
      expect(r.stdout.split('\n')[0], c).toMatch(new RegExp(`^policysim ${c}\\b`));
      expect(r.stdout, c).toContain('--help');
    });
  });
});

describe.concurrent('exit codes of the real process', () => {
  it('run: 0, the baseline table on stdout', async () => {
    const r = await spawnCliAsync(['run', '--indicators', 'trade_dependence']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Trade dependence reaches the national average by 2020: NOT REACHED');
    expect(r.stderr).toBe('');
  });

  it.each([
    [
      ['run', 'tests/fixtures/bad/no-such-file.yaml'],
      'policysim: error: tests/fixtures/bad/no-such-file.yaml: scenario file not found\n',
    ],
    [['run', '--set', 'ftz=2'], "policysim: error: --set ftz=2: value 2 is outside the range of lever 'ftz' [0, 1]\n"],
    [['frobnicate'], /^policysim: usage error: Unknown argument: frobnicate\n/],
  ])('%j: exit 2, a clean message, no stack trace', async (args, want) => {
    const r = await spawnCliAsync(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(STACK_LINE);
    if (typeof want === 'string') expect(r.stderr).toBe(want);
    else expect(r.stderr).toMatch(want);
  });

  it('a non-finite value during a run: exit 1 (a failure while running), one line, no stack trace', async () => {
    const r = await spawnCliAsync(['run', 'tests/fixtures/scenarios/nonfinite.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(STACK_LINE);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('auxiliaries.per_unit: equation gave Infinity for Region B in 2023');
  });

  it('validate with a bad file: exit 2', async () => {
    const r = await spawnCliAsync(['validate', 'scenarios/baseline.yaml', 'tests/fixtures/bad/empty.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('scenarios/baseline.yaml: ok (scenario)\n');
    expect(r.stderr).toBe(
      'tests/fixtures/bad/empty.yaml:1:1: empty file: expected a YAML mapping\n1 of 2 files had problems\n',
    );
  });
});
