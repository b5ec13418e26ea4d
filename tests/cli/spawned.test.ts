/**
 * The built binary (package.json's bin, dist/cli/policysim.js, `npm run build` first) as a user runs it: the real process
 * exits with the code main() returns, prints what the in-process CLI prints, and never a stack trace
 * for anything a user can get wrong. One child process per kind of exit; the same cases, and help for
 * every command, run in-process as well (help goes through the injected Io).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cli, type ProcessResult, STACK_LINE, spawnAll, spawnCli } from './harness.js';

describe('policysim --help', () => {
  let top: CliResult;
  let commands: string[];
  beforeAll(async () => {
    top = await cli('--help');
    commands = [...top.stdout.matchAll(/^ {2}policysim (\w+)/gm)].map((m) => m[1]!);
  });

  it('lists the commands and exits 0', () => {
    expect(top.code).toBe(0);
    expect(top.stderr).toBe('');
    expect(commands).toEqual(expect.arrayContaining(['run', 'validate', 'compare', 'describe']));
  });

  it('the real process prints the same help to stdout, exit 0', async () => {
    const r = await spawnCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(top.stdout);
  });

  it('every command has its own --help, printed to stdout with exit 0', async () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const c of commands) {
      const r = await cli(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.stderr, c).toBe('');
      expect(r.stdout.split('\n')[0], c).toMatch(new RegExp(`^policysim ${c}\\b`));
      expect(r.stdout, c).toContain('--help');
    }
  });
});

/** Exit 2 with a clean message: [argv, stderr (or its pattern)]. */
const BAD: [string[], string | RegExp][] = [
  [['frobnicate'], /^policysim: usage error: Unknown argument: frobnicate\n/],
  [
    ['run', 'tests/fixtures/bad/no-such-file.yaml'],
    'policysim: error: tests/fixtures/bad/no-such-file.yaml: scenario file not found\n',
  ],
  [['run', '--set', 'ftz=2'], "policysim: error: --set ftz=2: value 2 is outside the range of lever 'ftz' [0, 1]\n"],
];

function expectCleanExit2(r: CliResult, want: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain(STACK_LINE);
  if (typeof want === 'string') expect(r.stderr).toBe(want);
  else expect(r.stderr).toMatch(want);
}

describe('exit codes of the real process', () => {
  let ok: ProcessResult;
  let usage: ProcessResult;
  let failure: ProcessResult;
  let badFile: ProcessResult;
  beforeAll(async () => {
    [ok, usage, failure, badFile] = (await spawnAll([
      ['run', '--format', 'json'],
      BAD[0]![0],
      ['run', 'tests/fixtures/scenarios/nonfinite.yaml'],
      ['validate', 'scenarios/baseline.yaml', 'tests/fixtures/bad/empty.yaml'],
    ])) as [ProcessResult, ProcessResult, ProcessResult, ProcessResult];
  });

  it('run: 0, and the bytes of the in-process CLI (the build matches the sources)', async () => {
    const r = ok;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe((await cli('run', '--format', 'json')).stdout);
  });

  it('a usage error: exit 2, a clean message, no stack trace', async () => {
    expectCleanExit2(usage, BAD[0]![1]);
  });

  it('a non-finite value during a run: exit 1 (a failure while running), one line, no stack trace', async () => {
    const r = failure;
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(STACK_LINE);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('auxiliaries.per_unit: equation gave Infinity for Region B in 2023');
  });

  it('validate with a bad file: exit 2', async () => {
    const r = badFile;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('scenarios/baseline.yaml: ok (scenario)\n');
    expect(r.stderr).toBe(
      'tests/fixtures/bad/empty.yaml:1:1: empty file: expected a YAML mapping\n1 of 2 files had problems\n',
    );
  });
});

describe('the same mistakes in-process: exit 2, a clean message, no stack trace', () => {
  it.each(BAD)('%j', async (args, want) => {
    expectCleanExit2(await cli(...args), want);
  });
});
